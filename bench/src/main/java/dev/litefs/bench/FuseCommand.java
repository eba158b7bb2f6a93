package dev.litefs.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code litefs-bench fuse}: the FUSE issue's benchmark. Starts a real {@code litefs mount} and runs the
 * project's yardstick loops (Python's {@code sqlite3}) on the mount and on a local directory of the same disk
 * in the same run, alternating, and prints each case's mount/local ratio beside upstream LiteFS, the jnr-fuse
 * passthrough and the target. A counting pass then runs each case on fresh mounts with libfuse's debug log
 * and {@code strace -c}, and reports FUSE requests and sync calls per transaction or query.
 */
@Command(
    name = "fuse",
    mixinStandardHelpOptions = true,
    description = "SQLite through a real litefs mount vs the local disk (same run, same Python client): "
        + "ratios per case against the targets, then FUSE requests and fsyncs per commit.")
final class FuseCommand implements Callable<Integer> {
  private static final List<String> MOUNT_MAIN = List.of("dev.litefs.core.cli.LiteFsCommand");

  @Option(names = "--reps", defaultValue = "5", description = "Timed runs per case (default: ${DEFAULT-VALUE}).")
  int reps;

  @Option(names = "--inserts", defaultValue = "1000",
      description = "Transactions per insert run (default: ${DEFAULT-VALUE}, as the yardstick).")
  int inserts;

  @Option(names = "--reads", defaultValue = "20000",
      description = "Queries per read run (default: ${DEFAULT-VALUE}, as the yardstick).")
  int reads;

  @Option(names = "--paired", defaultValue = "0", paramLabel = "N",
      description = "Instead of the yardstick's run-after-run loops, run each case on the mount and the local "
          + "directory at once, alternating every N statements, so both sides see the same moments of a "
          + "shared disk's load (default: ${DEFAULT-VALUE}, the yardstick's loops).")
  int paired;

  @Option(names = "--cases", split = ",", description = "Case ids to run (default: all): ${COMPLETION-CANDIDATES}",
      completionCandidates = CaseIds.class)
  List<String> cases;

  @Option(names = "--dir", defaultValue = "${sys:java.io.tmpdir}",
      description = "Where the mount, its data directory and the local directory are made, on one disk "
          + "(default: ${DEFAULT-VALUE}); removed afterwards.")
  Path dir;

  @Option(names = "--litefs-jar", defaultValue = "${env:LITEFS_CLI_JAR}",
      description = "The litefs CLI jar to mount with (default: $LITEFS_CLI_JAR, which bin/litefs-bench sets; "
          + "without it, the engine classes in this jar).")
  Path litefsJar;

  @Option(names = "--mount-java-opts", defaultValue = "-Xmx128m -XX:+UseSerialGC",
      description = "JVM options of the mount process (default: ${DEFAULT-VALUE}).")
  String mountJavaOpts;

  @Option(names = "--warmup", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Run every case once on the mount before timing, so its JIT has compiled the paths "
          + "the timed runs take (default: ${DEFAULT-VALUE}).")
  boolean warmup;

