package dev.litefs.core.ltx;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PageChecksumsTest {
  private static final long SEED = 0x9A6E_C5L;

  @TempDir Path tmp;

  /** The database checksum as the definition states it: one page at a time, skipping the lock page. */
  static long straightforward(FileChannel ch, int pageSize, long pageCount) throws IOException {
    long pages = Math.min(pageCount, ch.size() / pageSize);
    long x = 0;
    int pagesPerRead = Math.max(1, (1 << 20) / pageSize);
    byte[] chunk = new byte[pagesPerRead * pageSize];
    for (long first = 1; first <= pages; first += pagesPerRead) {
      ByteBuffer buf = ByteBuffer.wrap(chunk, 0, (int) Math.min(pagesPerRead, pages - first + 1) * pageSize);
      while (buf.hasRemaining()) {
        ch.read(buf, (first - 1) * pageSize + buf.position());
      }
      for (int i = 0; i < buf.limit() / pageSize; i++) {
        long pgno = first + i;
        if (pgno != PageChecksums.lockPage(pageSize)) {
          x ^= Crc64.update(Crc64.updateInt(0, (int) pgno), chunk, i * pageSize, pageSize) | Checksum.FLAG;
        }
      }
    }
    return x | Checksum.FLAG;
  }

  FileChannel randomFile(String name, long size, Random r) throws IOException {
    FileChannel ch = FileChannel.open(tmp.resolve(name), StandardOpenOption.CREATE_NEW,
        StandardOpenOption.READ, StandardOpenOption.WRITE);
    byte[] chunk = new byte[64 * 1024];
    for (long pos = 0; pos < size; pos += chunk.length) {
      r.nextBytes(chunk);
      ch.write(ByteBuffer.wrap(chunk, 0, (int) Math.min(chunk.length, size - pos)), pos);
    }
    return ch;
  }

  static void writeRandom(FileChannel ch, long pos, int len, Random r) throws IOException {
    byte[] b = new byte[len];
    r.nextBytes(b);
    ch.write(ByteBuffer.wrap(b), pos);
  }

  @Test
  void lockPageIsTheOneHoldingThePendingByte() {
    assertThat(PageChecksums.lockPage(4096)).isEqualTo(262145);
    assertThat(PageChecksums.lockPage(512)).isEqualTo(2097153);
    assertThat(PageChecksums.lockPage(65536)).isEqualTo(16385);
  }

  @Test
  void pageChecksumIsCrcOfBigEndianPageNumberAndPageWithTheFlag() {
    byte[] data = new byte[4096 + 10];
    new Random(SEED).nextBytes(data);
    byte[] prefixed = ByteBuffer.allocate(4 + 4096).putInt(7).put(data, 10, 4096).array();

    assertThat(PageChecksums.page(7, data, 10, 4096)).isEqualTo(Crc64.checksum(prefixed) | Checksum.FLAG);
    assertThat(PageChecksums.page(7, ByteBuffer.allocateDirect(4096).put(data, 10, 4096).flip()))
        .isEqualTo(Crc64.checksum(prefixed) | Checksum.FLAG);
  }

  @Test
  void databaseChecksumEqualsThePerPageComputation() throws IOException {
    Random r = new Random(SEED);
    for (int pageSize : new int[] {512, 4096, 65536}) {
      try (FileChannel ch = randomFile("db-" + pageSize, 37L * pageSize, r)) {
        assertThat(PageChecksums.database(ch, pageSize, 37).value())
            .as("page size %d", pageSize)
            .isEqualTo(straightforward(ch, pageSize, 37));
      }
    }
  }

  @Test
  void emptyFileOrZeroPagesGiveTheEmptyChecksum() throws IOException {
    try (FileChannel ch = randomFile("db", 0, new Random(SEED))) {
      assertThat(PageChecksums.database(ch, 4096, 10)).isEqualTo(Checksum.EMPTY);
    }
    try (FileChannel ch = randomFile("db2", 8192, new Random(SEED))) {
      assertThat(PageChecksums.database(ch, 4096, 0)).isEqualTo(Checksum.EMPTY);
    }
  }

  @Test
  void shortFileCountsMissingPagesAsAbsentAndIgnoresAPartialLastPage() throws IOException {
    try (FileChannel ch = randomFile("db", 10L * 4096 + 100, new Random(SEED))) {
      Checksum tenPages = PageChecksums.database(ch, 4096, 10);

      assertThat(PageChecksums.database(ch, 4096, 1000)).isEqualTo(tenPages);
      assertThat(tenPages.value()).isEqualTo(straightforward(ch, 4096, 10));
    }
  }

  @Test
  void onlyTheFirstPageCountPagesAreChecksummed() throws IOException {
    try (FileChannel ch = randomFile("db", 20L * 4096, new Random(SEED))) {
      assertThat(PageChecksums.database(ch, 4096, 12).value()).isEqualTo(straightforward(ch, 4096, 12));
    }
  }

  @Test
  void checksumIsIndependentOfHowManySegmentsReadIt() throws IOException {
    Random r = new Random(SEED);
    try (FileChannel ch = randomFile("db", 301L * 1024, r)) {
      Checksum serial = PageChecksums.database(ch, 1024, 301, 1);
      for (int segments : new int[] {2, 3, 8, 300, 301, 1000}) {
        assertThat(PageChecksums.database(ch, 1024, 301, segments)).as("%d segments", segments).isEqualTo(serial);
      }
    }
  }

  @Test
  void fileOverTheParallelThresholdGivesTheSerialChecksum() throws IOException {
    Random r = new Random(SEED);
    long pages = (65L << 20) / 4096;
    try (FileChannel ch = FileChannel.open(tmp.resolve("sparse.db"), StandardOpenOption.CREATE_NEW,
        StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.SPARSE)) {
      for (int i = 0; i < 200; i++) {
        writeRandom(ch, (long) r.nextInt((int) pages) * 4096, 4096, r);
      }
      writeRandom(ch, (pages - 1) * 4096, 4096, r);

      assertThat(PageChecksums.database(ch, 4096, pages)).isEqualTo(PageChecksums.database(ch, 4096, pages, 1));
      assertThat(PageChecksums.database(ch, 4096, pages).value()).isEqualTo(straightforward(ch, 4096, pages));
    }
  }

  @Test
  void lockPageIsSkipped() throws IOException {
    int pageSize = 512;
    long lockPage = PageChecksums.lockPage(pageSize);
    long lockPageOffset = (lockPage - 1) * pageSize;
    Random r = new Random(SEED);
    // A sparse file of just over 1 GiB: only the pages around the lock page take disk space.
    try (FileChannel ch = FileChannel.open(tmp.resolve("sparse.db"), StandardOpenOption.CREATE_NEW,
        StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.SPARSE)) {
      writeRandom(ch, 0, pageSize, r);
      writeRandom(ch, lockPageOffset - pageSize, 3 * pageSize, r);
      Checksum withLockPage = PageChecksums.database(ch, pageSize, lockPage + 1);

      assertThat(PageChecksums.database(ch, pageSize, lockPage))
          .isEqualTo(PageChecksums.database(ch, pageSize, lockPage - 1));
      assertThat(withLockPage.value()).isEqualTo(straightforward(ch, pageSize, lockPage + 1));
    }
  }
}
