package dev.litefs.bench;

import dev.litefs.core.ltx.LtxFileName;
import dev.litefs.core.ltx.Pos;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Snapshot transfer: a database of the requested size is built on local disk (rows of 1,000,000 random bytes,
 * so LZ4 finds nothing to compress), imported into a primary with {@code litefs import}, and then a new replica
 * is started on an empty data directory. From the replica's process start to its {@code -pos} equal to the
 * primary's, the bench polls (every millisecond) the points the replica passes: its mount answers, it connects
 * to the primary ({@code .primary} appears), the snapshot's first bytes arrive (its {@code receive-*.tmp} file
 * appears in the replica's LTX directory), the last bytes arrive (the file stops growing), the file is stored
 * (fsynced, verified and renamed into place), and the pages are applied through the mount.
 */
final class SnapshotBenchmark {
  /** What was measured; times are nanoseconds from the replica's process start. */
  record Result(long databaseBytes, long ltxBytes, long buildNanos, long importNanos, long mounted, long connected,
      long firstBytes, long lastBytes, long stored, long synced, long primaryCpuNanos, long replicaCpuNanos) {
    /** Bytes of database per second from the replica's connection to its position matching, in MB/s. */
    double streamingMbPerSecond() {
      return databaseBytes / 1e6 / ((synced - connected) / 1e9);
    }

    /** The same over the whole time from the replica's process start. */
    double endToEndMbPerSecond() {
      return databaseBytes / 1e6 / (synced / 1e9);
    }
  }

  private static final String DB = "snapshot";
  private static final int BLOB = 1_000_000;

  private final EngineNode.Launcher launcher;
  private final Path workDir;
  private final long databaseMib;

  SnapshotBenchmark(EngineNode.Launcher launcher, Path workDir, long databaseMib) {
    this.launcher = launcher;
    this.workDir = workDir;
    this.databaseMib = databaseMib;
  }

  /**
   * Builds and imports the database once, then starts {@code runs} new replicas one after the other, each on an
   * empty data directory that is removed after its run (the primary's page cache stays warm after the first).
   */
  List<Result> run(Cleanup cleanup, int runs) throws IOException, SQLException, InterruptedException {
    Path source = workDir.resolve("snapshot-source.db");
    long t = System.nanoTime();
    build(source);
    long buildNanos = System.nanoTime() - t;
    long databaseBytes = Files.size(source);

    EngineNode primary = cleanup.add(launcher.start(workDir.resolve("snap-primary"), "snap-primary",
        EngineNode.staticPrimary("snap-primary")));
    t = System.nanoTime();
    importInto(primary, source);
    long importNanos = System.nanoTime() - t;
    Files.delete(source);
    Pos target = primary.pos(DB).orElseThrow(() -> new IOException("the import did not create " + DB));
    List<Result> results = new java.util.ArrayList<>();
    for (int i = 1; i <= runs; i++) {
      Path dir = workDir.resolve("snap-replica-" + i);
      try (EngineNode replica = launcher.prepare(dir, "snap-replica-" + i, EngineNode.staticReplicaOf(primary))) {
        results.add(newReplica(primary, replica, target, databaseBytes, buildNanos, importNanos));
      }
      Cleanup.deleteTree(dir);
    }
    return results;
  }

