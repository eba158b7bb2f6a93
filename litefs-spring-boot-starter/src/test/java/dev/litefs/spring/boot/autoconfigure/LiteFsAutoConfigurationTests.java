package dev.litefs.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.litefs.core.ltx.Pos;
import dev.litefs.core.ltx.Txid;
import dev.litefs.spring.LiteFs;
import dev.litefs.spring.LiteFsMode;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Which LiteFS beans exist under which configuration, and how misconfiguration is reported. */
@ExtendWith(OutputCaptureExtension.class)
class LiteFsAutoConfigurationTests {

  @TempDir
  Path tmp;

  private ApplicationContextRunner runner() {
    return new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(LiteFsAutoConfiguration.class, LiteFsPrimaryOnlyAutoConfiguration.class))
        .withPropertyValues("litefs.mount-dir=" + tmp.resolve("no-mount"), "litefs.dev.dir=" + tmp.resolve("dev"),
            "litefs.databases=app.db");
  }

  @Test
  void withoutAMountAutoModeRunsInDevModeAsPrimary() {
    runner().run(context -> {
      LiteFs liteFs = context.getBean(LiteFs.class);
      assertThat(liteFs.mode()).isEqualTo(LiteFsMode.DEV);
      assertThat(liteFs.isPrimary()).isTrue();
      assertThat(liteFs.databasePath("app.db")).isEqualTo(tmp.resolve("dev").resolve("app.db").toAbsolutePath());
      assertThat(tmp.resolve("dev")).isDirectory();
      assertThat(liteFs.position("app.db")).isEqualTo(Pos.ZERO);
      assertThat(liteFs.awaitPosition("app.db", Txid.of(5), Duration.ZERO)).isTrue();
    });
  }

  @Test
  void onALiteFsMountAutoModeRunsInSidecarMode() {
    try (FakeLiteFs fake = FakeLiteFs.replica(tmp.resolve("mnt"), "node1")) {
      runner().withPropertyValues("litefs.mode=auto", "litefs.mount-dir=" + fake.dir(),
          "litefs.sidecar.events-url=" + fake.eventsUrl()).run(context -> {
            LiteFs liteFs = context.getBean(LiteFs.class);
            assertThat(liteFs.mode()).isEqualTo(LiteFsMode.SIDECAR);
            assertThat(liteFs.isPrimary()).isFalse();
            assertThat(liteFs.primaryHostname()).contains("node1");
          });
    }
  }

  @Test
  void onFlyIoAutoModeRefusesToFallBackToDevMode() {
    runner().withPropertyValues("FLY_MACHINE_ID=3d8d9e3b1e2289").run(context -> {
      assertThat(context).hasFailed();
      FailureAnalysis analysis = analyze(context.getStartupFailure());
      assertThat(analysis.getDescription()).contains("Fly.io").contains("no-mount").contains("does not exist");
      assertThat(analysis.getAction()).contains("litefs mount").contains("litefs.mode=dev");
    });
  }

  @Test
  void explicitSidecarModeWithoutAMountFailsWithAnExplanation() {
    runner().withPropertyValues("litefs.mode=sidecar").run(context -> {
      assertThat(context).hasFailed();
      FailureAnalysis analysis = analyze(context.getStartupFailure());
      assertThat(analysis.getDescription()).contains("litefs.mode is sidecar").contains("litefs.mount-dir");
    });
  }

  @Test
  void managedModeWithoutFuseFailsSayingToInstallFuse3AndLibfuse2OrUseDevMode() {
    runner().withBean(FuseSupport.class, () -> noFuse(tmp)).withPropertyValues("litefs.mode=managed")
        .run(context -> {
          assertThat(context).hasFailed();
          FailureAnalysis analysis = analyze(context.getStartupFailure());
          assertThat(analysis.getDescription()).contains("litefs.mode is managed").contains("/dev/fuse")
              .contains("fusermount").contains("libfuse.so.2");
          assertThat(analysis.getAction()).contains("fuse3 and libfuse2").contains("litefs.mode=dev");
        });
  }

  @Test
  void autoModeWithAManagedLeaseButNoFuseRunsInDevModeWithAWarning(CapturedOutput output) {
    runner().withBean(FuseSupport.class, () -> noFuse(tmp)).withPropertyValues("litefs.managed.lease.type=static")
        .run(context -> {
          assertThat(context.getBean(LiteFs.class).mode()).isEqualTo(LiteFsMode.DEV);
          assertThat(output).contains("cannot run the LiteFS engine's FUSE mount").contains("dev mode");
        });
  }

  @Test
  void onFlyIoAutoModeWithAManagedLeaseButNoFuseFails() {
    runner().withBean(FuseSupport.class, () -> noFuse(tmp))
        .withPropertyValues("litefs.managed.lease.type=consul", "FLY_MACHINE_ID=3d8d9e3b1e2289")
        .run(context -> assertThat(analyze(context.getStartupFailure()).getDescription()).contains("Fly.io")
            .contains("/dev/fuse"));
  }

  @Test
  void anInvalidManagedLeaseFailsBeforeAnyEngineStartsNamingTheKey() {
    runner().withBean(FuseSupport.class, () -> FuseSupportTests.complete(tmp))
        .withPropertyValues("litefs.mode=managed", "litefs.managed.lease.type=etcd",
            "litefs.managed.data.dir=" + tmp.resolve("data"))
        .run(context -> {
          FailureAnalysis analysis = analyze(context.getStartupFailure());
          assertThat(analysis.getDescription()).contains("written from litefs.managed.*")
              .contains("lease.etcd.endpoints");
          assertThat(analysis.getAction()).contains("litefs.managed.lease.etcd.key");
          assertThat(tmp.resolve("data")).doesNotExist();
        });
  }

  @Test
  void managedModeOnADirectoryAnotherProcessAlreadyMountsFailsPointingToSidecarMode() {
    try (FakeLiteFs fake = FakeLiteFs.replica(tmp.resolve("mnt"), "node1")) {
      runner().withBean(FuseSupport.class, () -> FuseSupportTests.complete(tmp))
          .withPropertyValues("litefs.mode=managed", "litefs.mount-dir=" + fake.dir(),
              "litefs.managed.lease.type=static", "litefs.managed.data.dir=" + tmp.resolve("data"))
          .run(context -> {
            FailureAnalysis analysis = analyze(context.getStartupFailure());
            assertThat(analysis.getDescription()).contains("already a LiteFS mount");
            assertThat(analysis.getAction()).contains("litefs.mode=sidecar");
          });
    }
  }

  static FuseSupport noFuse(Path tmp) {
    return new FuseSupport(tmp.resolve("no-dev-fuse"), java.util.List.of(tmp), java.util.List.of(tmp));
  }

  @Test
  void anInvalidConfiguredHostnameFailsAtStartup() {
    runner().withPropertyValues("litefs.hostname=bad host").run(context -> {
      assertThat(context).hasFailed();
      assertThat(analyze(context.getStartupFailure()).getDescription()).contains("litefs.hostname");
    });
  }

  @Test
  void theHostnameDefaultsToTheFlyMachineId() {
    runner().withPropertyValues("litefs.mode=dev", "FLY_MACHINE_ID=3d8d9e3b1e2289")
        .run(context -> assertThat(context.getBean(LiteFs.class).hostname()).isEqualTo("3d8d9e3b1e2289"));
  }

  @Test
  void backsOffWhenDisabled() {
    runner().withPropertyValues("litefs.enabled=false").run(context -> {
      assertThat(context).doesNotHaveBean(LiteFs.class);
      assertThat(context).doesNotHaveBean(PrimaryOnlyLifecycleController.class);
      assertThat(context).doesNotHaveBean(PrimaryOnlyBeanPostProcessor.class);
    });
  }

  @Test
  void backsOffWhenTheApplicationDefinesItsOwnLiteFs() {
    runner().withUserConfiguration(OwnLiteFs.class).run(context -> {
      assertThat(context).hasSingleBean(LiteFs.class);
      assertThat(context.getBean(LiteFs.class)).isSameAs(context.getBean(OwnLiteFs.class).liteFs);
      assertThat(context).hasSingleBean(PrimaryOnlyLifecycleController.class);
    });
  }

  @Test
  void forwardModeOnAMountWithoutAPrimaryUrlTemplateFailsAtStartup() {
    try (FakeLiteFs fake = FakeLiteFs.replica(tmp.resolve("mnt"), "node1")) {
      new WebApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(LiteFsAutoConfiguration.class, LiteFsWebMvcAutoConfiguration.class,
              WebMvcAutoConfiguration.class))
          .withPropertyValues(fake.propertyArray("app.db"))
          .withPropertyValues("litefs.replay.mode=forward")
          .run(context -> {
            assertThat(context).hasFailed();
            FailureAnalysis analysis = analyze(context.getStartupFailure());
            assertThat(analysis.getDescription()).contains("litefs.replay.primary-url-template");
            assertThat(analysis.getAction()).contains("http://{hostname}:8080");
          });
    }
  }

  @Test
  void webRoutingBacksOffOutsideAWebApplication() {
    runner().withConfiguration(AutoConfigurations.of(LiteFsWebMvcAutoConfiguration.class))
        .run(context -> assertThat(context).doesNotHaveBean(PrimaryRouter.class));
  }

  @Test
  void aCookieNameThatIsNotAnHttpTokenFailsAtStartup() {
    new WebApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(LiteFsAutoConfiguration.class, LiteFsWebMvcAutoConfiguration.class,
            WebMvcAutoConfiguration.class))
        .withPropertyValues("litefs.mode=dev", "litefs.dev.dir=" + tmp.resolve("dev"), "litefs.databases=app.db",
            "litefs.consistency.cookie-name=a;b")
        .run(context -> assertThat(analyze(context.getStartupFailure()).getDescription())
            .contains("litefs.consistency.cookie-name"));
  }

  @Test
  void primaryOnlyOnAMethodNoProxyCanInterceptFailsAtStartupNamingIt() {
    runner().withBean(FinalJob.class).run(context -> {
      assertThat(context).hasFailed();
      assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("FinalJob.run")
          .hasMessageContaining("final");
    });
  }

  static class FinalJob {
    @dev.litefs.spring.PrimaryOnly
    public final void run() {}
  }

  private static FailureAnalysis analyze(Throwable failure) {
    FailureAnalysis analysis = new LiteFsStartupFailureAnalyzer().analyze(failure);
    assertThat(analysis).as("failure analysis of %s", failure).isNotNull();
    return analysis;
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnLiteFs {
    final LiteFs liteFs = dev.litefs.spring.test.TestLiteFs.primary();

    @Bean
    LiteFs liteFs() {
      return liteFs;
    }
  }
}
