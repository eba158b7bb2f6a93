package dev.litefs.core.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The factory builds the configured leaser, and settings refuse what cannot work, naming the key. */
class LeasersTest {
  private static final Clock CLOCK = Clock.systemUTC();
  private static final List<URI> ETCD = List.of(URI.create("http://127.0.0.1:2379"));

  @Test
  void eachTypeBuildsItsLeaser() throws Exception {
    ConsulSettings consul = new ConsulSettings(URI.create("http://127.0.0.1:8500"), "primary");
    EtcdSettings etcd = new EtcdSettings(ETCD, "primary");

    assertThat(open("static", null, null)).isInstanceOf(StaticLeaser.class);
    assertThat(open("consul", consul, null)).isInstanceOf(ConsulLeaser.class);
    assertThat(open("etcd", null, etcd)).isInstanceOf(EtcdLeaser.class);
  }

  @Test
  void anUnknownTypeIsRefusedListingTheKnownOnes() {
    assertThatThrownBy(() -> open("zookeeper", null, null)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("lease.type must be static, consul or etcd, not 'zookeeper'");
  }

  @Test
  void theChosenBackendsSectionIsRequired() {
    assertThatThrownBy(() -> open("etcd", null, null)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("lease.etcd must be set with lease.type: etcd");
  }

  @Test
  void consulAndEtcdNeedThisNodesHostnameAndAdvertiseUrl() {
    EtcdSettings etcd = new EtcdSettings(ETCD, "primary");
    LeaserSettings noUrl = new LeaserSettings("etcd", "node-a", "", true, null, etcd);

    assertThatThrownBy(() -> Leasers.open(noUrl, CLOCK)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("lease.advertise-url");
  }

  @Test
  void etcdTtlsAreWholeSecondsAndDefaultToTenSeconds() {
    assertThat(new EtcdSettings(ETCD, "k", Duration.ZERO).ttl()).isEqualTo(Duration.ofSeconds(10));
    assertThatThrownBy(() -> new EtcdSettings(ETCD, "k", Duration.ofMillis(1500)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("lease.etcd.ttl must be a whole number of seconds, not PT1.5S");
  }

  @Test
  void etcdNeedsAnEndpointAndAKey() {
    assertThatThrownBy(() -> new EtcdSettings(List.of(), "k")).hasMessageContaining("lease.etcd.endpoints");
    assertThatThrownBy(() -> new EtcdSettings(List.of(URI.create("localhost:2379")), "k"))
        .hasMessageContaining("http or https");
    assertThatThrownBy(() -> new EtcdSettings(ETCD, "")).hasMessage("lease.etcd.key must be set");
  }

  @Test
  void consulDefaultsAreLiteFsDefaults() {
    ConsulSettings settings = new ConsulSettings(URI.create("http://h"), "k", Duration.ZERO, null);

    assertThat(settings.ttl()).isEqualTo(Duration.ofSeconds(10));
    assertThat(settings.lockDelay()).isEqualTo(Duration.ofSeconds(1));
  }

  private static Leaser open(String type, ConsulSettings consul, EtcdSettings etcd) throws LeaseException {
    return Leasers.open(new LeaserSettings(type, "node-a", "http://node-a:20202", true, consul, etcd), CLOCK);
  }
}
