package dev.litefs.bench;

import dev.litefs.bench.TargetTable.Target;
import dev.litefs.templates.ProjectTemplates;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code litefs-bench replication [lag|failover|snapshot|all]}: replication lag, failover and snapshot transfer
 * between real {@code litefs mount} processes (started from the core's CLI jar) on temporary directories and
 * loopback ports, with a real etcd for failover. Ends with a table of each measurement, upstream LiteFS's figure
 * as measured on this machine, the target, and whether it is met.
 */
@Command(
    name = "replication",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Replication lag, failover and snapshot transfer between real litefs mount processes on loopback.",
      "",
      "lag: a writer commits one row on the primary every --spacing-ms while a poller reads the replica's -pos"
          + " through its mount; a TXID's lag is the time from its commit returning to -pos showing it.",
      "",
      "failover: two etcd candidates (etcd on loopback, --ttl-seconds). SIGKILL of the primary, POST /promote to"
          + " the replica, and SIGTERM of the primary, --runs times each, with a writer retrying on each mount.",
      "",
      "snapshot: a --snapshot-mib database imported into a primary, then --runs new replicas started one after"
          + " the other, each on an empty data directory; MB/s from each one's connection to the primary until its"
          + " -pos matches, and their median.",
      "",
      "Needs root, FUSE (fuse3 and libfuse2), and for failover Debian's etcd-server.",
      ""
    })
final class ReplicationCommand implements Callable<Integer> {
  enum Part { lag, failover, snapshot, all }

  private static final String LAG_ANCHOR_P50 = "1.0-1.5 ms";
  private static final String LAG_ANCHOR_P99 = "3.5-5.4 ms";

  @Parameters(index = "0", arity = "0..1", defaultValue = "all", paramLabel = "PART",
      description = "lag, failover, snapshot or all (default: ${DEFAULT-VALUE}).")
  Part part;

  @Option(names = "--dir", paramLabel = "DIR", defaultValue = "${sys:java.io.tmpdir}",
      description = "Where the nodes' directories are made, on a local disk; removed afterwards unless --keep"
          + " (default: ${DEFAULT-VALUE}).")
  Path dir;

  @Option(names = "--keep", description = "Keep the nodes' directories and logs.")
  boolean keep;

  @Option(names = "--litefs-jar", paramLabel = "JAR",
      description = "The core's CLI jar (default: litefs-core/target/litefs-core-*-cli.jar beside this bench).")
  Path litefsJar;

  @Option(names = "--engine-java-opts", paramLabel = "OPTS",
      defaultValue = "${env:LITEFS_JAVA_OPTS:-" + ProjectTemplates.ENGINE_JAVA_OPTIONS + "}",
      description = "JVM options of each litefs mount process, as bin/litefs takes them from LITEFS_JAVA_OPTS;"
          + " empty for the JVM's defaults (default: LITEFS_JAVA_OPTS, else the options the Dockerfiles and the"
          + " starter start the engine with: '${DEFAULT-VALUE}').")
  String engineJavaOpts;

  @Option(names = "--modes", paramLabel = "MODE", split = ",", defaultValue = "delete,wal",
      description = "lag: journal modes, in order (default: ${DEFAULT-VALUE}).")
  List<String> modes;

  @Option(names = "--commits", paramLabel = "N", defaultValue = "2000",
      description = "lag: timed commits per journal mode (default: ${DEFAULT-VALUE}).")
  int commits;

  @Option(names = "--warmup", paramLabel = "N", defaultValue = "1000",
      description = "lag: commits before them, reported apart: the engines' JVMs compile their hot paths over"
          + " the first seconds (default: ${DEFAULT-VALUE}).")
  int warmup;

  @Option(names = "--spacing-ms", paramLabel = "MS", defaultValue = "10",
      description = "lag: time between the starts of two commits (default: ${DEFAULT-VALUE}).")
  int spacingMs;

  @Option(names = "--poll-pause-us", paramLabel = "US", defaultValue = "0",
      description = "lag: pause between two reads of the replica's -pos; 0 spins (default: ${DEFAULT-VALUE}).")
  int pollPauseMicros;

  @Option(names = "--runs", paramLabel = "N", defaultValue = "5",
      description = "failover: runs of each kind; snapshot: new replicas, one after the other (default: ${DEFAULT-VALUE}).")
  int runs;

  @Option(names = "--ttl-seconds", paramLabel = "SECONDS", defaultValue = "2",
      description = "failover: the etcd lease TTL (default: ${DEFAULT-VALUE}).")
  int ttlSeconds;

