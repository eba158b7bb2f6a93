package dev.litefs.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The defaults are LiteFS v0.5.14's: {@code NewConfig()} in cmd/litefs/config.go and the package constants it
 * uses (store.go, http/server.go, http/proxy_server.go, consul/consul.go), listed here one by one.
 */
class ConfigDefaultsTest {
  @TempDir Path dir;

  @Test
  void defaultsEqualUpstreamNewConfig() {
    LiteFsConfig c = LiteFsConfig.DEFAULT;

    assertThat(c.exitOnError()).isTrue();
    assertThat(c.skipSync()).isFalse();
    assertThat(c.strictVerify()).isFalse();
    assertThat(c.exec()).isEmpty();

    assertThat(c.data().dir()).isEqualTo("/var/lib/litefs"); // DefaultDataDir
    assertThat(c.data().compress()).isTrue();
    assertThat(c.data().retention()).isEqualTo(Duration.ofMinutes(10)); // litefs.DefaultRetention
    assertThat(c.data().retentionMonitorInterval()).isEqualTo(Duration.ofMinutes(1));

    assertThat(c.fuse().dir()).isEqualTo("/litefs"); // DefaultFUSEDir
    assertThat(c.fuse().allowOther()).isFalse();
    assertThat(c.fuse().debug()).isFalse();

    assertThat(c.http().addr()).isEqualTo(":20202"); // http.DefaultAddr
    assertThat(c.http().snapshotTimeout()).isZero();

    assertThat(c.proxy().addr()).isEmpty();
    assertThat(c.proxy().target()).isEmpty();
    assertThat(c.proxy().db()).isEmpty();
    assertThat(c.proxy().maxLag()).isEqualTo(Duration.ofSeconds(10)); // http.DefaultMaxLag
    assertThat(c.proxy().debug()).isFalse();
    assertThat(c.proxy().passthrough()).isEmpty();
    assertThat(c.proxy().alwaysForward()).isEmpty();
    assertThat(c.proxy().primaryRedirectTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.proxy().readTimeout()).isZero();
    assertThat(c.proxy().readHeaderTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.proxy().writeTimeout()).isZero();
    assertThat(c.proxy().idleTimeout()).isEqualTo(Duration.ofSeconds(30));

    assertThat(c.lease().type()).isNull();
    assertThat(c.lease().hostname()).isEmpty();
    assertThat(c.lease().advertiseUrl()).isEmpty();
    assertThat(c.lease().candidate()).isTrue();
    assertThat(c.lease().promote()).isFalse();
    assertThat(c.lease().reconnectDelay()).isEqualTo(Duration.ofSeconds(1)); // litefs.DefaultReconnectDelay
    assertThat(c.lease().demoteDelay()).isEqualTo(Duration.ofSeconds(10)); // litefs.DefaultDemoteDelay
    assertThat(c.lease().databases()).isEmpty();
    assertThat(c.lease().consul().url()).isEmpty();
    assertThat(c.lease().consul().key()).isEmpty();
    assertThat(c.lease().consul().ttl()).isEqualTo(Duration.ofSeconds(10)); // consul.DefaultTTL
    assertThat(c.lease().consul().lockDelay()).isEqualTo(Duration.ofSeconds(1)); // consul.DefaultLockDelay

    assertThat(c.backup().type()).isEmpty();
    assertThat(c.backup().path()).isEmpty();
    assertThat(c.backup().url()).isEqualTo("https://litefs.fly.io"); // applied in initBackup when empty
    assertThat(c.backup().cluster()).isEmpty();
    assertThat(c.backup().authToken()).isEmpty();

    assertThat(c.log().format()).isEqualTo("text");
    assertThat(c.log().timestamp()).isFalse();
    assertThat(c.log().debug()).isFalse();

    assertThat(c.tracing().enabled()).isTrue();
    assertThat(c.tracing().path()).isEmpty();
    assertThat(c.tracing().maxSize()).isEqualTo(64); // DefaultTracingMaxSize
    assertThat(c.tracing().maxCount()).isEqualTo(8); // DefaultTracingMaxCount
    assertThat(c.tracing().compress()).isTrue(); // DefaultTracingCompress
  }

  @Test
  void extensionDefaultsAreDocumentedValues() {
    assertThat(LiteFsConfig.DEFAULT.lease().etcd()).isEqualTo(new EtcdConfig(List.of(), "", Duration.ofSeconds(10)));
    assertThat(LiteFsConfig.DEFAULT.http().token()).isEmpty();
  }

  @Test
  void fileWithOnlyLeaseTypeLoadsEveryDefault() {
    LiteFsConfig loaded = ConfigFiles.load(dir, "lease:\n  type: static\n");

    LeaseConfig lease = LeaseConfig.DEFAULT;
    LeaseConfig expectedLease = new LeaseConfig(LeaseType.STATIC, lease.hostname(), lease.advertiseUrl(),
        lease.candidate(), lease.promote(), lease.reconnectDelay(), lease.demoteDelay(), lease.databases(),
        lease.consul(), lease.etcd());
    LiteFsConfig d = LiteFsConfig.DEFAULT;
    assertThat(loaded).isEqualTo(new LiteFsConfig(d.exitOnError(), d.skipSync(), d.strictVerify(), d.exec(),
        d.data(), d.fuse(), d.http(), d.proxy(), expectedLease, d.backup(), d.log(), d.tracing()));
  }

  @Test
  void nullValuesKeepTheirDefaultsAsInGo() {
    LiteFsConfig loaded = ConfigFiles.load(dir, """
        exit-on-error: ~
        data:
          dir:
          retention: null
        lease:
          type: static
          candidate:
        exec:
        """);

    assertThat(loaded.exitOnError()).isTrue();
    assertThat(loaded.data()).isEqualTo(DataConfig.DEFAULT);
    assertThat(loaded.lease().candidate()).isTrue();
    assertThat(loaded.exec()).isEmpty();
  }

  @Test
  void zeroConsulDurationsMeanTheDefaultsAsInLiteFs() {
    LiteFsConfig loaded = ConfigFiles.load(dir, """
        lease:
          type: consul
          consul:
            key: k
            ttl: 0s
            lock-delay: -1s
        """);

    assertThat(loaded.lease().consul().ttl()).isEqualTo(ConsulConfig.DEFAULT_TTL);
    assertThat(loaded.lease().consul().lockDelay()).isEqualTo(ConsulConfig.DEFAULT_LOCK_DELAY);
  }
}
