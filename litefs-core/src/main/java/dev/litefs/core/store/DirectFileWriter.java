package dev.litefs.core.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/** Writes the database file in the data directory directly: before a mount exists, and without one. */
final class DirectFileWriter implements DatabaseFileWriter {
  static final DirectFileWriter INSTANCE = new DirectFileWriter();

  @Override
  public Session open(Database db, int pageSize) throws IOException {
    FileChannel ch = FileChannel.open(db.databaseFile(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    return new Session() {
      @Override
      public void writePage(int pgno, byte[] data) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(data, 0, pageSize);
        long off = (long) (pgno - 1) * pageSize;
        while (buf.hasRemaining()) {
          ch.write(buf, off + buf.position());
        }
      }

      @Override
      public void finish(int commit) throws IOException {
        ch.truncate((long) commit * pageSize);
        ch.force(false);
      }

      @Override
      public void finishUnsynced(int commit) throws IOException {
        if (ch.size() != (long) commit * pageSize) {
          ch.truncate((long) commit * pageSize);
        }
      }

      @Override
      public void close() throws IOException {
        ch.close();
      }
    };
  }

  @Override
  public ReadSession openRead(Database db) throws IOException {
    // Without a mount only the store writes the file, under the database lock: hold it while reading.
    db.lock().lock();
    return new CommittedPages(db, true, db.lock());
  }

  @Override
  public void delete(Database db) throws IOException {
    for (Path p : List.of(db.databaseFile(), db.journalFile(), db.walFile(), db.shmFile())) {
      Files.deleteIfExists(p);
    }
  }
}