  @Option(names = "--failover-mode", paramLabel = "MODE", defaultValue = "wal",
      description = "failover: the writers' journal mode (default: ${DEFAULT-VALUE}).")
  String failoverMode;

  @Option(names = "--write-interval-ms", paramLabel = "MS", defaultValue = "10",
      description = "failover: time between two write attempts of each writer (default: ${DEFAULT-VALUE}).")
  int writeIntervalMs;

  @Option(names = "--snapshot-mib", paramLabel = "MIB", defaultValue = "1024",
      description = "snapshot: database size in MiB (default: ${DEFAULT-VALUE}).")
  long snapshotMib;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException, SQLException, InterruptedException {
    if (commits < 1 || warmup < 0 || spacingMs < 1 || pollPauseMicros < 0 || runs < 1 || ttlSeconds < 1
        || writeIntervalMs < 1 || snapshotMib < 1 || modes.isEmpty()) {
      throw new ParameterException(spec.commandLine(), "need --commits, --spacing-ms, --runs, --ttl-seconds,"
          + " --write-interval-ms, --snapshot-mib >= 1, --warmup, --poll-pause-us >= 0 and a journal mode");
    }
    PrintWriter out = spec.commandLine().getOut();
    Path jar = cliJar();
    List<String> javaOpts = engineJavaOpts.isBlank() ? List.of() : Arrays.asList(engineJavaOpts.trim().split("\\s+"));
    EngineNode.Launcher launcher = new EngineNode.Launcher(jar, javaOpts);
    int cores = Runtime.getRuntime().availableProcessors();
    out.println("machine: " + Machine.current());
    out.println("engine: " + jar + " (built " + Files.getLastModifiedTime(jar) + "), JVM options: "
        + (javaOpts.isEmpty() ? "none" : String.join(" ", javaOpts)) + "; client: sqlite-jdbc, SQLite "
        + SqliteClient.version());
    out.println("load before: load average " + MachineLoad.loadAverage());
    out.flush();
    TargetTable table = new TargetTable();
    Path work = Files.createTempDirectory(dir, "litefs-bench-replication-");
    long started = System.nanoTime();
    MachineLoad before = MachineLoad.now();
    try (Cleanup cleanup = new Cleanup()) {
      if (!keep) {
        cleanup.deleteLater(work);
      }
      if (part == Part.lag || part == Part.all) {
        lag(launcher, work, cleanup, table, out, cores);
      }
      if (part == Part.failover || part == Part.all) {
        failover(launcher, work, cleanup, table, out, cores);
      }
      if (part == Part.snapshot || part == Part.all) {
        snapshot(launcher, work, cleanup, table, out, cores);
      }
    }
    out.println();
    out.printf(Locale.ROOT, "whole run: %.0f s, %s%n", (System.nanoTime() - started) / 1e9,
        MachineLoad.describe(before, MachineLoad.now(), cores));
    out.println(keep ? "kept: " + work : "removed: " + work);
    out.println();
    table.print(out);
    out.flush();
    return 0;
  }

  private void lag(EngineNode.Launcher launcher, Path work, Cleanup cleanup, TargetTable table, PrintWriter out,
      int cores)
      throws IOException, SQLException, InterruptedException {
    out.println();
    out.printf(Locale.ROOT, "lag: static primary and replica; a commit every %d ms, %d warm-up then %d timed per"
        + " mode; -pos polled %s%n", spacingMs, warmup, commits,
        pollPauseMicros == 0 ? "back to back" : "every " + pollPauseMicros + " us");
    out.flush();
    try (EngineNode primary = cleanup.add(launcher.start(work.resolve("lag-primary"), "lag-primary",
            EngineNode.staticPrimary("lag-primary")));
        EngineNode replica = cleanup.add(launcher.start(work.resolve("lag-replica"), "lag-replica",
            EngineNode.staticReplicaOf(primary)))) {
      Wait.until("the replica to connect to its primary", Duration.ofSeconds(60),
          () -> Files.exists(replica.path(".primary")));
      LagBenchmark bench = new LagBenchmark(primary, replica, commits, warmup, Duration.ofMillis(spacingMs),
          pollPauseMicros * 1000L);
      for (String mode : modes) {
        MachineLoad before = MachineLoad.now();
        LagBenchmark.Result r = bench.run(mode.toLowerCase(Locale.ROOT));
        String m = r.journalMode().toUpperCase(Locale.ROOT);
        out.printf(Locale.ROOT, "  %-6s synchronous=%s  %s%n", m, r.synchronous(), r.lag().summaryMillis());
        if (r.warmupLag() != null) {
          out.printf(Locale.ROOT, "         warm-up, the %d commits before (JVMs compiling): %s%n", warmup,
              r.warmupLag().summaryMillis());
        }
        if (r.early() > 0) {
          out.printf(Locale.ROOT, "         %d TXIDs were visible on the replica before the commit returned%n",
              r.early());
        }
        out.println("         " + MachineLoad.describe(before, MachineLoad.now(), cores));
        out.flush();
        table.add("lag p50, " + m, LAG_ANCHOR_P50, Target.atMost(1, "ms"), Latencies.millis(r.lag().median()),
            Latencies.format(r.lag().median()));
        table.add("lag p99, " + m, LAG_ANCHOR_P99, Target.atMost(2, "ms"),
            Latencies.millis(r.lag().percentile(99)), Latencies.format(r.lag().percentile(99)));
      }
    }
  }

