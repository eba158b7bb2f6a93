package dev.litefs.core.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.litefs.core.testing.Await;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The contract every {@link Leaser} passes. A backend's test extends this with about thirty lines: how to build a
 * node's leaser against its server, how time passes for that server, and which {@link Capability capabilities}
 * it lacks. For a missing capability the contract checks the refusal instead (the capability's own tests are
 * reported as skipped, naming it), so opting out is explicit and tested.
 *
 * <p>Node {@link #A} always acquires first: a static backend makes it the configured primary.
 */
abstract class AbstractLeaserContractTest {
  /** What a backend may lack. */
  protected enum Capability {
    /** A lease not renewed within its TTL ends, and another node can take over. */
    EXPIRY,
    /** Closing a lease lets another node acquire at once. */
    RELEASE,
    /** A lease can be handed to a chosen node. */
    HANDOFF,
    /** A cluster ID is stored with the lease. */
    CLUSTER_ID
  }

  protected static final String A = "node-a";
  protected static final String B = "node-b";
  protected static final String C = "node-c";
  protected static final String D = "node-d";
  private static final long NODE_B_ID = 0x2B;
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final List<Leaser> leasers = new ArrayList<>();
  private final List<Lease> leases = new ArrayList<>();
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private String key;

  /** Builds {@code node}'s leaser for {@code key}, against the backend's server. */
  protected abstract Leaser newLeaser(String key, PrimaryInfo node) throws Exception;

  /** Makes {@code d} pass for the backend's TTLs: a fake clock moves, a real server is waited for. */
  protected abstract void letTimePass(Duration d) throws Exception;

  /** How long after a lease's TTL the backend may still keep another node from acquiring it. */
  protected Duration expiryGrace() {
    return Duration.ZERO;
  }

  /** The capabilities the backend has; all unless overridden. */
  protected Set<Capability> capabilities() {
    return EnumSet.allOf(Capability.class);
  }

  protected static PrimaryInfo info(String hostname) {
    return new PrimaryInfo(hostname, "http://" + hostname + ":20202");
  }

  @BeforeEach
  void uniqueKey(TestInfo test) {
    // Backends with a real server keep state between tests: give each test its own key.
    key = "litefs-test/" + test.getTestMethod().orElseThrow().getName() + "-" + UUID.randomUUID();
  }

  @AfterEach
  void closeEverything() throws Exception {
    threads.shutdownNow();
    for (Lease lease : leases) {
      lease.close();
    }
    leasers.forEach(Leaser::close);
  }

  @Test
  void noPrimaryBeforeAnyNodeAcquires() throws Exception {
    assertThat(node(A).primaryInfo()).isEmpty();
  }

  @Test
  void acquirePublishesTheHoldersHostnameAndAdvertiseUrl() throws Exception {
    Leaser a = node(A);
    Lease lease = acquire(a);

    assertThat(lease.id()).isNotEmpty();
    assertThat(lease.ttl()).isPositive();
    assertThat(a.hostname()).isEqualTo(A);
    assertThat(node(B).primaryInfo()).contains(info(A));
  }

  @Test
  void secondAcquireIsRefusedNamingBackendKeyAndHolder() throws Exception {
    acquire(node(A));
    Leaser b = node(B);

    assertThatThrownBy(b::acquire).isInstanceOfSatisfying(PrimaryExistsException.class, e -> {
      assertThat(e.holder()).contains(info(A));
      assertThat(e.backend()).isEqualTo(b.type());
      assertThat(e.getMessage()).contains(b.type(), e.key(), A, info(A).advertiseUrl());
    });
  }

  @Test
  void concurrentAcquiresElectExactlyOneNode() throws Exception {
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Optional<String>>> attempts = new ArrayList<>();
    for (String hostname : List.of(A, B, C, D)) {
      Leaser n = node(hostname);
      attempts.add(threads.submit(() -> {
        start.await();
        return tryAcquire(n).map(lease -> hostname);
      }));
    }
    start.countDown();

    List<String> winners = new ArrayList<>();
    for (Future<Optional<String>> attempt : attempts) {
      attempt.get(WAIT.toSeconds(), TimeUnit.SECONDS).ifPresent(winners::add);
    }
    assertThat(winners).hasSize(1);
    assertThatThrownBy(node(B)::acquire).isInstanceOfSatisfying(PrimaryExistsException.class,
        e -> assertThat(e.holder()).contains(info(winners.get(0))));
  }

  @Test
  void renewKeepsTheLeasePastItsTtl() throws Exception {
    assumeTrue(supports(Capability.EXPIRY), "the backend's leases do not expire");
    Lease lease = acquire(node(A));
    Instant acquired = lease.renewedAt();
    Duration half = lease.ttl().dividedBy(2);
    long renewals = lease.ttl().plus(expiryGrace()).dividedBy(half) + 2;

    for (long i = 0; i < renewals; i++) {
      letTimePass(half);
      lease.renew();
    }

    assertThat(lease.renewedAt()).isAfter(acquired);
    assertThatThrownBy(node(B)::acquire).isInstanceOf(PrimaryExistsException.class);
  }

  @Test
  void anUnrenewedLeaseExpiresAndAnotherNodeTakesOver() throws Exception {
    assumeTrue(supports(Capability.EXPIRY), "the backend's leases do not expire");
    Lease old = acquire(node(A));
    Leaser b = node(B);

    letTimePass(old.ttl().plus(expiryGrace()));

    Lease taken = awaitAcquire(b, old.ttl().plus(expiryGrace()).plus(WAIT));
    assertThat(node(C).primaryInfo()).contains(info(B));
    assertThat(taken.id()).isNotEqualTo(old.id());
    assertThatThrownBy(old::renew).isInstanceOfSatisfying(LeaseExpiredException.class, e -> {
      assertThat(e.leaseId()).isEqualTo(old.id());
      assertThat(e.getMessage()).contains(b.type(), old.id());
    });
  }

  @Test
  void aLeaseThatCannotExpireOutlivesItsRenewals() throws Exception {
    assumeFalse(supports(Capability.EXPIRY), "the backend's leases expire");
    Lease lease = acquire(node(A));

    lease.renew();

    assertThat(lease.ttl()).isGreaterThan(Duration.ofDays(365L * 100));
    assertThatThrownBy(node(B)::acquire).isInstanceOf(PrimaryExistsException.class);
  }

  @Test
  void closeReleasesTheLeaseSoAnotherNodeAcquiresAtOnce() throws Exception {
    assumeTrue(supports(Capability.RELEASE), "the backend cannot release a lease");
    Lease lease = acquire(node(A));

    lease.close();

    assertThat(node(C).primaryInfo()).isEmpty();
    acquire(node(B));
    lease.close(); // a second close must not release what B now holds
    assertThat(node(C).primaryInfo()).contains(info(B));
    assertThatThrownBy(lease::renew).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
  }

  @Test
  void closingALeaseThatCannotBeReleasedKeepsThePrimary() throws Exception {
    assumeFalse(supports(Capability.RELEASE), "the backend releases leases");
    Lease lease = acquire(node(A));

    lease.close();

    assertThatThrownBy(node(B)::acquire).isInstanceOf(PrimaryExistsException.class);
  }

  @Test
  void handoffPassesTheLeaseToTheChosenNode() throws Exception {
    assumeTrue(supports(Capability.HANDOFF), "the backend cannot hand off");
    Lease lease = acquire(node(A));
    Leaser b = node(B);

    Future<?> request = threads.submit(call(() -> lease.handoff(NODE_B_ID, WAIT)));
    assertThat(lease.pollHandoff(WAIT)).hasValue(NODE_B_ID);
    request.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    Lease taken = track(b.acquireExisting(lease.id()));
    lease.markHandedOff();
    lease.close(); // must leave the lease to B

    assertThat(taken.id()).isEqualTo(lease.id());
    taken.renew();
    assertThat(node(C).primaryInfo()).contains(info(B));
    assertThatThrownBy(node(C)::acquire).isInstanceOfSatisfying(PrimaryExistsException.class,
        e -> assertThat(e.holder()).contains(info(B)));
    assertThatThrownBy(lease::renew).isInstanceOf(IllegalStateException.class).hasMessageContaining("handed off");
  }

  @Test
  void handoffFailsWhenThePrimaryLoopDoesNotTakeTheRequest() throws Exception {
    assumeTrue(supports(Capability.HANDOFF), "the backend cannot hand off");
    Lease lease = acquire(node(A));

    assertThatThrownBy(() -> lease.handoff(NODE_B_ID, Duration.ofMillis(10)))
        .isInstanceOf(LeaseException.class).hasMessageContaining("000000000000002B");
    assertThat(lease.pollHandoff(Duration.ZERO)).isEmpty();
  }

  @Test
  void acquireExistingRefusesAReleasedLease() throws Exception {
    assumeTrue(supports(Capability.HANDOFF), "the backend cannot hand off");
    Lease lease = acquire(node(A));
    lease.close();
    Leaser b = node(B);

    assertThatThrownBy(() -> b.acquireExisting(lease.id())).isInstanceOfSatisfying(LeaseExpiredException.class,
        e -> assertThat(e.getMessage()).contains(b.type(), lease.id()));
    assertThat(b.primaryInfo()).isEmpty();
  }

  @Test
  void handoffIsRefusedByABackendWithoutIt() throws Exception {
    assumeFalse(supports(Capability.HANDOFF), "the backend hands off");
    Lease lease = acquire(node(A));

    assertThatThrownBy(() -> lease.handoff(NODE_B_ID, WAIT)).isInstanceOf(LeaseException.class)
        .hasMessageContaining("not supported");
    assertThatThrownBy(() -> node(B).acquireExisting(lease.id())).isInstanceOf(LeaseException.class)
        .hasMessageContaining("not supported");
  }

  @Test
  void clusterIdIsSetOnceAndReadByEveryNode() throws Exception {
    assumeTrue(supports(Capability.CLUSTER_ID), "the backend stores no cluster ID");
    Leaser a = node(A);
    Leaser b = node(B);
    assertThat(a.clusterId()).isEmpty();

    a.setClusterId("LFSC0123456789ABCDEF");
    b.setClusterId("LFSC0123456789ABCDEF"); // the same ID again is fine

    assertThat(b.clusterId()).contains("LFSC0123456789ABCDEF");
    assertThat(a.primaryInfo()).as("the cluster ID is not a primary").isEmpty();
    assertThatThrownBy(() -> b.setClusterId("LFSCFEDCBA9876543210"))
        .isInstanceOfSatisfying(ClusterIdMismatchException.class, e -> {
          assertThat(e.stored()).isEqualTo("LFSC0123456789ABCDEF");
          assertThat(e.requested()).isEqualTo("LFSCFEDCBA9876543210");
          assertThat(e.getMessage()).contains(b.type(), "clusterid", e.stored(), e.requested());
        });
    assertThat(a.clusterId()).contains("LFSC0123456789ABCDEF");
  }

  @Test
  void clusterIdIsNotStoredByABackendWithoutIt() throws Exception {
    assumeFalse(supports(Capability.CLUSTER_ID), "the backend stores a cluster ID");
    Leaser a = node(A);

    a.setClusterId("LFSC0123456789ABCDEF");

    assertThat(a.clusterId()).isEmpty();
  }

  private boolean supports(Capability c) {
    return capabilities().contains(c);
  }

  private Leaser node(String hostname) throws Exception {
    Leaser leaser = newLeaser(key, info(hostname));
    leasers.add(leaser);
    return leaser;
  }

  private Lease acquire(Leaser leaser) throws LeaseException {
    return track(leaser.acquire());
  }

  private synchronized Lease track(Lease lease) {
    leases.add(lease);
    return lease;
  }

  private Optional<Lease> tryAcquire(Leaser leaser) throws LeaseException {
    try {
      return Optional.of(acquire(leaser));
    } catch (PrimaryExistsException e) {
      return Optional.empty();
    }
  }

  private Lease awaitAcquire(Leaser leaser, Duration timeout) {
    List<Lease> acquired = new ArrayList<>();
    Await.until(leaser.hostname() + " to acquire the lease", timeout,
        () -> tryAcquire(leaser).map(acquired::add).orElse(false));
    return acquired.get(0);
  }

  private interface Step {
    void run() throws Exception;
  }

  private static Callable<Void> call(Step step) {
    return () -> {
      step.run();
      return null;
    };
  }
}
