package dev.litefs.sample.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.litefs.core.testing.MutableClock;
import dev.litefs.sample.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The job queue's semantics on a real SQLite file, with time moved by hand. */
class JobQueueTests {
  static final JobProperties PROPERTIES = new JobProperties(Duration.ofSeconds(30), 3, Duration.ofSeconds(1),
      Duration.ofSeconds(10), Duration.ofMillis(20), 1, Duration.ofHours(1));

  @TempDir
  Path dir;

  final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  JdbcClient jdbc;
  JobQueue queue;

  @BeforeEach
  void open() {
    jdbc = TestDatabase.client(dir.resolve("app.db"));
    queue = new JobQueue(jdbc, clock, PROPERTIES);
  }

  private String column(long id, String column) {
    return jdbc.sql("SELECT " + column + " FROM jobs WHERE id = ?").param(id).query(String.class).single();
  }

  @Test
  void aClaimedJobIsInvisibleToOtherClaims() {
    long id = queue.enqueue("k", "p");
    Job job = queue.claim("node1").orElseThrow();
    assertThat(job).isEqualTo(new Job(id, "k", "p", 1, 3));
    assertThat(queue.claim("node1")).isEmpty();
    assertThat(column(id, "claimed_by")).isEqualTo("node1");
    assertThat(queue.stats()).isEqualTo(new JobStats(0, 1, 0, 0));
  }

  @Test
  void jobsAreClaimedOldestFirst() {
    long first = queue.enqueue("k", "1");
    clock.advance(Duration.ofMillis(1));
    long second = queue.enqueue("k", "2");
    assertThat(queue.claim("n").orElseThrow().id()).isEqualTo(first);
    assertThat(queue.claim("n").orElseThrow().id()).isEqualTo(second);
  }

  @Test
  void aCompletedJobIsDoneAndNeverClaimedAgain() {
    queue.enqueue("k", "p");
    assertThat(queue.complete(queue.claim("n").orElseThrow())).isTrue();
    clock.advance(Duration.ofHours(1));
    queue.requeueExpiredClaims();
    assertThat(queue.claim("n")).isEmpty();
    assertThat(queue.stats()).isEqualTo(new JobStats(0, 0, 1, 0));
  }

  @Test
  void aClaimThatOutlivesTheVisibilityTimeoutIsGivenBackAndClaimedAgain() {
    long id = queue.enqueue("k", "p");
    queue.claim("node1").orElseThrow();
    clock.advance(Duration.ofSeconds(29));
    assertThat(queue.requeueExpiredClaims()).isZero();
    assertThat(queue.claim("node2")).isEmpty();

    clock.advance(Duration.ofSeconds(1));
    assertThat(queue.requeueExpiredClaims()).isEqualTo(1);
    Job again = queue.claim("node2").orElseThrow();
    assertThat(again.id()).isEqualTo(id);
    assertThat(again.attempts()).isEqualTo(2);
    assertThat(column(id, "last_error")).isEqualTo("attempt 1: the claim by node1 expired");
  }

  @Test
  void aWorkerWhoseClaimExpiredCannotRecordItsOutcome() {
    queue.enqueue("k", "p");
    Job stale = queue.claim("node1").orElseThrow();
    clock.advance(Duration.ofSeconds(30));
    queue.requeueExpiredClaims();
    Job current = queue.claim("node2").orElseThrow();

    assertThat(queue.complete(stale)).isFalse();
    assertThat(queue.fail(stale, "late")).isEqualTo(JobQueue.Outcome.CLAIM_LOST);
    assertThat(queue.deadLetter(stale, "late")).isFalse();
    assertThat(queue.stats().claimed()).isEqualTo(1);
    assertThat(queue.complete(current)).isTrue();
  }

  @Test
  void aFailedJobIsRetriedAfterABackoffThatDoubles() {
    long id = queue.enqueue("k", "p");
    assertThat(queue.fail(queue.claim("n").orElseThrow(), "boom 1")).isEqualTo(JobQueue.Outcome.RETRY);
    assertThat(column(id, "last_error")).isEqualTo("boom 1");
    clock.advance(Duration.ofMillis(999));
    assertThat(queue.claim("n")).isEmpty();
    clock.advance(Duration.ofMillis(1));
    Job second = queue.claim("n").orElseThrow();
    assertThat(second.attempts()).isEqualTo(2);

    assertThat(queue.fail(second, "boom 2")).isEqualTo(JobQueue.Outcome.RETRY);
    clock.advance(Duration.ofMillis(1999));
    assertThat(queue.claim("n")).isEmpty();
    clock.advance(Duration.ofMillis(1));
    assertThat(queue.claim("n").orElseThrow().attempts()).isEqualTo(3);
  }

