package dev.litefs.core.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.litefs.core.http.NodeClient;
import dev.litefs.core.lease.EtcdLeaser;
import dev.litefs.core.lease.EtcdSettings;
import dev.litefs.core.lease.Lease;
import dev.litefs.core.lease.LeaseException;
import dev.litefs.core.lease.Leaser;
import dev.litefs.core.lease.PrimaryInfo;
import dev.litefs.core.store.Store;
import dev.litefs.core.store.StoreOptions;
import dev.litefs.core.testing.Await;
import dev.litefs.core.testing.EtcdProcess;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A primary that stops releases its lease in etcd, so a candidate takes over at once instead of after the TTL,
 * even when the stop lands in the middle of a renewal's request to etcd.
 */
class PrimaryReleaseIT {
  /** Renewed every 5 s; a lease gone right after a stop at the first renewal cannot have expired. */
  private static final Duration TTL = Duration.ofSeconds(10);
  private static final PrimaryInfo NODE = new PrimaryInfo("node1", "http://127.0.0.1:1");

  @TempDir Path tmp;
  EtcdProcess etcd;

  @AfterEach
  void stopEtcd() {
    if (etcd != null) {
      etcd.close();
    }
  }

  @Test
  void aPrimaryStoppedInTheMiddleOfARenewalStillReleasesItsLease() throws Exception {
    etcd = EtcdProcess.start(tmp.resolve("etcd"));
    EtcdSettings settings = new EtcdSettings(List.of(etcd.clientUrl()), "release/primary", TTL);
    Leaser observer = EtcdLeaser.open(settings, new PrimaryInfo("observer", "http://127.0.0.1:2"), Clock.systemUTC());
    RenewalHeldOpen held = new RenewalHeldOpen(EtcdLeaser.open(settings, NODE, Clock.systemUTC()));
    try (Store store = Store.open(StoreOptions.defaults(tmp.resolve("data")));
        NodeClient client = new NodeClient(1, Optional.empty(), NodeSettings.DEFAULT_SILENT_PRIMARY_TIMEOUT)) {
      // The first renewal, TTL/2 after the lease was taken, is the one the stop lands in.
      NodeSettings ns = new NodeSettings(1, "node1", true, false, Duration.ofMillis(100), Duration.ZERO, Set.of(),
          NodeSettings.DEFAULT_HEARTBEAT, NodeSettings.DEFAULT_SILENT_PRIMARY_TIMEOUT);
      Node node = new Node(store, held, ns, client, PrimaryFileHook.NONE, Clock.systemUTC());
      node.start();
      Await.until("node1 primary", Duration.ofSeconds(30), node::isPrimary);
      assertThat(observer.primaryInfo()).contains(NODE);

      held.holdNextRenewal();
      Await.until("the primary loop renewing", Duration.ofSeconds(60), () -> held.renewing.getCount() == 0);
      node.close();

      assertThat(observer.primaryInfo()).as("the key, right after the stop").isEmpty();
      try (Lease taken = observer.acquire()) {
        assertThat(observer.primaryInfo()).contains(new PrimaryInfo("observer", "http://127.0.0.1:2"));
      }
    } finally {
      observer.close();
      held.close();
    }
  }

  /**
   * The etcd leaser, except that the renewal asked for by {@link #holdNextRenewal()} waits (as a request to a
   * slow etcd would) until the primary loop is interrupted, then goes to etcd from the interrupted thread.
   */
  private static final class RenewalHeldOpen implements Leaser {
    private final Leaser etcd;
    private final CountDownLatch renewing = new CountDownLatch(1);
    private volatile boolean hold;

    RenewalHeldOpen(Leaser etcd) {
      this.etcd = etcd;
    }

    void holdNextRenewal() {
      hold = true;
    }

    @Override
    public Lease acquire() throws LeaseException {
      Lease lease = etcd.acquire();
      return new Lease() {
        @Override
        public void renew() throws LeaseException {
          if (hold) {
            hold = false;
            renewing.countDown();
            try {
              new CountDownLatch(1).await(5, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt(); // as the HTTP client leaves it: the request goes out interrupted
            }
          }
          lease.renew();
        }

        @Override
        public String id() {
          return lease.id();
        }

        @Override
        public Instant renewedAt() {
          return lease.renewedAt();
        }

        @Override
        public Duration ttl() {
          return lease.ttl();
        }

        @Override
        public void handoff(long nodeId, Duration timeout) throws LeaseException {
          lease.handoff(nodeId, timeout);
        }

        @Override
        public OptionalLong pollHandoff(Duration timeout) throws InterruptedException {
          return lease.pollHandoff(timeout);
        }

        @Override
        public void markHandedOff() {
          lease.markHandedOff();
        }

        @Override
        public void close() throws LeaseException {
          lease.close();
        }
      };
    }

    @Override
    public String type() {
      return etcd.type();
    }

    @Override
    public String hostname() {
      return etcd.hostname();
    }

    @Override
    public String advertiseUrl() {
      return etcd.advertiseUrl();
    }

    @Override
    public Lease acquireExisting(String leaseId) throws LeaseException {
      return etcd.acquireExisting(leaseId);
    }

    @Override
    public Optional<PrimaryInfo> primaryInfo() throws LeaseException {
      return etcd.primaryInfo();
    }

    @Override
    public Optional<String> clusterId() throws LeaseException {
      return etcd.clusterId();
    }

    @Override
    public void setClusterId(String clusterId) throws LeaseException {
      etcd.setClusterId(clusterId);
    }

    @Override
    public void close() {
      etcd.close();
    }
  }
}