  /** Starts {@code replica} on its empty data directory and times it until its position is {@code target}. */
  private Result newReplica(EngineNode primary, EngineNode replica, Pos target, long databaseBytes, long buildNanos,
      long importNanos) throws IOException, InterruptedException {
    Path ltxDir = replica.data().resolve("dbs").resolve(DB).resolve("ltx");
    String finalName = new LtxFileName(dev.litefs.core.ltx.Txid.of(1), target.txid()).toString();
    long mounted = 0;
    long connected = 0;
    long firstBytes = 0;
    long lastBytes = 0;
    long lastSize = -1;
    long stored = 0;
    long ltxBytes = 0;
    long primaryCpu = 0;
    long replicaCpu = 0;
    replica.launch();
    long start = replica.startedAt();
    long deadline = start + TimeUnit.MINUTES.toNanos(30);
    while (true) {
      long now = System.nanoTime();
      if (now > deadline) {
        throw new IOException("the new replica did not reach " + target + " within 30 minutes (log: "
            + replica.log() + ")");
      }
      replica.checkAlive();
      if (mounted == 0 && replica.isMounted()) {
        mounted = now;
      }
      if (mounted != 0 && connected == 0 && Files.exists(replica.path(".primary"))) {
        connected = now;
        primaryCpu = cpuNanos(primary);
        replicaCpu = cpuNanos(replica);
      }
      if (stored == 0 && Files.isDirectory(ltxDir)) {
        if (Files.exists(ltxDir.resolve(finalName))) {
          stored = now;
          ltxBytes = Files.size(ltxDir.resolve(finalName));
          if (lastBytes == 0) {
            lastBytes = now;
          }
        } else {
          Optional<Long> size = receiving(ltxDir);
          if (size.isPresent()) {
            if (firstBytes == 0) {
              firstBytes = now;
            }
            if (size.get() != lastSize) {
              lastSize = size.get();
              lastBytes = now;
            }
          }
        }
      }
      if (stored != 0 && mounted != 0 && target.equals(replica.pos(DB).orElse(null))) {
        long synced = now;
        return new Result(databaseBytes, ltxBytes, buildNanos, importNanos, mounted - start,
            (connected == 0 ? mounted : connected) - start, (firstBytes == 0 ? stored : firstBytes) - start,
            lastBytes - start, stored - start, synced - start, cpuNanos(primary) - primaryCpu,
            cpuNanos(replica) - replicaCpu);
      }
      Thread.sleep(1);
    }
  }

  /** The CPU time {@code node}'s process has used so far (user and system, every thread). */
  private static long cpuNanos(EngineNode node) {
    return ProcessHandle.of(node.pid()).flatMap(h -> h.info().totalCpuDuration()).map(Duration::toNanos).orElse(0L);
  }

  /** The size of the file being received into {@code dir}, if one is. */
  private static Optional<Long> receiving(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        if (p.getFileName().toString().startsWith("receive-")) {
          try {
            return Optional.of(Files.size(p));
          } catch (java.nio.file.NoSuchFileException e) {
            return Optional.empty(); // renamed between the listing and the stat
          }
        }
      }
    }
    return Optional.empty();
  }

  /** Builds a SQLite file of at least {@code databaseMib} MiB of random blobs, 4 KiB pages, on local disk. */
  private void build(Path file) throws SQLException, IOException {
    Files.deleteIfExists(file);
    long target = databaseMib << 20;
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
      SqliteClient.exec(c, "PRAGMA page_size=4096", "PRAGMA journal_mode=OFF", "PRAGMA synchronous=OFF",
          "CREATE TABLE t(id INTEGER PRIMARY KEY, b BLOB)");
      c.setAutoCommit(false);
      try (PreparedStatement insert = c.prepareStatement("INSERT INTO t(b) VALUES (randomblob(?))")) {
        while (true) {
          insert.setInt(1, BLOB);
          insert.executeUpdate();
          if (SqliteClient.queryLong(c, "PRAGMA page_count") * 4096 >= target) {
            break;
          }
        }
      }
      c.commit();
    }
  }

  /** {@code litefs import -name snapshot -url <primary> <file>}, run from the CLI jar. */
  private void importInto(EngineNode primary, Path file) throws IOException, InterruptedException {
    List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
        launcher.cliJar().toString(), "import", "-name", DB, "-url", primary.url(), file.toString());
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IOException("litefs import failed: " + output + "\nprimary log:\n" + primary.tail(20));
    }
    Wait.until("the primary to show the imported database", Duration.ofSeconds(60),
        () -> primary.pos(DB).isPresent());
  }
}
