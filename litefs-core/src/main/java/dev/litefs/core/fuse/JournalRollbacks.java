package dev.litefs.core.fuse;

import dev.litefs.core.store.Database;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rolls back the hot journal of a transaction that failed because the node could not or would not record it
 * (typically: it stopped being primary while the transaction was in flight). SQLite would roll it back on the
 * next read, but its writes to the database of a replica are refused, so readers would fail and a replicated
 * transaction applied meanwhile would later be undone by that rollback. The engine does it instead, through the
 * mount under SQLite's locks ({@link MountWriter#rollBackHotJournal}), on its own thread: a FUSE callback must
 * never do I/O on its own mount, and the client still holds its locks until its failed commit returns.
 */
final class JournalRollbacks implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(JournalRollbacks.class);

  private final MountWriter writer;
  private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "litefs-rollback");
    t.setDaemon(true);
    return t;
  });

  JournalRollbacks(Path mount, EngineThreads engine) {
    this.writer = new MountWriter(mount, engine);
  }

  /** Rolls back {@code db}'s journal soon, if it is still hot then. */
  void rollBackLater(Database db) {
    thread.execute(() -> {
      try {
        writer.rollBackHotJournal(db);
      } catch (IOException | RuntimeException e) {
        log.error("database {}: cannot roll back the journal of a transaction that was not recorded: {}", db.name(),
            e.toString());
      }
    });
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
