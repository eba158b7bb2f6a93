package dev.litefs.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.litefs.core.ltx.LtxDecoder;
import dev.litefs.core.ltx.LtxHeader;
import dev.litefs.core.testing.Vectors;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A replica killed while applying a received file, after every possible number of page writes: the file is
 * durable (it is written before any page), so the reopened store must finish the apply and end exactly at
 * the captured database.
 */
class StoreCrashTest {
  @TempDir Path tmp;

  @ParameterizedTest
  @ValueSource(strings = {"delete.db", "wal.db", "shrink.db"})
  void aCrashAfterAnyPageOfAnApplyRecoversToTheRecordedTransaction(String name) throws IOException {
    List<Path> files = Vectors.ltxFiles("raw", name);
    for (int txn = 1; txn < files.size(); txn++) {
      Path file = files.get(txn);
      int pages = pageCount(file);
      for (int written = 0; written <= pages; written++) {
        Path dir = tmp.resolve(name + "-" + txn + "-" + written);
        Path dbFile;
        try (Store s = Store.open(StoreOptions.defaults(dir))) {
          Database db = s.createDatabase(name);
          for (int i = 0; i < txn; i++) {
            db.receive(Files.newInputStream(files.get(i)), "tx" + (i + 1));
          }
          dbFile = db.databaseFile();
          // What receive() does before the crash: the file is made durable, then pages are written.
          Files.copy(file, db.history().path(dev.litefs.core.ltx.LtxFileName.parse(file.getFileName().toString())));
          writeFirstPages(file, dbFile, written);
        }
        try (Store s = Store.open(StoreOptions.defaults(dir))) {
          Database db = s.database(name).orElseThrow();
          String expected = Files.readString(Vectors.path("pos/" + name + "-pos.tx" + (txn + 1))).trim();
          assertThat(db.pos().toString()).as("%s TXID %d after %d pages", name, txn + 1, written).isEqualTo(expected);
          assertThat(checksumOfFile(dbFile)).isEqualTo(db.pos().postApplyChecksum().toString());
        }
      }
    }
  }

  private static int pageCount(Path ltx) throws IOException {
    try (InputStream in = Files.newInputStream(ltx)) {
      LtxDecoder d = new LtxDecoder(in, ltx.toString());
      byte[] page = new byte[d.header().pageSize()];
      int n = 0;
      while (d.decodePage(page) != 0) {
        n++;
      }
      return n;
    }
  }

  private static void writeFirstPages(Path ltx, Path db, int count) throws IOException {
    try (InputStream in = new ByteArrayInputStream(Files.readAllBytes(ltx));
        FileChannel ch = FileChannel.open(db, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      LtxDecoder d = new LtxDecoder(in, ltx.toString());
      LtxHeader h = d.header();
      byte[] page = new byte[h.pageSize()];
      for (int i = 0, pgno; i < count && (pgno = d.decodePage(page)) != 0; i++) {
        ch.write(ByteBuffer.wrap(page), (long) (pgno - 1) * h.pageSize());
      }
    }
  }

  private static String checksumOfFile(Path db) throws IOException {
    if (!Files.exists(db)) {
      return "8000000000000000";
    }
    try (FileChannel ch = FileChannel.open(db, StandardOpenOption.READ)) {
      return dev.litefs.core.ltx.PageChecksums.database(ch, 4096, ch.size() / 4096).toString();
    }
  }
}
