package dev.litefs.core.store;

import dev.litefs.core.ltx.Pos;
import java.io.IOException;

/**
 * The read session of a deleted or empty database: nothing to read, and the database lock held while it is
 * open so no first page appears under it.
 */
final class EmptyReadSession implements DatabaseFileWriter.ReadSession {
  private final Database db;
  private final Pos at;

  private EmptyReadSession(Database db) {
    this.db = db;
    this.at = db.pos();
  }

  /** An empty session, or the writer's read session if pages appeared before the lock was taken. */
  static DatabaseFileWriter.ReadSession open(Database db) throws IOException {
    db.lock().lock();
    if (db.pageCount() != 0) {
      db.lock().unlock();
      return db.files().openRead(db);
    }
    return new EmptyReadSession(db);
  }

  @Override
  public Pos position() {
    return at;
  }

  @Override
  public int pageSize() {
    return 0;
  }

  @Override
  public int pageCount() {
    return 0;
  }

  @Override
  public void readPage(int pgno, byte[] dst) throws IOException {
    throw new IOException("database " + db.name() + " has no pages");
  }

  @Override
  public void close() {
    db.lock().unlock();
  }
}
