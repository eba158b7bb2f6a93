package dev.litefs.core.store;

import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's data directory: every database under {@code dbs/}, the cluster ID, and the retention monitor.
 * {@link #open(StoreOptions)} recovers every database before returning, so a store that opened is
 * consistent.
 *
 * <pre>
 * data.dir/
 *   clusterid                     LFSC + 16 hex digits + newline, once a primary has set it
 *   dbs/NAME/database             the SQLite file
 *   dbs/NAME/journal, wal, shm    backing files of NAME-journal, NAME-wal, NAME-shm in the mount
 *   dbs/NAME/ltx/MIN-MAX.ltx      the LTX history; the newest file holds the position
 * </pre>
 */
public final class Store implements Closeable {
  private static final Logger log = LoggerFactory.getLogger(Store.class);

  private final StoreOptions options;
  private final Map<String, Database> databases = new ConcurrentSkipListMap<>();
  private final List<TxListener> listeners = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService retention;
  private volatile DatabaseFileWriter writer = DirectFileWriter.INSTANCE;
  private volatile CommitGate gate = CommitGate.OPEN;

  private Store(StoreOptions options) {
    this.options = options;
    this.retention = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "litefs-retention");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Opens (creating if needed) the data directory and recovers every database in it.
   *
   * @throws RecoveryException if a database cannot be recovered; the message names it
   * @throws IOException if the directory cannot be read or written
   */
  public static Store open(StoreOptions options) throws IOException {
    Store s = new Store(options);
    Path dbs = options.dataDir().resolve("dbs");
    Files.createDirectories(dbs);
    // LiteFS before 0.5 persisted the node ID; it is random per process now (LiteFS PR #398).
    Files.deleteIfExists(options.dataDir().resolve("id"));
    List<Path> dirs = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dbs, Files::isDirectory)) {
      ds.forEach(dirs::add);
    }
    for (Path dir : dirs) {
      String name = dir.getFileName().toString();
      Database db = new Database(DatabaseName.validate(name), dir, options, s::notifyListeners, s::checkCommit,
          () -> s.writer);
      db.lock().lock();
      try {
        DatabaseRecovery.recover(db);
      } finally {
        db.lock().unlock();
      }
      log.info("opened database {} at {}", name, db.pos());
      s.databases.put(name, db);
    }
    long every = options.retentionMonitorInterval().toMillis();
    if (every > 0) {
      s.retention.scheduleWithFixedDelay(s::enforceRetention, every, every, TimeUnit.MILLISECONDS);
    }
    return s;
  }

  /** The options the store was opened with. */
  public StoreOptions options() {
    return options;
  }

  /** Every database, in name order. */
  public Collection<Database> databases() {
    return databases.values();
  }

  /** The database called {@code name}, if it exists. */
  public Optional<Database> database(String name) {
    return Optional.ofNullable(databases.get(name));
  }

  /**
   * Returns the database called {@code name}, creating its (empty) directory if it does not exist.
   *
   * @throws IllegalArgumentException if the name is not a valid database name
   */
  public Database createDatabase(String name) throws IOException {
    DatabaseName.validate(name);
    synchronized (databases) {
      Database db = databases.get(name);
      if (db == null) {
        Path dir = options.dataDir().resolve("dbs").resolve(name);
        Files.createDirectories(dir.resolve("ltx"));
        Durable.syncDirectory(dir.getParent());
        db = new Database(name, dir, options, this::notifyListeners, this::checkCommit, () -> writer);
        databases.put(name, db);
      }
      return db;
    }
  }

  /**
   * Sets how applied pages reach database files from now on; the FUSE mount routes them through itself.
   * Pass {@code null} to go back to writing the data directory directly.
   */
  public void setFileWriter(DatabaseFileWriter w) {
    writer = w == null ? DirectFileWriter.INSTANCE : w;
  }

  /**
   * Sets who decides whether transactions SQLite made may still be recorded (the node: only while it is
   * primary); {@code null} lets every commit through.
   */
  public void setCommitGate(CommitGate g) {
    gate = g == null ? CommitGate.OPEN : g;
  }

  private void checkCommit(Database db) throws CommitRefusedException {
    gate.check(db);
  }

  /**
   * Waits until no database is in the middle of recording a transaction, by taking each database's lock once.
   * Called after the {@link CommitGate} started refusing, it is a barrier: every transaction recorded at all is
   * recorded (and its listeners told) when this returns, and no other will be.
   */
  public void awaitRecordings() {
    for (Database db : databases.values()) {
      db.lock().lock();
      db.lock().unlock();
    }
  }

  /** Registers a listener for every database's transactions. */
  public void addListener(TxListener l) {
    listeners.add(l);
  }

  /** Removes a listener added with {@link #addListener(TxListener)}. */
  public void removeListener(TxListener l) {
    listeners.remove(l);
  }

  /** The cluster ID recorded in {@code clusterid}, if any. */
  public Optional<ClusterId> clusterId() throws IOException {
    Path f = options.dataDir().resolve("clusterid");
    if (!Files.exists(f)) {
      return Optional.empty();
    }
    String v = Files.readString(f, StandardCharsets.US_ASCII).trim();
    try {
      return Optional.of(new ClusterId(v));
    } catch (IllegalArgumentException e) {
      throw new IOException(f + ": " + e.getMessage(), e);
    }
  }

  /** Records the cluster ID durably. */
  public void setClusterId(ClusterId id) throws IOException {
    Durable.write(options.dataDir().resolve("clusterid"),
        out -> out.write((id.value() + "\n").getBytes(StandardCharsets.US_ASCII)));
  }

  /** Runs retention on every database now; errors are logged and the others still run. */
  public void enforceRetention() {
    for (Database db : databases.values()) {
      try {
        db.enforceRetention();
      } catch (IOException | RuntimeException e) {
        log.warn("retention failed for database {}: {}", db.name(), e.toString());
      }
    }
  }

  private void notifyListeners(Database db, dev.litefs.core.ltx.LtxFileInfo info) {
    for (TxListener l : listeners) {
      try {
        l.onTransaction(db, info);
      } catch (RuntimeException e) {
        log.warn("transaction listener failed on {}: {}", db.name(), e.toString());
      }
    }
  }

  /** Stops the retention monitor and makes every recorded transaction durable (closing the commit logs). */
  @Override
  public void close() {
    retention.shutdownNow();
    for (Database db : databases.values()) {
      try {
        db.close();
      } catch (IOException e) {
        log.error("database {}: cannot sync its commit log at close: {}", db.name(), e.toString());
      }
    }
  }
}