  private void failover(EngineNode.Launcher launcher, Path work, Cleanup cleanup, TargetTable table,
      PrintWriter out, int cores) throws IOException, SQLException, InterruptedException {
    out.println();
    out.printf(Locale.ROOT, "failover: two etcd candidates, TTL %d s, %s mode, each node's writer tries every %d ms;"
        + " %d runs of each kind%n", ttlSeconds, failoverMode, writeIntervalMs, runs);
    out.flush();
    MachineLoad before = MachineLoad.now();
    try (EtcdServer etcd = cleanup.add(EtcdServer.start(work.resolve("etcd")))) {
      String key = "litefs-bench/primary";
      EngineNode a = cleanup.add(launcher.start(work.resolve("fo-a"), "fo-a",
          EngineNode.etcdCandidate("fo-a", etcd.clientUrl(), key, ttlSeconds)));
      Wait.until("fo-a to become primary", Duration.ofSeconds(60), a::isPrimary);
      EngineNode b = cleanup.add(launcher.start(work.resolve("fo-b"), "fo-b",
          EngineNode.etcdCandidate("fo-b", etcd.clientUrl(), key, ttlSeconds)));
      try {
        FailoverBenchmark bench = new FailoverBenchmark(a, b, failoverMode, Duration.ofMillis(writeIntervalMs), out);
        bench.prepare();
        for (FailoverBenchmark.Kind kind : List.of(FailoverBenchmark.Kind.HANDOFF, FailoverBenchmark.Kind.SHUTDOWN,
            FailoverBenchmark.Kind.KILL)) {
          FailoverBenchmark.Result r = bench.run(kind, runs);
          Latencies measured = kind == FailoverBenchmark.Kind.KILL ? r.sinceEvent() : r.unavailable();
          out.printf(Locale.ROOT, "  %s%n    min / median / max: %s%s%s%n", kind.description,
              measured.rangeSummary(),
              r.lost() == 0 ? "; no acknowledged row lost" : "; " + r.lost() + " acknowledged rows lost in all",
              r.overlapping() == 0 ? "" : "; in " + r.overlapping() + " runs both nodes accepted writes at once");
          out.flush();
          switch (kind) {
            case KILL -> table.add("failover after SIGKILL, max of " + runs,
                "11-21 s (Consul TTL 10 s)", Target.atMost(3, "s"), r.sinceEvent().max() / 1e9,
                Latencies.format(r.sinceEvent().max()));
            case HANDOFF -> table.add("handoff write unavailability, max of " + runs, "-",
                Target.atMost(100, "ms"), Latencies.millis(r.unavailable().max()),
                Latencies.format(r.unavailable().max()));
            case SHUTDOWN -> table.add("clean-shutdown write unavailability, max of " + runs, "-",
                Target.atMost(100, "ms"), Latencies.millis(r.unavailable().max()),
                Latencies.format(r.unavailable().max()));
          }
        }
      } finally {
        b.close();
        a.close();
      }
    }
    out.println("  " + MachineLoad.describe(before, MachineLoad.now(), cores));
    out.flush();
  }

