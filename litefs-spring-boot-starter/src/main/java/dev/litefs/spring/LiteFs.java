package dev.litefs.spring;

import dev.litefs.core.ltx.Pos;
import dev.litefs.core.ltx.Txid;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * This node's view of its LiteFS cluster: its role, the primary, and the replication position of each
 * configured database. One bean per application context, created by the starter.
 *
 * <p>Role and primary are kept up to date from LiteFS's {@code /events} stream (sidecar mode), so
 * {@link #isPrimary()} and {@link #primaryHostname()} are cheap in-memory reads. Positions and lag are read
 * from the mount's files each time they are asked for, so they are never stale.
 */
public interface LiteFs {

  /** Returns the mode this node runs in; never {@link LiteFsMode#AUTO}. */
  LiteFsMode mode();

  /** Returns this node's hostname: {@code litefs.hostname}, else {@code FLY_MACHINE_ID}, else {@code HOSTNAME}. */
  String hostname();

  /** Returns {@code true} when this node holds the primary lease, so its databases accept writes. */
  boolean isPrimary();

  /**
   * Returns the primary's hostname (on Fly.io its Machine ID): this node's own when it is primary, empty when
   * this node is a replica that knows of no primary (the primary is down, or its name was not a valid
   * hostname).
   */
  Optional<String> primaryHostname();

  /** Returns the databases named in {@code litefs.databases}, in order; the first is the default database. */
  List<String> databases();

  /**
   * Returns the path of a database file: in the mount directory, or in the dev directory in dev mode.
   *
   * @throws IllegalArgumentException when {@code database} is not in {@link #databases()}
   */
  Path databasePath(String database);

  /**
   * Returns the current position (TXID and checksum) of a database; {@link Pos#ZERO} when it has no
   * transactions yet, and always {@link Pos#ZERO} in dev mode.
   *
   * @throws IllegalArgumentException when {@code database} is not in {@link #databases()}
   */
  Pos position(String database);

  /** Returns the current position of every configured database, in configuration order. */
  Map<String, Pos> positions();

  /**
   * Returns how far this replica trails the primary ({@link Duration#ZERO} on the primary), or empty before
   * the first sync and when the lag cannot be read.
   */
  Optional<Duration> lag();

  /**
   * Waits until {@code database} has applied transaction {@code txid}. Returns at once on the primary (which
   * is the source of every transaction) and when the position is already reached.
   *
   * @return {@code true} when the position was reached, {@code false} when {@code timeout} passed first
   * @throws IllegalArgumentException when {@code database} is not in {@link #databases()}
   * @throws InterruptedException when the waiting thread is interrupted
   */
  boolean awaitPosition(String database, Txid txid, Duration timeout) throws InterruptedException;

  /**
   * Asserts that this node is the primary, for code that finds out only midway that it must write (a GET
   * that reads, misses, and then inserts). On the primary it returns, and marks the current web request as a
   * write so its response carries the read-your-writes cookie. On a replica it throws
   * {@link NotPrimaryException}; inside a web request the starter turns that into a replay on the primary
   * (or a forward to it) as long as the response is not committed yet.
   *
   * @throws NotPrimaryException on a replica
   */
  void requirePrimary();

  /**
   * Returns {@code true} once this node is usable: it is the primary, or a replica that has completed its
   * first sync with a primary. Stays {@code true} afterwards. Always {@code true} in dev mode.
   */
  boolean isSynced();

  /** Returns {@code true} while this node receives LiteFS's event stream; always {@code true} in dev mode. */
  boolean isConnected();
}
