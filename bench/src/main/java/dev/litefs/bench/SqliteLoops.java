package dev.litefs.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the yardstick's client loops ({@code sqlite_loops.py}, shipped in this jar: Python's {@code sqlite3},
 * so the numbers compare with design.md's) and collects their measurements.
 */
final class SqliteLoops {
  /** One measurement: a case's rate on the mount and on the local directory (0 when not run there). */
  record Result(String caseId, int rep, double mount, double local) {
    double ratio() {
      return mount / local;
    }
  }

  private final Path script;
  private final PrintWriter echo;

  /** Copies the script into {@code dir}; {@code echo} receives the script's own summary lines. */
  SqliteLoops(Path dir, PrintWriter echo) throws IOException {
    this.script = dir.resolve("sqlite_loops.py");
    this.echo = echo;
    try (InputStream in = SqliteLoops.class.getResourceAsStream("sqlite_loops.py")) {
      if (in == null) {
        throw new IOException("sqlite_loops.py is missing from the benchmark jar");
      }
      Files.copy(in, script);
    }
  }

  /**
   * Runs {@code cases} on the mount and the local directory, {@code reps} times each: the yardstick's loops
   * one after the other, or with {@code paired > 0} both at once, alternating every {@code paired} statements.
   */
  List<Result> compare(Path mount, Path local, List<FuseCase> cases, int reps, int inserts, int reads, int paired)
      throws IOException {
    return run(List.of(mount.toString(), local.toString(), "--reps", Integer.toString(reps), "--cases", ids(cases),
        "--inserts", Integer.toString(inserts), "--reads", Integer.toString(reads), "--paired",
        Integer.toString(paired)));
  }

  /** Runs {@code cases} once in {@code dir} only (warm-up and counting passes). */
  List<Result> only(Path dir, List<FuseCase> cases, int inserts, int reads) throws IOException {
    return run(List.of("--only", dir.toString(), "--cases", ids(cases), "--inserts", Integer.toString(inserts),
        "--reads", Integer.toString(reads)));
  }

  private static String ids(List<FuseCase> cases) {
    return String.join(",", cases.stream().map(FuseCase::id).toList());
  }

  private List<Result> run(List<String> args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("python3", script.toString()));
    cmd.addAll(args);
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    List<Result> results = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        if (line.startsWith("RESULT ")) {
          String[] f = line.split(" ");
          results.add(new Result(f[1], Integer.parseInt(f[2]), Double.parseDouble(f[3]), Double.parseDouble(f[4])));
        } else if (echo != null) {
          echo.println("  " + line);
          echo.flush();
        }
      }
    }
    try {
      int code = p.waitFor();
      if (code != 0) {
        throw new IOException("sqlite_loops.py " + String.join(" ", args) + " exited with status " + code);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new UncheckedIOException(new IOException("interrupted", e));
    }
    return results;
  }
}
