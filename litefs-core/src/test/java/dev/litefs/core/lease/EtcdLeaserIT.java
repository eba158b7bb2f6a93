package dev.litefs.core.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.litefs.core.testing.Await;
import dev.litefs.core.testing.EtcdProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The etcd leaser against a real etcd (Debian's {@code etcd-server}) started for this class on loopback, with
 * 1s TTLs on the real clock.
 */
class EtcdLeaserIT extends AbstractLeaserContractTest {
  private static final Duration TTL = Duration.ofSeconds(1);
  private static final URI DEAD = URI.create("http://127.0.0.1:1");
  @TempDir
  static Path dir;
  private static EtcdProcess etcd;

  @BeforeAll
  static void startEtcd() throws Exception {
    etcd = EtcdProcess.start(dir);
  }

  @AfterAll
  static void stopEtcd() {
    etcd.close();
  }

  @Override
  protected Leaser newLeaser(String key, PrimaryInfo node) {
    return leaser(key, node, TTL, List.of(etcd.clientUrl()));
  }

  @Override
  protected void letTimePass(Duration d) {
    long until = System.nanoTime() + d.toNanos();
    Await.until(d + " to pass for etcd's lease TTLs", d.plusSeconds(5), () -> System.nanoTime() >= until);
  }

  /** etcd revokes expired leases in a loop that runs every 500ms. */
  @Override
  protected Duration expiryGrace() {
    return Duration.ofMillis(500);
  }

  @Test
  void anEndpointThatCannotBeConnectedToIsSkipped() throws Exception {
    Leaser leaser = leaser("skip/primary", info(A), TTL, List.of(DEAD, etcd.clientUrl()));
    try (Lease lease = leaser.acquire()) {
      lease.renew();
      assertThat(leaser.primaryInfo()).contains(info(A));
    }
  }

  @Test
  void noReachableEndpointIsReportedNamingThemAll() {
    URI alsoDead = URI.create("http://127.0.0.1:2");
    Leaser leaser = leaser("dead/primary", info(A), TTL, List.of(DEAD, alsoDead));

    assertThatThrownBy(leaser::acquire).isInstanceOf(LeaseServerUnreachableException.class)
        .hasMessageContaining("etcd lease on key 'dead/primary'").hasMessageContaining(DEAD.toString())
        .hasMessageContaining(alsoDead.toString());
  }

  @Test
  void renewFailsOnceTheKeyIsNoLongerAttachedToTheLease() throws Exception {
    Leaser leaser = leaser("deleted/primary", info(A), TTL, List.of(etcd.clientUrl()));
    try (Lease lease = leaser.acquire()) {
      deleteKey("deleted/primary");

      assertThatThrownBy(lease::renew).isInstanceOf(LeaseExpiredException.class)
          .hasMessageContaining("attached to another lease");
    }
  }

  @Test
  void aCrashedPrimarysLeasePassesToACandidateWithinThreeSecondsAtATwoSecondTtl() throws Exception {
    Duration ttl = Duration.ofSeconds(2);
    Leaser crashed = leaser("failover/primary", info(A), ttl, List.of(etcd.clientUrl()));
    Leaser candidate = leaser("failover/primary", info(B), ttl, List.of(etcd.clientUrl()));
    Lease lost = crashed.acquire();
    lost.renew();
    long lastRenewal = System.nanoTime();

    // The primary stops renewing, as a SIGKILLed one would: etcd cannot tell the two apart.
    Await.until("the candidate to take over", Duration.ofSeconds(10), () -> {
      try {
        candidate.acquire().close();
        return true;
      } catch (PrimaryExistsException e) {
        return false;
      }
    });

    Duration takeover = Duration.ofNanos(System.nanoTime() - lastRenewal);
    assertThat(takeover).isBetween(ttl.minusMillis(100), Duration.ofSeconds(3));
    lost.close();
  }

  private static Leaser leaser(String key, PrimaryInfo node, Duration ttl, List<URI> endpoints) {
    return EtcdLeaser.open(new EtcdSettings(endpoints, key, ttl), node, Clock.systemUTC());
  }

  private static void deleteKey(String key) throws Exception {
    String body = "{\"key\":\"" + Base64.getEncoder().encodeToString(key.getBytes(StandardCharsets.UTF_8)) + "\"}";
    HttpResponse<String> deleted = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
        HttpRequest.newBuilder(etcd.clientUrl().resolve("/v3/kv/deleterange"))
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(deleted.body()).contains("\"deleted\":\"1\"");
  }
}
