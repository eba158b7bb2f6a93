package dev.litefs.spring.boot.autoconfigure;

import dev.litefs.core.ltx.Pos;
import dev.litefs.core.ltx.Txid;
import dev.litefs.spring.LiteFsMode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sidecar mode: a LiteFS mount run by {@code litefs mount} (ours or upstream's). The role comes from the
 * {@code /events} stream ({@code init} on every connection, then {@code primaryChange}); the mount's
 * {@code .primary} file is read at startup and on every (re)connection attempt, so nothing is missed while the
 * stream was down. Positions are read from {@code <db>-pos}; {@code tx} events wake position waiters.
 */
class SidecarLiteFs extends AbstractLiteFs implements EventStreamClient.Listener {
  private static final Logger log = LoggerFactory.getLogger(SidecarLiteFs.class);

  /** The role as last learned; replaced whole so readers see a consistent pair. */
  record Role(boolean primary, @Nullable String primaryHostname) {}

  private final MountFiles files;
  private final LiteFsProperties.Sidecar config;
  private final EventStreamClient events;
  private final Map<String, Pos> latest = new ConcurrentHashMap<>();
  private final Object positionMonitor = new Object();
  private final Object roleLock = new Object();
  private final CountDownLatch firstInit = new CountDownLatch(1);
  private volatile Role role;
  private volatile boolean connected;
  private volatile boolean synced;

  SidecarLiteFs(String hostname, List<String> databases, LiteFsProperties.Sidecar config, MountFiles files,
      RolePublisher roles) {
    super(hostname, databases, files.dir(), roles);
    this.files = files;
    this.config = config;
    // Read again at startup: in managed mode the mount does not exist yet when the bean is built.
    this.role = new Role(true, null);
    this.events = new EventStreamClient(config.getEventsUrl(), config.getToken(), config.getReconnectMinDelay(),
        config.getReconnectMaxDelay(), this);
  }

  @Override
  public void afterPropertiesSet() throws InterruptedException {
    role = roleFromFiles(true);
    events.start();
    // Without the stream, a missing .primary is ambiguous (primary, or a replica whose primary is gone), so
    // give the stream's init event a moment to settle it before anything asks for the role.
    if (!firstInit.await(config.getInitialConnectTimeout().toNanos(), TimeUnit.NANOSECONDS)) {
      log.warn("No init event from LiteFS at {} within {}; until it connects, the role comes from {} alone "
          + "(this node is taken to be {})", config.getEventsUrl(), config.getInitialConnectTimeout(),
          files.dir().resolve(".primary"), role.primary() ? "the primary" : "a replica");
    }
  }

  @Override
  public void destroy() {
    events.close();
    super.destroy();
  }

  @Override
  public LiteFsMode mode() {
    return LiteFsMode.SIDECAR;
  }

  @Override
  public boolean isPrimary() {
    return role.primary();
  }

  @Override
  public Optional<String> primaryHostname() {
    Role r = role;
    return r.primary() ? Optional.of(hostname()) : Optional.ofNullable(r.primaryHostname());
  }

  @Override
  public Pos position(String database) {
    checkDatabase(database);
    Pos pos = files.readPosition(database);
    latest.put(database, pos);
    return pos;
  }

  @Override
  public Optional<Duration> lag() {
    return role.primary() ? Optional.of(Duration.ZERO) : files.readLag();
  }

  @Override
  public boolean awaitPosition(String database, Txid txid, Duration timeout) throws InterruptedException {
    checkDatabase(database);
    if (role.primary() || reached(latest.get(database), txid)) {
      return true;
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    long recheck = Math.max(1, config.getPositionRecheckInterval().toNanos());
    while (true) {
      // The file is the truth; the cache only tells a waiter when to look again.
      if (reached(position(database), txid)) {
        return true;
      }
      long remaining = deadline - System.nanoTime();
      if (remaining <= 0) {
        return false;
      }
      synchronized (positionMonitor) {
        // tx events notify at once. The bounded wait re-reads the file anyway, because an event can be lost:
        // the stream may be reconnecting, and LiteFS drops a subscriber whose buffer of 1024 events overflows.
        if (!reached(latest.get(database), txid)) {
          TimeUnit.NANOSECONDS.timedWait(positionMonitor, Math.min(remaining, recheck));
        }
      }
      if (role.primary()) {
        return true;
      }
    }
  }

  private static boolean reached(@Nullable Pos pos, Txid txid) {
    return pos != null && pos.txid().compareTo(txid) >= 0;
  }

  @Override
  public boolean isSynced() {
    if (synced) {
      return true;
    }
    // LiteFS reports a lag of MaxInt32 ms until a replica's first sync.
    if (role.primary() || files.readLag().isPresent()) {
      synced = true;
    }
    return synced;
  }

  @Override
  public boolean isConnected() {
    return connected;
  }

  // --- the event stream ---

  @Override
  public void onConnected() {
    connected = true;
    refreshPositions();
    // The role is settled by the init event that follows. A present .primary is unambiguous, though.
    Role fromFiles = roleFromFiles(false);
    if (fromFiles != null) {
      setRole(fromFiles);
    }
  }

  @Override
  public void onEvent(LiteFsEvent event) {
    if (event instanceof LiteFsEvent.Role r) {
      setRole(new Role(r.primary(), r.primary() ? null : validHostname(r.rawHostname())));
      if (r.init()) {
        firstInit.countDown();
      }
    } else if (event instanceof LiteFsEvent.Tx tx) {
      synchronized (positionMonitor) {
        latest.put(tx.database(), tx.position());
        positionMonitor.notifyAll();
      }
    } else {
      log.debug("Ignoring LiteFS event {}", event);
    }
  }

  @Override
  public void onDisconnected(@Nullable Throwable cause) {
    if (connected) {
      log.warn("Lost the LiteFS event stream {}{}; reconnecting", config.getEventsUrl(),
          cause == null ? "" : " (" + cause + ")");
    }
    connected = false;
    // Each attempt re-reads the files, so the role converges even while the stream stays down.
    Role fromFiles = roleFromFiles(false);
    if (fromFiles != null) {
      setRole(fromFiles);
    }
    refreshPositions();
  }

  private void refreshPositions() {
    synchronized (positionMonitor) {
      for (String db : databases()) {
        latest.put(db, files.readPosition(db));
      }
      positionMonitor.notifyAll();
    }
  }

  /**
   * The role the files show. A present {@code .primary} means a replica connected to that primary. A missing
   * one means either the primary or a replica that lost its primary; then {@code guessPrimary} decides (true
   * only at startup, as litefs-js does), and otherwise the answer is null: ask the stream.
   */
  private @Nullable Role roleFromFiles(boolean guessPrimary) {
    MountFiles.PrimaryFile f = files.readPrimary();
    if (f.present()) {
      return new Role(false, f.hostname().orElse(null));
    }
    return guessPrimary ? new Role(true, null) : null;
  }

  private @Nullable String validHostname(@Nullable String raw) {
    if (raw == null || raw.isEmpty()) {
      return null;
    }
    if (!Hostnames.isValid(raw)) {
      log.warn("Ignoring the primary hostname in a LiteFS event: {} is not a valid hostname; treating the "
          + "primary as unknown", Hostnames.quote(raw));
      return null;
    }
    return raw;
  }

  private void setRole(Role next) {
    Role previous;
    synchronized (roleLock) {
      previous = role;
      if (previous.equals(next)) {
        return;
      }
      // A promotion counts as pending before isPrimary() turns true, so primary-only background work waits
      // for its listeners (migrations) to run; the event itself goes out after the role is visible.
      boolean promotion = next.primary() && !previous.primary();
      if (promotion) {
        roles.promotionStarting();
      }
      role = next;
      if (previous.primary() != next.primary()) {
        log.info("LiteFS: this node ({}) is now {}", hostname(),
            next.primary() ? "the primary" : "a replica of " + describe(next.primaryHostname()));
      } else if (!next.primary()) {
        log.info("LiteFS: the primary is now {}", describe(next.primaryHostname()));
      }
      roles.publish(this, next.primary(), previous.primary(), next.primary() ? hostname() : next.primaryHostname());
    }
    if (next.primary()) {
      synced = true;
    }
  }

  private static String describe(@Nullable String host) {
    return host == null ? "unknown" : host;
  }
}