  @Option(names = "--count", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Count FUSE requests and sync calls per commit or query on fresh mounts (default: ${DEFAULT-VALUE}).")
  boolean count;

  @Spec CommandSpec spec;

  /** The case ids, for completion and help. */
  static final class CaseIds extends ArrayList<String> {
    private static final long serialVersionUID = 1L;

    CaseIds() {
      super(FuseCase.ALL.stream().map(FuseCase::id).toList());
    }
  }

  @Override
  public Integer call() throws IOException {
    List<FuseCase> selected = selectedCases();
    PrintWriter out = spec.commandLine().getOut();
    Path work = Files.createTempDirectory(dir, "litefs-bench-fuse-");
    try {
      SqliteLoops loops = new SqliteLoops(work, out);
      out.println("litefs-bench fuse: SQLite on a litefs mount vs the local disk, same run, same client ("
          + clientVersions() + ")");
      out.println("machine: " + Machine.current());
      out.println("mount: " + String.join(" ", litefs()) + " mount");
      out.println("directories: " + work + " (" + fileSystemOf(work) + ")");
      out.println("load average before: " + loadAverage());
      out.flush();
      Map<String, List<SqliteLoops.Result>> timed = timedRuns(work, loops, selected, out);
      out.println("load average after: " + loadAverage());
      printRatios(out, selected, timed);
      if (count) {
        printCounts(out, countingPass(work, loops, selected));
      }
      out.flush();
      return 0;
    } finally {
      deleteTree(work);
    }
  }

  private List<FuseCase> selectedCases() {
    if (cases == null || cases.isEmpty()) {
      return FuseCase.ALL;
    }
    List<FuseCase> l = new ArrayList<>();
    for (String id : cases) {
      l.add(FuseCase.ALL.stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow(() ->
          new ParameterException(spec.commandLine(), "unknown case '" + id + "'; cases: " + new CaseIds())));
    }
    return l;
  }

  /** The command line that runs litefs, up to the subcommand. */
  private List<String> litefs() {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(Arrays.asList(mountJavaOpts.trim().split("\\s+")));
    if (litefsJar != null && !litefsJar.toString().isEmpty()) {
      cmd.addAll(List.of("-jar", litefsJar.toString()));
    } else {
      cmd.addAll(List.of("-cp", System.getProperty("java.class.path")));
      cmd.addAll(MOUNT_MAIN);
    }
    return cmd;
  }

  private Map<String, List<SqliteLoops.Result>> timedRuns(Path work, SqliteLoops loops, List<FuseCase> selected,
      PrintWriter out) throws IOException {
    Path local = work.resolve("local");
    Files.createDirectories(local);
    Map<String, List<SqliteLoops.Result>> byCase = new LinkedHashMap<>();
    try (BenchMount m = BenchMount.start(litefs(), work.resolve("timed"), false)) {
      if (warmup) {
        out.println("warm-up: every case once on the mount (untimed)");
        out.flush();
        loops.only(m.mount(), selected, inserts, reads);
      }
      out.println("timed: " + reps + " runs per case, " + (paired > 0
          ? "mount and local at once, alternating every " + paired + " statements (--paired)"
          : "mount then local, alternating (the yardstick's loops)"));
      out.flush();
      for (FuseCase c : selected) {
        requireMounted(m);
        byCase.put(c.id(), loops.compare(m.mount(), local, List.of(c), reps, inserts, reads, paired));
        requireMounted(m);
      }
    }
    return byCase;
  }

  private static void requireMounted(BenchMount m) throws IOException {
    if (!m.isMounted()) {
      throw new IOException("the mount at " + m.mount() + " is gone; the loop would measure the plain directory");
    }
  }

  private static void printRatios(PrintWriter out, List<FuseCase> selected,
      Map<String, List<SqliteLoops.Result>> timed) {
    out.println();
    out.printf(Locale.ROOT, "%-30s %7s %12s %8s %7s %15s %10s %10s%n", "case", "LiteFS", "passthrough", "target",
        "ours", "range", "mount/s", "local/s");
    for (FuseCase c : selected) {
      List<SqliteLoops.Result> rs = new ArrayList<>(timed.get(c.id()));
      rs.sort(Comparator.comparingDouble(SqliteLoops.Result::ratio));
      SqliteLoops.Result median = rs.get(rs.size() / 2);
      out.printf(Locale.ROOT, "%-30s %7s %12s %8s %7.3f %15s %10.0f %10.0f  %s%n", c.name(), fmt(c.liteFs()),
          fmt(c.passthrough()), Double.isNaN(c.target()) ? "-" : ">= " + fmt(c.target()), median.ratio(),
          String.format(Locale.ROOT, "%.3f-%.3f", rs.get(0).ratio(), rs.get(rs.size() - 1).ratio()), median.mount(),
          median.local(), Double.isNaN(c.target()) ? "" : c.meets(median.ratio()) ? "met" : "NOT MET");
    }
    out.println("(ours: the median of the runs' mount/local ratios, as the yardstick reports; range: lowest-highest)");
  }

  private static String fmt(double v) {
    return Double.isNaN(v) ? "-" : java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
  }

  /** Per case: requests by opcode and sync calls per transaction or query. */
  private record Counts(FuseCase c, Map<String, Double> requests, double syncs, double clientSyncs, int small,
      int large) {}

  private List<Counts> countingPass(Path work, SqliteLoops loops, List<FuseCase> selected) throws IOException {
    List<Counts> counts = new ArrayList<>();
    int n = 0;
    for (FuseCase c : selected) {
      int small = c.inserts() ? inserts / 5 : 2000;
      int large = c.inserts() ? inserts : 12000;
      List<Map<String, Long>> req = new ArrayList<>();
      long[] syncs = new long[2];
      int[] sizes = {small, large};
      for (int i = 0; i < 2; i++) {
        try (BenchMount m = BenchMount.start(litefs(), work.resolve("count-" + n++), true)) {
          loops.only(m.mount(), List.of(c), c.inserts() ? sizes[i] : inserts, c.inserts() ? reads : sizes[i]);
          requireMounted(m);
          m.close();
          req.add(m.fuseRequests());
          syncs[i] = m.syncCalls().orElse(-1);
        }
      }
      double per = large - small;
      Map<String, Double> perOp = new LinkedHashMap<>();
      req.get(1).entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).forEach(e -> {
        double d = (e.getValue() - req.get(0).getOrDefault(e.getKey(), 0L)) / per;
        if (Math.abs(d) >= 0.005) {
          perOp.put(e.getKey(), d);
        }
      });
      double client = perOp.getOrDefault("FSYNC", 0.0);
      double total = syncs[0] < 0 || syncs[1] < 0 ? Double.NaN : (syncs[1] - syncs[0]) / per;
      counts.add(new Counts(c, perOp, total, client, small, large));
    }
    return counts;
  }

