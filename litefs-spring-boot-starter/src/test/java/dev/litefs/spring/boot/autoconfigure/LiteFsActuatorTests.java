package dev.litefs.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.litefs.spring.LiteFsReadinessCheck;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.health.autoconfigure.application.AvailabilityHealthContributorAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The litefs health contributor, the readiness probe and the Micrometer gauges. */
class LiteFsActuatorTests {
  private FakeLiteFs fake;

  @AfterEach
  void close() {
    if (fake != null) {
      fake.close();
    }
  }

  private ApplicationContextRunner runner(FakeLiteFs mount) {
    this.fake = mount;
    return new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(LiteFsAutoConfiguration.class, LiteFsHealthAutoConfiguration.class,
            LiteFsMetricsAutoConfiguration.class, ApplicationAvailabilityAutoConfiguration.class,
            AvailabilityHealthContributorAutoConfiguration.class))
        .withPropertyValues(mount.propertyArray("app.db", "cache.db"))
        .withPropertyValues("management.health.readinessstate.enabled=true");
  }

  @Test
  void healthReportsRolePrimaryLagAndPositionsUnderFixedKeys() {
    FakeLiteFs mount = FakeLiteFs.replica("node1");
    mount.commit("app.db", 0x27);
    runner(mount).run(context -> {
      Health health = context.getBean("litefsHealthIndicator", HealthIndicator.class).health();
      assertThat(health.getStatus()).isEqualTo(Status.UP);
      assertThat(health.getDetails()).containsOnlyKeys("mode", "role", "hostname", "primary", "connected", "synced",
          "lagMillis", "databases");
      assertThat(health.getDetails()).containsEntry("mode", "sidecar").containsEntry("role", "replica")
          .containsEntry("hostname", "node2").containsEntry("primary", "node1").containsEntry("lagMillis", 12L)
          .containsEntry("connected", true).containsEntry("synced", true);
      assertThat(health.getDetails().get("databases")).isEqualTo(Map.of(
          "app.db", Map.of("txid", "0000000000000027", "checksum", FakeLiteFs.hex(FakeLiteFs.checksum(0x27))),
          "cache.db", Map.of("txid", "0000000000000000", "checksum", "0000000000000000")));
    });
  }

  @Test
  void aReplicaBeforeItsFirstSyncIsOutOfServiceAndRefusesTraffic() {
    FakeLiteFs mount = FakeLiteFs.replica("node1");
    mount.write(".lag", "+2147483647\n");
    runner(mount).run(context -> {
      Health health = context.getBean("litefsHealthIndicator", HealthIndicator.class).health();
      assertThat(health.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
      assertThat(health.getDetails().get("notReady")).isEqualTo(List.of("waiting for the first sync with the primary"));
      AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);
      HealthIndicator readiness = context.getBean("readinessStateHealthIndicator", HealthIndicator.class);
      assertThat(readiness.health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
      // The first sync arrives.
      mount.setLagMillis(3);
      assertThat(readiness.health().getStatus()).isEqualTo(Status.UP);
      assertThat(context.getBean(ApplicationAvailability.class).getReadinessState())
          .isEqualTo(ReadinessState.ACCEPTING_TRAFFIC);
    });
  }

  @Test
  void aReplicaLaggingPastMaxLagRefusesTraffic() {
    FakeLiteFs mount = FakeLiteFs.replica("node1");
    runner(mount).withPropertyValues("litefs.max-lag=2s").run(context -> {
      AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);
      HealthIndicator readiness = context.getBean("readinessStateHealthIndicator", HealthIndicator.class);
      assertThat(readiness.health().getStatus()).isEqualTo(Status.UP);
      mount.setLagMillis(3296);
      assertThat(readiness.health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
      Health health = context.getBean("litefsHealthIndicator", HealthIndicator.class).health();
      assertThat(health.getDetails().get("notReady")).asList().singleElement().asString()
          .contains("3296 ms").contains("litefs.max-lag");
    });
  }

  @Test
  void readinessChecksFromOtherModulesHoldTrafficBack() {
    AtomicReference<String> reason = new AtomicReference<>("schema at version 1, expecting 3");
    runner(FakeLiteFs.primary()).withBean(LiteFsReadinessCheck.class, () -> () -> Optional.ofNullable(reason.get()))
        .run(context -> {
          HealthIndicator health = context.getBean("litefsHealthIndicator", HealthIndicator.class);
          assertThat(health.health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
          assertThat(health.health().getDetails().get("notReady")).isEqualTo(List.of("schema at version 1, expecting 3"));
          reason.set(null);
          assertThat(health.health().getStatus()).isEqualTo(Status.UP);
        });
  }

  @Test
  void healthContributorBacksOffWhenDisabled() {
    runner(FakeLiteFs.primary()).withPropertyValues("management.health.litefs.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean("liteFsHealthIndicator"));
  }

  @Test
  void gaugesCarryLiteFsMetricNames() {
    FakeLiteFs mount = FakeLiteFs.replica("node1");
    mount.commit("app.db", 5);
    runner(mount).withUserConfiguration(Registry.class).run(context -> {
      MeterRegistry registry = context.getBean(MeterRegistry.class);
      context.getBean(LiteFsMetrics.class).bindTo(registry);
      assertThat(registry.get("litefs.is_primary").gauge().value()).isZero();
      assertThat(registry.get("litefs.lag").gauge().value()).isEqualTo(0.012);
      assertThat(registry.get("litefs.lag").gauge().getId().getBaseUnit()).isEqualTo("seconds");
      assertThat(registry.get("litefs.db.txid").tag("db", "app.db").gauge().value()).isEqualTo(5.0);
      mount.promote();
      await().atMost(Duration.ofSeconds(5)).until(() -> registry.get("litefs.is_primary").gauge().value() == 1.0);
      assertThat(registry.get("litefs.lag").gauge().value()).isZero();
    });
  }

  @Configuration(proxyBeanMethods = false)
  static class Registry {
    @Bean
    MeterRegistry meterRegistry() {
      return new SimpleMeterRegistry();
    }
  }
}
