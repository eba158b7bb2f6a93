package dev.litefs.bench;

import dev.litefs.bench.Harness.Timings;
import dev.litefs.core.ltx.Crc64;
import dev.litefs.core.ltx.PageChecksums;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.zip.CRC32C;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code litefs-bench checksum}: CRC-64 throughput on one thread beside the JDK's CRC32C on the same bytes,
 * page-checksum throughput, and the wall time of {@link PageChecksums#database} over a database file in
 * the page cache using all cores.
 */
@Command(
    name = "checksum",
    mixinStandardHelpOptions = true,
    description = "CRC-64 and page-checksum throughput on one thread beside CRC32C, and the time to"
        + " checksum a database file from the page cache with all cores.")
final class ChecksumCommand implements Callable<Integer> {
  private static final int PAGE_SIZE = 4096;
  private static final int WARM_UP_CHUNK = 64 << 10;

  @Option(names = "--buffer-mib", defaultValue = "64",
      description = "In-memory buffer for the one-thread runs, in MiB (default: ${DEFAULT-VALUE}).")
  int bufferMib;

  @Option(names = "--db-mib", defaultValue = "1024",
      description = "Size of the database file, in MiB (default: ${DEFAULT-VALUE}).")
  int dbMib;

  @Option(names = "--dir", defaultValue = "${sys:java.io.tmpdir}",
      description = "Directory on a local disk for the database file, deleted afterwards (default: ${DEFAULT-VALUE}).")
  Path dir;

  @Option(names = "--runs", defaultValue = "7", description = "Timed runs per measurement (default: ${DEFAULT-VALUE}).")
  int runs;

  @Option(names = "--warmups", defaultValue = "3",
      description = "Untimed runs before each measurement (default: ${DEFAULT-VALUE}).")
  int warmups;

  @Spec CommandSpec spec;

  /** A checksum over {@code len} bytes of {@code b} from {@code off}, as each contender computes it. */
  private interface Kernel {
    long checksum(byte[] b, int off, int len);
  }

  @Override
  public Integer call() throws IOException {
    if (bufferMib < 1 || bufferMib > 1024 || dbMib < 1 || runs < 1 || warmups < 0) {
      throw new ParameterException(spec.commandLine(),
          "need 1 <= --buffer-mib <= 1024, --db-mib >= 1, --runs >= 1 and --warmups >= 0");
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println("machine: " + Machine.current());
    oneThread(out);
    database(out);
    out.flush();
    return 0;
  }

  private void oneThread(PrintWriter out) {
    byte[] buf = new byte[bufferMib << 20];
    new SplittableRandom(bufferMib).nextBytes(buf);
    if (Crc64.checksum(buf) != SlicingBy8.checksum(buf, 0, buf.length)) {
      throw new IllegalStateException("Crc64 and the slicing-by-8 baseline disagree on the same bytes");
    }
    Timings crc64 = measure(buf, Crc64::checksum);
    Timings crc32c = measure(buf, ChecksumCommand::crc32c);
    Timings baseline = measure(buf, SlicingBy8::checksum);
    Timings pages = measure(buf, ChecksumCommand::pageChecksums);

    long bytes = buf.length;
    out.printf(Locale.ROOT, "one thread, %d MiB buffer, median of %d runs after %d warm-up runs (GB = 10^9 bytes)%n",
        bufferMib, runs, warmups);
    out.printf(Locale.ROOT, "  %-34s %6.2f GB/s%n", "CRC-64, Crc64.update", crc64.gbPerSecond(bytes));
    out.printf(Locale.ROOT, "  %-34s %6.2f GB/s%n", "CRC32C, java.util.zip.CRC32C", crc32c.gbPerSecond(bytes));
    out.printf(Locale.ROOT, "  %-34s %6.2f%n", "ratio CRC-64 / CRC32C",
        crc64.gbPerSecond(bytes) / crc32c.gbPerSecond(bytes));
    out.printf(Locale.ROOT, "  %-34s %6.2f GB/s%n", "CRC-64, slicing-by-8 baseline", baseline.gbPerSecond(bytes));
    out.printf(Locale.ROOT, "  %-34s %6.2f GB/s  %.2f M pages/s%n", "page checksums, PageChecksums.page",
        pages.gbPerSecond(bytes), bytes / PAGE_SIZE * 1e3 / pages.median());
  }

  private Timings measure(byte[] buf, Kernel k) {
    int chunks = buf.length / WARM_UP_CHUNK;
    Harness.warmUpCompiler(Math.max(5_000, chunks),
        i -> k.checksum(buf, i % chunks * WARM_UP_CHUNK, WARM_UP_CHUNK));
    return Harness.time(warmups, runs, () -> k.checksum(buf, 0, buf.length));
  }

  private static long crc32c(byte[] b, int off, int len) {
    CRC32C crc = new CRC32C();
    crc.update(b, off, len);
    return crc.getValue();
  }

  /** XOR of the page checksums of the whole pages in the range, as the database checksum combines them. */
  private static long pageChecksums(byte[] b, int off, int len) {
    long x = 0;
    for (int p = 0; p + PAGE_SIZE <= len; p += PAGE_SIZE) {
      x ^= PageChecksums.page(p / PAGE_SIZE + 1, b, off + p, PAGE_SIZE);
    }
    return x;
  }

  private void database(PrintWriter out) throws IOException {
    Timings db;
    try (DatabaseFile file = DatabaseFile.create(dir, dbMib);
        FileChannel ch = FileChannel.open(file.path(), StandardOpenOption.READ)) {
      long pages = ch.size() / PAGE_SIZE;
      db = Harness.time(warmups, runs, () -> checksum(ch, pages));
    }
    out.printf(Locale.ROOT, "database file, %d MiB of 4 KiB pages in %s (%s), from the page cache, median of %d runs"
        + " after %d warm-up runs%n", dbMib, dir, Files.getFileStore(dir).type(), runs, warmups);
    out.printf(Locale.ROOT, "  %-34s %6.3f s  (min %.3f s, max %.3f s)  %.2f GB/s%n", "PageChecksums.database",
        db.median() / 1e9, db.min() / 1e9, db.max() / 1e9, db.gbPerSecond((long) dbMib << 20));
    out.printf(Locale.ROOT, "  cores: %d available, %.2f busy (process CPU time / wall time)%n",
        Runtime.getRuntime().availableProcessors(), db.coresBusy());
  }

  private static long checksum(FileChannel ch, long pages) {
    try {
      return PageChecksums.database(ch, PAGE_SIZE, pages).value();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