  @Test
  void theBackoffIsCappedAtTheMaximum() {
    assertThat(PROPERTIES.backoffAfter(1)).isEqualTo(Duration.ofSeconds(1));
    assertThat(PROPERTIES.backoffAfter(4)).isEqualTo(Duration.ofSeconds(8));
    assertThat(PROPERTIES.backoffAfter(5)).isEqualTo(Duration.ofSeconds(10));
    assertThat(PROPERTIES.backoffAfter(1000)).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void aJobIsDeadLetteredAfterItsLastFailedAttempt() {
    long id = queue.enqueue("k", "p");
    List<JobQueue.Outcome> outcomes = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      clock.advance(Duration.ofMinutes(1));
      outcomes.add(queue.fail(queue.claim("n").orElseThrow(), "boom " + i));
    }
    assertThat(outcomes).containsExactly(JobQueue.Outcome.RETRY, JobQueue.Outcome.RETRY, JobQueue.Outcome.DEAD);
    clock.advance(Duration.ofDays(1));
    assertThat(queue.claim("n")).isEmpty();
    assertThat(queue.stats()).isEqualTo(new JobStats(0, 0, 0, 1));
    assertThat(column(id, "last_error")).isEqualTo("boom 3");
  }

  @Test
  void anExpiredClaimOnTheLastAttemptIsDeadLettered() {
    long id = queue.enqueue("k", "p");
    for (int i = 1; i <= 3; i++) {
      queue.claim("node1").orElseThrow();
      clock.advance(Duration.ofSeconds(30));
      assertThat(queue.requeueExpiredClaims()).isEqualTo(1);
    }
    assertThat(queue.claim("node1")).isEmpty();
    assertThat(column(id, "state")).isEqualTo("dead");
    assertThat(column(id, "last_error")).isEqualTo("attempt 3: the claim by node1 expired");
  }

  @Test
  void aJobThatCanNeverSucceedIsDeadLetteredAtOnce() {
    long id = queue.enqueue("unknown", "p");
    assertThat(queue.deadLetter(queue.claim("n").orElseThrow(), "no handler")).isTrue();
    assertThat(column(id, "state")).isEqualTo("dead");
  }

  @Test
  void releasingAllClaimsGivesBackTheJobsOfAWorkerThatIsGone() {
    long id = queue.enqueue("k", "p");
    queue.claim("old-primary").orElseThrow();
    assertThat(queue.releaseAllClaims()).isEqualTo(1);
    Job job = queue.claim("new-primary").orElseThrow();
    assertThat(job.id()).isEqualTo(id);
    assertThat(column(id, "last_error")).isEqualTo("attempt 1: the claim by old-primary was left behind by a "
        + "stopped worker");
  }

  @Test
  void doneJobsArePurgedAfterTheRetentionAndDeadOnesAreKept() {
    queue.enqueue("k", "done");
    queue.complete(queue.claim("n").orElseThrow());
    queue.enqueue("k", "dead");
    queue.deadLetter(queue.claim("n").orElseThrow(), "gave up");
    clock.advance(Duration.ofMinutes(59));
    assertThat(queue.purgeDone()).isZero();
    clock.advance(Duration.ofMinutes(2));
    assertThat(queue.purgeDone()).isEqualTo(1);
    assertThat(queue.stats()).isEqualTo(new JobStats(0, 0, 0, 1));
  }

  @Test
  void concurrentClaimsNeverShareAJob() throws Exception {
    for (int i = 0; i < 60; i++) {
      queue.enqueue("k", Integer.toString(i));
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Callable<List<Long>>> claimers = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        String worker = "w" + t;
        claimers.add(() -> {
          List<Long> ids = new ArrayList<>();
          for (Optional<Job> job = queue.claim(worker); job.isPresent(); job = queue.claim(worker)) {
            ids.add(job.get().id());
          }
          return ids;
        });
      }
      List<Long> claimed = new ArrayList<>();
      for (Future<List<Long>> f : pool.invokeAll(claimers)) {
        claimed.addAll(f.get());
      }
      assertThat(claimed).hasSize(60).doesNotHaveDuplicates();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aWaitingWorkerIsWokenByANewJob() throws Exception {
    Thread waiter = new Thread(() -> {
      try {
        queue.awaitWork(Duration.ofMinutes(1));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    waiter.start();
    queue.enqueue("k", "p");
    waiter.join(Duration.ofSeconds(10).toMillis());
    assertThat(waiter.isAlive()).isFalse();
  }
}