  private static void printCounts(PrintWriter out, List<Counts> counts) {
    out.println();
    out.println("per transaction (inserts) or query (reads), from fresh counting mounts: the difference between"
        + " a run of N and one of M");
    out.println("requests: what the kernel sent (libfuse's debug log); syncs: fsync/fdatasync calls of the mount"
        + " process (strace -c), the client's (FUSE FSYNC) + the engine's own");
    out.printf(Locale.ROOT, "%-30s %-12s %9s %-24s %s%n", "case", "N/M", "requests", "syncs (client + engine)",
        "requests by opcode");
    for (Counts c : counts) {
      double total = c.requests().values().stream().mapToDouble(Double::doubleValue).sum();
      StringBuilder ops = new StringBuilder();
      c.requests().forEach((k, v) -> ops.append(ops.length() == 0 ? "" : ", ")
          .append(String.format(Locale.ROOT, "%s %.2f", k, v)));
      String syncs = Double.isNaN(c.syncs()) ? "n/a (no strace)" : String.format(Locale.ROOT, "%.2f (%.2f + %.2f)",
          c.syncs(), c.clientSyncs(), c.syncs() - c.clientSyncs());
      out.printf(Locale.ROOT, "%-30s %-12s %9.2f %-24s %s%n", c.c().name(), c.large() + "/" + c.small(), total, syncs,
          ops);
    }
  }

  private static String clientVersions() {
    try {
      Process p = new ProcessBuilder("python3", "-c",
          "import sqlite3,sys; print('Python', sys.version.split()[0], 'sqlite3', sqlite3.sqlite_version)")
          .redirectErrorStream(true).start();
      return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      return "python3 not found: " + e.getMessage();
    }
  }

  private static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2] + " (1, 5, 15 min)";
    } catch (IOException e) {
      return "unknown";
    }
  }

  /** The file system type and device of the mount holding {@code p}, from /proc/self/mounts. */
  private static String fileSystemOf(Path p) {
    try (Stream<String> lines = Files.lines(Path.of("/proc/self/mounts"))) {
      String abs = p.toAbsolutePath().toString();
      return lines.map(l -> l.split(" "))
          .filter(f -> f.length > 2 && (abs.equals(f[1]) || abs.startsWith(f[1].endsWith("/") ? f[1] : f[1] + "/")))
          .max(Comparator.comparingInt(f -> f[1].length()))
          .map(f -> f[2] + " on " + f[0] + " at " + f[1]).orElse("unknown file system");
    } catch (IOException e) {
      return "unknown file system";
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
