package dev.litefs.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Failover between two etcd candidates. Before each run both nodes' mounts have a {@link RetryingWriter}: the
 * primary's commits, the replica's fail. Then the primary goes away in one of three ways and the benchmark
 * times how long no write succeeds anywhere:
 *
 * <ul>
 *   <li>{@link Kind#KILL}: SIGKILL of the primary's engine; the time from the signal to the first write that
 *       succeeds on the other node (the lease must expire first);
 *   <li>{@link Kind#HANDOFF}: {@code POST /promote} to the replica; the time from the last write that
 *       succeeded on the old primary to the first on the new one;
 *   <li>{@link Kind#SHUTDOWN}: SIGTERM of the primary (it releases the lease); measured like a handoff.
 * </ul>
 * After each run the rows whose commits returned are looked up on the new primary (a SIGKILL can lose the
 * last ones: replication is asynchronous), the old primary is started again as a replica, and the roles
 * alternate.
 */
final class FailoverBenchmark {
  enum Kind {
    KILL("SIGKILL of the primary: signal to first write on the new primary"),
    HANDOFF("graceful handoff (POST /promote): last write on the old primary to first on the new"),
    SHUTDOWN("clean shutdown (SIGTERM of the primary): last write on the old primary to first on the new");

    final String description;

    Kind(String description) {
      this.description = description;
    }
  }

  /**
   * The runs of one kind: the durations measured, how many acknowledged rows the new primary lacked, how
   * many runs saw both nodes accept writes at once (the old primary's last write after the new one's first).
   */
  record Result(Kind kind, Latencies unavailable, Latencies sinceEvent, long lost, int overlapping) {}

  /** A point an engine logs on the way from the event to the first write: whose log, which line. */
  private record Step(String label, boolean onOldPrimary, String logText) {}

  private static List<Step> steps(Kind kind) {
    return switch (kind) {
      case HANDOFF -> List.of(new Step("old primary hands off", true, "handing the lease off"),
          new Step("Handoff frame read", false, "taking over the lease handed"),
          new Step("new primary has the lease", false, "primary lease acquired"));
      case SHUTDOWN -> List.of(new Step("old primary steps down", true, "no longer primary"),
          new Step("End frame read", false, "ended by the primary"),
          new Step("new primary has the lease", false, "primary lease acquired"));
      case KILL -> List.of(new Step("stream broken", false, "replication from primary"),
          new Step("new primary has the lease", false, "primary lease acquired"));
    };
  }

  private static final String DB = "failover";
  private static final Duration TAKEOVER = Duration.ofSeconds(60);

  private final EngineNode[] nodes;
  private final String journalMode;
  private final long intervalNanos;
  private final PrintWriter out;
  private int primary;

  /** {@code a} must be primary and {@code b} its replica. */
  FailoverBenchmark(EngineNode a, EngineNode b, String journalMode, Duration writeInterval, PrintWriter out) {
    this.nodes = new EngineNode[] {a, b};
    this.journalMode = journalMode;
    this.intervalNanos = writeInterval.toNanos();
    this.out = out;
  }

  /** Creates the table on the primary and waits for the replica to have it. */
  void prepare() throws IOException, SQLException {
    try (Connection c = SqliteClient.open(nodes[primary].path(DB), journalMode, 10_000)) {
      SqliteClient.exec(c, RetryingWriter.SCHEMA);
    }
    awaitFollowing(nodes[1 - primary], nodes[primary]);
  }

  /** Runs {@code runs} failovers of one kind, printing a line per run and the median of each step. */
  Result run(Kind kind, int runs) throws IOException, SQLException, InterruptedException {
    List<Step> steps = steps(kind);
    long[] unavailable = new long[runs];
    long[] sinceEvent = new long[runs];
    long[][] stepMillis = new long[steps.size()][runs];
    long lost = 0;
    int overlapping = 0;
    for (int i = 0; i < runs; i++) {
      Run r = runOnce(kind, i + 1, steps);
      unavailable[i] = r.first() - r.last();
      sinceEvent[i] = r.first() - r.event();
      lost += r.missing().size();
      overlapping += r.last() > r.first() ? 1 : 0;
      for (int k = 0; k < steps.size(); k++) {
        stepMillis[k][i] = r.stepMillis()[k];
      }
    }
    StringBuilder medians = new StringBuilder("  medians, ms after the event (engine logs):");
    for (int k = 0; k < steps.size(); k++) {
      long[] known = java.util.Arrays.stream(stepMillis[k]).filter(v -> v >= 0).toArray();
      medians.append(k == 0 ? " " : ", ").append(steps.get(k).label()).append(' ')
          .append(known.length == 0 ? "?" : String.valueOf(new Latencies(known).median()));
    }
    out.println(medians.append(", first write ").append(new Latencies(sinceEvent).median() / 1_000_000));
    long failures = nodes[0].shmOpenFailures() + nodes[1].shmOpenFailures();
    if (failures > 0) {
      out.printf(Locale.ROOT, "  (so far the replicas' logs show %d applies that failed opening -shm through the"
          + " mount, each restarting the stream)%n", failures);
    }
    return new Result(kind, new Latencies(unavailable), new Latencies(sinceEvent), lost, overlapping);
  }

  /**
   * One failover: its event ({@link System#nanoTime()}), the first write on the new primary after it, the last on
   * the old one, the old primary's acknowledged rows missing on the new one, and the engine-logged steps in
   * milliseconds after the event (-1 where a step was not logged).
   */
  private record Run(long event, long first, long last, List<RetryingWriter.Write> missing, long[] stepMillis) {}

  private Run runOnce(Kind kind, int number, List<Step> steps)
      throws IOException, SQLException, InterruptedException {
    EngineNode old = nodes[primary];
    EngineNode next = nodes[1 - primary];
    long event;
    long eventMillis;
    long behind;
    long first;
    long last;
    List<RetryingWriter.Write> oldAcked;
    try (RetryingWriter wOld = new RetryingWriter(old.name(), old.path(DB), journalMode, intervalNanos);
        RetryingWriter wNext = new RetryingWriter(next.name(), next.path(DB), journalMode, intervalNanos)) {
      Wait.until("writes on the primary " + old.name(), Duration.ofSeconds(10), () -> wOld.writeCount() >= 20);
      behind = old.pos(DB).orElseThrow().txid().value() - next.pos(DB).orElseThrow().txid().value();
      event = System.nanoTime();
      eventMillis = System.currentTimeMillis();
      switch (kind) {
        case KILL -> old.kill();
        case SHUTDOWN -> old.terminate();
        case HANDOFF -> {
          HttpResponse<String> r = next.promote();
          if (r.statusCode() != 200) {
            throw new IOException("POST /promote to " + next.name() + " answered " + r.statusCode() + ": "
                + r.body());
          }
        }
      }
      try {
        Wait.until("a write on " + next.name() + " after " + kind, TAKEOVER, () -> wNext.firstWriteAfter(event) != 0);
      } catch (Wait.TimeoutException e) {
        throw new IOException(e.getMessage() + "; the writer's last error: " + wNext.lastError(), e);
      }
      first = wNext.firstWriteAfter(event);
      if (kind != Kind.HANDOFF) {
        wOld.close(); // Its mount is going or gone: let go of it before the engine restarts on it.
      } else {
        Thread.sleep(100); // Long enough to see a write on the old primary after the new one's first.
      }
      last = wOld.lastWrite();
      oldAcked = wOld.acknowledged();
    }
    List<RetryingWriter.Write> missing = missingRows(next, old.name(), oldAcked);
    out.printf(Locale.ROOT, "  %-8s run %d: %s -> %s, last write on %s to first on %s %s, since the %s %s%s%n",
        kind.name().toLowerCase(Locale.ROOT), number, old.name(), next.name(), old.name(), next.name(),
        Latencies.format(first - last), kind == Kind.HANDOFF ? "promote request" : "signal",
        Latencies.format(first - event), missing.isEmpty() ? "" : ", " + describe(missing, event));
    long[] stepMillis = new long[steps.size()];
    StringBuilder line = new StringBuilder("           replica " + behind + " TXIDs behind just before;"
        + " ms after the event:");
    for (int k = 0; k < steps.size(); k++) {
      Step st = steps.get(k);
      OptionalLong t = EngineLog.first((st.onOldPrimary() ? old : next).log(), st.logText(), eventMillis);
      stepMillis[k] = t.isPresent() ? t.getAsLong() - eventMillis : -1;
      line.append(k == 0 ? " " : ", ").append(st.label()).append(' ')
          .append(t.isPresent() ? String.valueOf(stepMillis[k]) : "?");
    }
    out.println(line.append(", first write ").append((first - event) / 1_000_000));
    out.flush();
    if (kind != Kind.HANDOFF) {
      old.awaitExit();
      old.startProcess();
    }
    primary = 1 - primary;
    awaitFollowing(old, next);
    return new Run(event, first, last, missing, stepMillis);
  }

  /** "N acknowledged rows lost, committed at -X ms, +Y ms from the event". */
  private static String describe(List<RetryingWriter.Write> missing, long event) {
    StringBuilder b = new StringBuilder().append(missing.size()).append(" acknowledged rows lost, committed at");
    for (int i = 0; i < missing.size() && i < 5; i++) {
      long d = missing.get(i).at() - event;
      b.append(i == 0 ? " " : ", ").append(d < 0 ? "-" : "+").append(Latencies.format(Math.abs(d)));
    }
    return b.append(missing.size() > 5 ? ", ..." : "").append(" from the event").toString();
  }

  /** {@code node}'s acknowledged rows that are not in the database on {@code at}. */
  private List<RetryingWriter.Write> missingRows(EngineNode at, String node, List<RetryingWriter.Write> acknowledged)
      throws SQLException {
    Set<Long> present = new HashSet<>();
    try (Connection c = SqliteClient.open(at.path(DB), journalMode, 10_000);
        PreparedStatement s = c.prepareStatement("SELECT seq FROM t WHERE node = ?")) {
      s.setString(1, node);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          present.add(rs.getLong(1));
        }
      }
    }
    List<RetryingWriter.Write> missing = new ArrayList<>();
    for (RetryingWriter.Write w : acknowledged) {
      if (!present.contains(w.seq())) {
        missing.add(w);
      }
    }
    return missing;
  }

  /** Waits until {@code replica} names {@code primary} in {@code .primary} and has its position. */
  private static void awaitFollowing(EngineNode replica, EngineNode primary) {
    Wait.until(replica.name() + " following " + primary.name() + " (log: " + replica.log() + ")", TAKEOVER, () ->
        Files.exists(replica.path(".primary"))
            && Files.readString(replica.path(".primary")).trim().equals(primary.name())
            && primary.pos(DB).isPresent() && primary.pos(DB).equals(replica.pos(DB)));
  }
}
