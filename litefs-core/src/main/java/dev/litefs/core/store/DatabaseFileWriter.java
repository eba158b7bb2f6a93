package dev.litefs.core.store;

import dev.litefs.core.ltx.Pos;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How the pages of an LTX file the store applies (a received file, recovery) reach the database file. The
 * default writes the file in the data directory; once the database is served through a FUSE mount, the
 * mount installs a writer that goes through the mount like a SQLite client, so the kernel's caches and
 * clients with the database open see every change.
 */
public interface DatabaseFileWriter {
  /** Begins writing database {@code db} (taking whatever locks clients must respect). */
  Session open(Database db, int pageSize) throws IOException;

  /**
   * As {@link #open}, for a replica's stream, which applies one transaction after another: the writer may
   * keep what it opened for the next session on the same database, until {@link #release}.
   */
  default Session openForStream(Database db, int pageSize) throws IOException {
    return open(db, pageSize);
  }

  /** Closes whatever {@link #openForStream} kept open for {@code db}. */
  default void release(Database db) {}

  /**
   * Opens a consistent view of the committed pages (the database file with the WAL's committed frames over
   * it) at the database's current position, holding until it is closed whatever keeps the pages read from
   * changing under it: rollback-mode writers and checkpoints are kept out, WAL-mode writers may go on
   * appending. For snapshots and exports.
   */
  ReadSession openRead(Database db) throws IOException;

  /**
   * Makes {@code file}, a complete database file in the data directory, {@code db}'s database file, if it has
   * none: a replica's first snapshot, built beside it ({@code SnapshotDatabase}). The file keeps its name
   * until then and loses it after.
   *
   * @return {@code false}, changing nothing, if the database has a file
   */
  default boolean install(Database db, Path file) throws IOException {
    try {
      // A link, not a rename: it fails rather than replace a file created meanwhile.
      Files.createLink(db.databaseFile(), file);
    } catch (FileAlreadyExistsException e) {
      return false;
    }
    Files.delete(file);
    return true;
  }

  /** Deletes the database and its journal, WAL and shared-memory files (a commit-0 file). */
  void delete(Database db) throws IOException;

  /** A consistent read of the committed pages, at the position taken when it was opened. */
  interface ReadSession extends Closeable {
    /** The position the pages are at. */
    Pos position();

    /** The page size, 0 for a database without pages. */
    int pageSize();

    /** The number of pages (SQLite's commit size) at {@link #position()}. */
    int pageCount();

    /** Reads page {@code pgno} (whose size is {@code dst.length}). */
    void readPage(int pgno, byte[] dst) throws IOException;

    /** The pages whose committed version is in the WAL rather than the database file. */
    default java.util.Set<Integer> walPages() {
      return java.util.Set.of();
    }
  }

  /** One application of one LTX file. */
  interface Session extends Closeable {
    /** Writes one page. */
    void writePage(int pgno, byte[] data) throws IOException;

    /** Sets the size to {@code commit} pages, makes the pages durable and visible; the session then closes. */
    void finish(int commit) throws IOException;

    /**
     * As {@link #finish}, without making the pages durable: a replica's apply, which the commit log and the
     * {@code unsynced} marker make repairable after a crash (ADR 0010).
     */
    default void finishUnsynced(int commit) throws IOException {
      finish(commit);
    }

    /**
     * Copies the WAL's committed pages into the database file and empties the WAL, so pages written next go
     * straight to the database (a HALT lock on a WAL-mode primary). Nothing to do without a WAL.
     */
    default void checkpoint(Database db) throws IOException {}

    /** This session for one use after which the caller keeps it open (and locked). */
    default Session unclosable() {
      Session s = this;
      return new Session() {
        @Override
        public void writePage(int pgno, byte[] data) throws IOException {
          s.writePage(pgno, data);
        }

        @Override
        public void finish(int commit) throws IOException {
          s.finish(commit);
        }

        @Override
        public void finishUnsynced(int commit) throws IOException {
          s.finishUnsynced(commit);
        }

        @Override
        public void close() {}
      };
    }
  }
}
