package dev.litefs.core.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.litefs.core.testing.MutableClock;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Consul leaser against {@link FakeConsul}, an in-repo fake of Consul's session and KV endpoints (no Consul
 * server can be had here), with the fake's time moved by the test. The URL carries a token and a key prefix, as
 * on Fly.io, so the catalog node and prefixed keys are exercised too.
 */
class ConsulLeaserAgainstFakeConsulTest extends AbstractLeaserContractTest {
  private static final String TOKEN = "s3cret+token";
  private static final MutableClock clock = new MutableClock(Instant.parse("2024-01-01T00:00:00Z"));
  private static FakeConsul consul;

  @BeforeAll
  static void startFakeConsul() throws Exception {
    consul = FakeConsul.start(clock, TOKEN);
  }

  @AfterAll
  static void stopFakeConsul() {
    consul.close();
  }

  @Override
  protected Leaser newLeaser(String key, PrimaryInfo node) throws LeaseException {
    return ConsulLeaser.open(new ConsulSettings(url("s3cret%2Btoken"), key), node, clock);
  }

  @Override
  protected void letTimePass(Duration d) {
    clock.advance(d);
  }

  /** Consul invalidates a session up to twice its TTL after the last renewal, then holds the key for lock-delay. */
  @Override
  protected Duration expiryGrace() {
    return ConsulSettings.DEFAULT_TTL.plus(ConsulSettings.DEFAULT_LOCK_DELAY);
  }

  @Test
  void sessionAndKeyAreMadeAsLiteFsMakesThem() throws Exception {
    Leaser leaser = ConsulLeaser.open(new ConsulSettings(url("s3cret%2Btoken"), "made/primary"), info(A), clock);
    Lease lease = leaser.acquire();

    assertThat(consul.nodes()).contains("litefs-test/litefs");
    assertThat(consul.sessionRequests()).last().hasToString(
        "{\"Checks\":[],\"Name\":\"litefs\",\"Behavior\":\"delete\",\"TTL\":\"10s\",\"LockDelay\":\"1000ms\","
            + "\"Node\":\"litefs-test/litefs\"}");
    assertThat(new ObjectMapper().readTree(consul.value("litefs-test/made/primary"))).hasToString(
        "{\"hostname\":\"node-a\",\"advertise-url\":\"http://node-a:20202\"}");
    lease.close();
    assertThat(consul.value("litefs-test/made/primary")).as("released: the value is emptied").isEmpty();
  }

  @Test
  void lockDelayHoldsOffTakeoverAfterTheHoldersSessionIsInvalidated() throws Exception {
    Leaser a = ConsulLeaser.open(new ConsulSettings(url("s3cret%2Btoken"), "delayed/primary"), info(A), clock);
    Leaser b = ConsulLeaser.open(new ConsulSettings(url("s3cret%2Btoken"), "delayed/primary"), info(B), clock);
    Lease expired = a.acquire();

    clock.advance(ConsulSettings.DEFAULT_TTL.multipliedBy(2));

    assertThat(b.primaryInfo()).as("the session's key was deleted with it").isEmpty();
    assertThatThrownBy(b::acquire).isInstanceOf(PrimaryExistsException.class).hasMessageContaining("another node");
    clock.advance(ConsulSettings.DEFAULT_LOCK_DELAY);
    Lease taken = b.acquire();

    assertThat(a.primaryInfo()).contains(info(B));
    taken.close();
    expired.close();
  }

  @Test
  void aWrongTokenIsRefusedWithoutShowingTheToken() {
    assertThatThrownBy(() -> ConsulLeaser.open(new ConsulSettings(url("wrong-token"), "k"), info(A), clock))
        .isInstanceOf(LeaseException.class)
        .hasMessageContaining("403").hasMessageContaining("ACL not found").hasMessageNotContaining("wrong-token");
  }

  @Test
  void anUnreachableAgentIsReportedAsUnreachable() {
    URI closed = URI.create("http://127.0.0.1:1/");
    Leaser leaser = assertOpens(closed);

    assertThatThrownBy(leaser::acquire).isInstanceOf(LeaseServerUnreachableException.class)
        .hasMessageContaining("127.0.0.1:1").hasMessageContaining("consul lease on key 'k'");
  }

  private static Leaser assertOpens(URI url) {
    try {
      return ConsulLeaser.open(new ConsulSettings(url, "k"), info(A), clock);
    } catch (LeaseException e) {
      throw new AssertionError("a URL without a prefix registers nothing, so opening sends nothing", e);
    }
  }

  private static URI url(String rawToken) {
    return URI.create("http://:" + rawToken + "@127.0.0.1:" + consul.url().getPort() + "/litefs-test");
  }
}