  private void snapshot(EngineNode.Launcher launcher, Path work, Cleanup cleanup, TargetTable table,
      PrintWriter out, int cores) throws IOException, SQLException, InterruptedException {
    out.println();
    out.printf(Locale.ROOT, "snapshot: a %d MiB database of random 1 MB blobs imported into a static primary, then a"
        + " new replica%n", snapshotMib);
    out.flush();
    MachineLoad before = MachineLoad.now();
    List<SnapshotBenchmark.Result> results = new SnapshotBenchmark(launcher, work, snapshotMib).run(cleanup, runs);
    MachineLoad after = MachineLoad.now();
    SnapshotBenchmark.Result first = results.get(0);
    out.printf(Locale.ROOT, "  database %.1f MB (%d MiB), snapshot LTX %.1f MB; built locally in %.1f s,"
        + " litefs import %.1f s%n", first.databaseBytes() / 1e6, first.databaseBytes() >> 20,
        first.ltxBytes() / 1e6, first.buildNanos() / 1e9, first.importNanos() / 1e9);
    out.printf(Locale.ROOT, "  %d new replicas, one after the other; s from each one's process start:%n", results.size());
    snapshotRow(out, "mount answers (JVM start, store, API, FUSE)", results, SnapshotBenchmark.Result::mounted);
    snapshotRow(out, "connected to the primary (.primary appears)", results, SnapshotBenchmark.Result::connected);
    snapshotRow(out, "first snapshot bytes stored (receive-*.tmp)", results, SnapshotBenchmark.Result::firstBytes);
    snapshotRow(out, "last bytes received (the file stops growing)", results, SnapshotBenchmark.Result::lastBytes);
    snapshotRow(out, "LTX stored (verified, renamed)", results, SnapshotBenchmark.Result::stored);
    snapshotRow(out, "-pos equals the primary's (database installed)", results, SnapshotBenchmark.Result::synced);
    double[] mbps = results.stream().mapToDouble(SnapshotBenchmark.Result::streamingMbPerSecond).sorted().toArray();
    double median = mbps[mbps.length / 2];
    out.printf(Locale.ROOT, "  streaming (connected -> -pos equal), MB/s: %s; median %.0f MB/s%n",
        results.stream().map(r -> String.format(Locale.ROOT, "%.0f", r.streamingMbPerSecond()))
            .collect(java.util.stream.Collectors.joining(" / ")), median);
    out.printf(Locale.ROOT, "  CPU from connected to -pos equal, s: primary %s; replica %s%n",
        results.stream().map(r -> String.format(Locale.ROOT, "%.2f", r.primaryCpuNanos() / 1e9))
            .collect(java.util.stream.Collectors.joining(" / ")),
        results.stream().map(r -> String.format(Locale.ROOT, "%.2f", r.replicaCpuNanos() / 1e9))
            .collect(java.util.stream.Collectors.joining(" / ")));
    out.println("  " + MachineLoad.describe(before, after, cores));
    out.flush();
    table.add("snapshot transfer, " + (first.databaseBytes() >> 20) + " MiB, median of " + results.size(), "-",
        Target.atLeast(300, "MB/s"), median, String.format(Locale.ROOT, "%.0f MB/s", median));
  }

  private static void snapshotRow(PrintWriter out, String label, List<SnapshotBenchmark.Result> results,
      java.util.function.ToLongFunction<SnapshotBenchmark.Result> at) {
    out.printf(Locale.ROOT, "    %-48s %s s%n", label, results.stream()
        .map(r -> String.format(Locale.ROOT, "%.3f", at.applyAsLong(r) / 1e9))
        .collect(java.util.stream.Collectors.joining(" / ")));
  }

  /** The CLI jar: {@code --litefs-jar}, else the newest {@code litefs-core-*-cli.jar} of this checkout. */
  private Path cliJar() throws IOException {
    if (litefsJar != null) {
      if (!Files.isRegularFile(litefsJar)) {
        throw new ParameterException(spec.commandLine(), "no such jar: " + litefsJar);
      }
      return litefsJar;
    }
    Path root;
    try {
      root = Path.of(ReplicationCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI())
          .getParent().getParent().getParent();
    } catch (java.net.URISyntaxException | RuntimeException e) {
      throw new ParameterException(spec.commandLine(), "cannot tell where this bench runs from; use --litefs-jar");
    }
    Path target = root.resolve("litefs-core").resolve("target");
    if (Files.isDirectory(target)) {
      try (Stream<Path> files = Files.list(target)) {
        Path newest = null;
        FileTime newestTime = null;
        for (Path p : (Iterable<Path>) files::iterator) {
          String n = p.getFileName().toString();
          if (n.startsWith("litefs-core-") && n.endsWith("-cli.jar")) {
            FileTime t = Files.getLastModifiedTime(p);
            if (newest == null || t.compareTo(newestTime) > 0) {
              newest = p;
              newestTime = t;
            }
          }
        }
        if (newest != null) {
          return newest;
        }
      }
    }
    throw new ParameterException(spec.commandLine(), "no litefs-core-*-cli.jar in " + target
        + "; build it with: mvn -q -B -pl bench -am package -DskipTests (or pass --litefs-jar)");
  }
}
