package dev.litefs.sample.jobs;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * A job queue in the replicated database (table {@code jobs}). Only the primary may change it, so only the
 * primary runs its worker; because the queue replicates with everything else, a new primary finds every job
 * the old one had not finished.
 *
 * <p>A claim is one {@code UPDATE … RETURNING} statement, so no two claims get the same job. It hides the job
 * for the visibility timeout; {@link #requeueExpiredClaims()} gives an expired claim back (its worker is
 * presumed dead), or dead-letters it when it was the last attempt. {@link #complete} and {@link #fail} carry the
 * claim's attempt number, so a worker whose claim was taken away cannot overwrite the new claim's outcome.
 * Time comes from the injected {@link Clock}.
 */
@Component
public class JobQueue {

  /** Longest error text kept in {@code last_error}. */
  private static final int MAX_ERROR_LENGTH = 1000;

  private static final RowMapper<Job> JOB = (rs, n) -> new Job(rs.getLong("id"), rs.getString("kind"),
      rs.getString("payload"), rs.getInt("attempts"), rs.getInt("max_attempts"));

  /** What happened to a failed job. */
  public enum Outcome {
    /** It will be retried after a backoff. */
    RETRY,
    /** It was dead-lettered: that was its last attempt. */
    DEAD,
    /** Nothing: the claim had already been taken away (expired and given to another attempt). */
    CLAIM_LOST
  }

  private final JdbcClient jdbc;
  private final Clock clock;
  private final JobProperties properties;
  private final Object wakeup = new Object();
  private boolean workAdded;

  public JobQueue(JdbcClient jdbc, Clock clock, JobProperties properties) {
    this.jdbc = jdbc;
    this.clock = clock;
    this.properties = properties;
  }

  /**
   * Adds a job, due now. Inside a transaction the job exists (and waiting workers are woken) once it commits.
   *
   * @return the job's id
   */
  public long enqueue(String kind, String payload) {
    long now = clock.millis();
    long id = jdbc.sql("""
        INSERT INTO jobs (kind, payload, state, max_attempts, run_at, created_at)
        VALUES (:kind, :payload, 'ready', :maxAttempts, :now, :now) RETURNING id""")
        .param("kind", kind).param("payload", payload).param("maxAttempts", properties.maxAttempts())
        .param("now", now).query(Long.class).single();
    if (TransactionSynchronizationManager.isSynchronizationActive()) {
      TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
        @Override
        public void afterCommit() {
          wakeWaiters();
        }
      });
    } else {
      wakeWaiters();
    }
    return id;
  }

  /** Claims the due job that has waited longest, for {@code worker}; empty when none is due. */
  public Optional<Job> claim(String worker) {
    long now = clock.millis();
    return jdbc.sql("""
        UPDATE jobs SET state = 'claimed', attempts = attempts + 1, claimed_by = :worker, claimed_until = :until
        WHERE state = 'ready' AND id = (
          SELECT id FROM jobs WHERE state = 'ready' AND run_at <= :now ORDER BY run_at, id LIMIT 1)
        RETURNING id, kind, payload, attempts, max_attempts""")
        .param("worker", worker).param("until", now + properties.visibilityTimeout().toMillis()).param("now", now)
        .query(JOB).optional();
  }

  /** Marks a claimed job done; {@code false} when its claim had been taken away, so the outcome is not recorded. */
  public boolean complete(Job job) {
    return jdbc.sql("""
        UPDATE jobs SET state = 'done', finished_at = :now, claimed_until = NULL
        WHERE id = :id AND state = 'claimed' AND attempts = :attempts""")
        .param("now", clock.millis()).param("id", job.id()).param("attempts", job.attempts()).update() == 1;
  }

  /** Records a failed attempt: the job is retried after a backoff, or dead-lettered after its last attempt. */
  public Outcome fail(Job job, String error) {
    long now = clock.millis();
    boolean dead = job.lastAttempt();
    int changed = jdbc.sql("""
        UPDATE jobs SET state = :state, run_at = :runAt, finished_at = :finishedAt, last_error = :error,
          claimed_by = NULL, claimed_until = NULL
        WHERE id = :id AND state = 'claimed' AND attempts = :attempts""")
        .param("state", dead ? "dead" : "ready")
        .param("runAt", dead ? now : now + properties.backoffAfter(job.attempts()).toMillis())
        .param("finishedAt", dead ? now : null).param("error", truncate(error))
        .param("id", job.id()).param("attempts", job.attempts()).update();
    return changed == 0 ? Outcome.CLAIM_LOST : dead ? Outcome.DEAD : Outcome.RETRY;
  }

  /** Dead-letters a claimed job at once, whatever its attempts, for a job that can never succeed. */
  public boolean deadLetter(Job job, String reason) {
    return jdbc.sql("""
        UPDATE jobs SET state = 'dead', finished_at = :now, last_error = :error, claimed_by = NULL,
          claimed_until = NULL
        WHERE id = :id AND state = 'claimed' AND attempts = :attempts""")
        .param("now", clock.millis()).param("error", truncate(reason)).param("id", job.id())
        .param("attempts", job.attempts()).update() == 1;
  }

  /**
   * Gives back the jobs whose claim has outlived the visibility timeout (their worker is presumed dead):
   * ready again at once, or dead-lettered when that claim was their last attempt.
   *
   * @return how many claims were given back or dead-lettered
   */
  public int requeueExpiredClaims() {
    return releaseClaims("claimed_until <= :now", " expired");
  }

  /**
   * Gives back every claimed job, as a worker starting on a new primary does: no other node can record
   * anything any more, so a claim left in the database is a demoted or crashed worker's.
   *
   * @return how many claims were given back or dead-lettered
   */
  public int releaseAllClaims() {
    return releaseClaims("1 = 1", " was left behind by a stopped worker");
  }

  /** {@code condition} is one of the constant SQL conditions above, never input. */
  private int releaseClaims(String condition, String why) {
    int released = jdbc.sql("""
        UPDATE jobs SET
          state = CASE WHEN attempts >= max_attempts THEN 'dead' ELSE 'ready' END,
          finished_at = CASE WHEN attempts >= max_attempts THEN :now END,
          last_error = 'attempt ' || attempts || ': the claim by ' || claimed_by || :why,
          run_at = :now, claimed_by = NULL, claimed_until = NULL
        WHERE state = 'claimed' AND %s""".formatted(condition))
        .param("now", clock.millis()).param("why", why).update();
    if (released > 0) {
      wakeWaiters();
    }
    return released;
  }

  /** Deletes jobs done longer than {@code sample.jobs.retention} ago; dead jobs stay for inspection. */
  public int purgeDone() {
    return jdbc.sql("DELETE FROM jobs WHERE state = 'done' AND finished_at < :before")
        .param("before", clock.millis() - properties.retention().toMillis()).update();
  }

  /** Counts the jobs in each state. */
  @Transactional(readOnly = true)
  public JobStats stats() {
    long[] counts = new long[4];
    jdbc.sql("SELECT state, count(*) AS n FROM jobs GROUP BY state").query(rs -> {
      switch (rs.getString("state")) {
        case "ready" -> counts[0] = rs.getLong("n");
        case "claimed" -> counts[1] = rs.getLong("n");
        case "done" -> counts[2] = rs.getLong("n");
        default -> counts[3] = rs.getLong("n");
      }
    });
    return new JobStats(counts[0], counts[1], counts[2], counts[3]);
  }

  /**
   * Waits until a job is added on this node (or {@link #wakeWaiters()} is called) or {@code timeout} passes.
   * Returns at once if that happened since the last wait, so a job added just before the wait is not missed.
   */
  public void awaitWork(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (wakeup) {
      while (!workAdded) {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
          return;
        }
        wakeup.wait(Math.max(1, remaining / 1_000_000));
      }
      workAdded = false;
    }
  }

  /** Wakes every thread in {@link #awaitWork}. */
  public void wakeWaiters() {
    synchronized (wakeup) {
      workAdded = true;
      wakeup.notifyAll();
    }
  }

  private static String truncate(String text) {
    return text.length() <= MAX_ERROR_LENGTH ? text : text.substring(0, MAX_ERROR_LENGTH) + "…";
  }
}
