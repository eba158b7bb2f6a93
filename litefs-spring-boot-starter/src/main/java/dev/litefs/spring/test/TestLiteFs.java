package dev.litefs.spring.test;

import dev.litefs.core.ltx.Checksum;
import dev.litefs.core.ltx.Pos;
import dev.litefs.core.ltx.Txid;
import dev.litefs.spring.LiteFs;
import dev.litefs.spring.LiteFsMode;
import dev.litefs.spring.NotPrimaryException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A {@link LiteFs} for unit tests of code that asks for the role or calls {@link #requirePrimary()}, as
 * ShedLock's {@code LockAssert.TestHelper} is for code that asserts a lock. Role and positions are set by the
 * test; {@link #awaitPosition} waits for {@link #setPosition}. Not for production: it replicates nothing.
 */
public final class TestLiteFs implements LiteFs {
  private final String hostname;
  private final List<String> databases;
  private final Map<String, Pos> positions = new LinkedHashMap<>();
  private volatile boolean primary;
  private volatile @Nullable String primaryHostname;

  private TestLiteFs(String hostname, boolean primary, @Nullable String primaryHostname, List<String> databases) {
    this.hostname = hostname;
    this.primary = primary;
    this.primaryHostname = primaryHostname;
    this.databases = List.copyOf(databases);
    for (String db : databases) {
      positions.put(db, Pos.ZERO);
    }
  }

  /** A primary named {@code node1} with the given databases. */
  public static TestLiteFs primary(String... databases) {
    return new TestLiteFs("node1", true, null, List.of(databases));
  }

  /** A replica named {@code node2} whose primary is {@code primaryHostname} (null: no known primary). */
  public static TestLiteFs replicaOf(@Nullable String primaryHostname, String... databases) {
    return new TestLiteFs("node2", false, primaryHostname, List.of(databases));
  }

  /** Makes this node the primary ({@code true}) or a replica of {@code primaryHostname}. */
  public TestLiteFs setPrimary(boolean primary, @Nullable String primaryHostname) {
    this.primary = primary;
    this.primaryHostname = primaryHostname;
    return this;
  }

  /** Sets a database's TXID, waking {@link #awaitPosition} callers. */
  public synchronized TestLiteFs setPosition(String database, long txid) {
    check(database);
    positions.put(database, new Pos(Txid.of(txid), Checksum.EMPTY));
    notifyAll();
    return this;
  }

  @Override
  public LiteFsMode mode() {
    return LiteFsMode.DEV;
  }

  @Override
  public String hostname() {
    return hostname;
  }

  @Override
  public boolean isPrimary() {
    return primary;
  }

  @Override
  public Optional<String> primaryHostname() {
    return primary ? Optional.of(hostname) : Optional.ofNullable(primaryHostname);
  }

  @Override
  public List<String> databases() {
    return databases;
  }

  @Override
  public Path databasePath(String database) {
    check(database);
    return Path.of(database);
  }

  @Override
  public synchronized Pos position(String database) {
    check(database);
    return positions.get(database);
  }

  @Override
  public synchronized Map<String, Pos> positions() {
    return new LinkedHashMap<>(positions);
  }

  @Override
  public Optional<Duration> lag() {
    return Optional.of(Duration.ZERO);
  }

  @Override
  public synchronized boolean awaitPosition(String database, Txid txid, Duration timeout)
      throws InterruptedException {
    check(database);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!primary && positions.get(database).txid().compareTo(txid) < 0) {
      long remaining = deadline - System.nanoTime();
      if (remaining <= 0) {
        return false;
      }
      TimeUnit.NANOSECONDS.timedWait(this, remaining);
    }
    return true;
  }

  @Override
  public void requirePrimary() {
    if (!primary) {
      throw new NotPrimaryException("This operation needs the primary; this node (" + hostname + ") is a replica",
          primaryHostname);
    }
  }

  @Override
  public boolean isSynced() {
    return true;
  }

  @Override
  public boolean isConnected() {
    return true;
  }

  private void check(String database) {
    if (!databases.contains(database)) {
      throw new IllegalArgumentException("Unknown database " + database + "; the databases are " + databases);
    }
  }
}
