package dev.litefs.core.store;

import dev.litefs.core.sqlite.WalReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

/**
 * The committed content of a database as SQLite sees it: each page from the WAL's last committed frame for
 * it when there is one, else from the database file. The caller holds whatever locks keep writers and
 * checkpoints out while it reads (the mount's read session does).
 */
final class CommittedPages implements DatabaseFileWriter.ReadSession {
  private final FileChannel db;
  private final FileChannel wal;
  private final Map<Integer, Long> frames = new HashMap<>();

  CommittedPages(Database database) throws IOException {
    this.db = FileChannel.open(database.databaseFile(), StandardOpenOption.READ);
    FileChannel w = null;
    if (Files.exists(database.walFile())) {
      w = FileChannel.open(database.walFile(), StandardOpenOption.READ);
      WalReader r = WalReader.open(w);
      if (r != null) {
        Map<Integer, Long> pending = new HashMap<>();
        byte[] page = new byte[r.header().pageSize()];
        for (WalReader.Frame f; (f = r.next(page)) != null; ) {
          pending.put(f.pgno(), f.offset() + WalReader.FRAME_HEADER_SIZE);
          if (f.isCommit()) {
            frames.putAll(pending);
            pending.clear();
          }
        }
      }
    }
    this.wal = w;
  }

  @Override
  public void readPage(int pgno, byte[] dst) throws IOException {
    Long off = frames.get(pgno);
    FileChannel ch = off != null ? wal : db;
    long pos = off != null ? off : (long) (pgno - 1) * dst.length;
    ByteBuffer b = ByteBuffer.wrap(dst);
    while (b.hasRemaining()) {
      if (ch.read(b, pos + b.position()) < 0) {
        throw new IOException("page " + pgno + " is past the end of the database file");
      }
    }
  }

  @Override
  public java.util.Set<Integer> walPages() {
    return java.util.Set.copyOf(frames.keySet());
  }

  @Override
  public void close() throws IOException {
    db.close();
    if (wal != null) {
      wal.close();
    }
  }
}
