package dev.litefs.sample.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.litefs.core.testing.MutableClock;
import dev.litefs.sample.TestDatabase;
import dev.litefs.spring.test.TestLiteFs;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The worker on a real SQLite queue: runs jobs, retries failures after their backoff, stops gracefully. */
class JobWorkerTests {

  @TempDir
  Path dir;

  final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  final List<String> ran = new CopyOnWriteArrayList<>();
  final AtomicInteger failuresLeft = new AtomicInteger();
  volatile CountDownLatch inFlight = new CountDownLatch(0);
  volatile CountDownLatch release = new CountDownLatch(0);
  JdbcClient jdbc;
  JobQueue queue;
  JobWorker worker;

  /** Records each run; fails while failuresLeft is positive; can be held in flight by the test. */
  final JobHandler handler = new JobHandler() {
    @Override
    public String kind() {
      return "test";
    }

    @Override
    public void handle(Job job) throws Exception {
      inFlight.countDown();
      release.await();
      ran.add(job.payload() + "#" + job.attempts());
      if (failuresLeft.getAndDecrement() > 0) {
        throw new IllegalStateException("planned failure");
      }
    }
  };

  @BeforeEach
  void open() {
    jdbc = TestDatabase.client(dir.resolve("app.db"));
    queue = new JobQueue(jdbc, clock, JobQueueTests.PROPERTIES);
    worker = new JobWorker(queue, List.of(handler), JobQueueTests.PROPERTIES, TestLiteFs.primary("app.db"));
  }

  @AfterEach
  void stop() {
    release.countDown();
    worker.stop();
  }

  private String state(long id) {
    return jdbc.sql("SELECT state FROM jobs WHERE id = ?").param(id).query(String.class).single();
  }

  @Test
  void runsEachJobOnceAndMarksItDone() {
    worker.start();
    long a = queue.enqueue("test", "a");
    long b = queue.enqueue("test", "b");
    await().atMost(Duration.ofSeconds(10)).until(() -> queue.stats().done() == 2);
    assertThat(ran).containsExactly("a#1", "b#1");
    assertThat(state(a)).isEqualTo("done");
    assertThat(state(b)).isEqualTo("done");
    assertThat(worker.jobsRun()).isEqualTo(2);
  }

  @Test
  void aFailingJobIsRetriedAfterItsBackoffUntilItSucceeds() {
    failuresLeft.set(2);
    worker.start();
    long id = queue.enqueue("test", "x");
    await().atMost(Duration.ofSeconds(10)).until(() -> ran.size() == 1 && state(id).equals("ready"));
    clock.advance(Duration.ofSeconds(1));
    await().atMost(Duration.ofSeconds(10)).until(() -> ran.size() == 2 && state(id).equals("ready"));
    clock.advance(Duration.ofSeconds(2));
    await().atMost(Duration.ofSeconds(10)).until(() -> state(id).equals("done"));
    assertThat(ran).containsExactly("x#1", "x#2", "x#3");
  }

  @Test
  void aJobThatFailsEveryAttemptEndsDead() {
    failuresLeft.set(Integer.MAX_VALUE);
    worker.start();
    long id = queue.enqueue("test", "x");
    for (int attempt = 1; attempt < 3; attempt++) {
      int runs = attempt;
      await().atMost(Duration.ofSeconds(10)).until(() -> ran.size() == runs && state(id).equals("ready"));
      clock.advance(Duration.ofSeconds(10));
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> state(id).equals("dead"));
    assertThat(ran).containsExactly("x#1", "x#2", "x#3");
  }

  @Test
  void aJobOfAnUnknownKindIsDeadLetteredWithoutRetries() {
    worker.start();
    long id = queue.enqueue("no-such-kind", "x");
    await().atMost(Duration.ofSeconds(10)).until(() -> state(id).equals("dead"));
    assertThat(jdbc.sql("SELECT last_error FROM jobs WHERE id = ?").param(id).query(String.class).single())
        .isEqualTo("no handler for job kind 'no-such-kind'");
  }

  @Test
  void startingGivesBackTheClaimsOfAPreviousPrimaryAndRunsThem() {
    long id = queue.enqueue("test", "orphan");
    queue.claim("old-primary").orElseThrow();
    worker.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> state(id).equals("done"));
    assertThat(ran).containsExactly("orphan#2");
  }

  @Test
  void stoppingLetsTheJobInFlightFinishBeforeReporting() throws Exception {
    inFlight = new CountDownLatch(1);
    release = new CountDownLatch(1);
    worker.start();
    long id = queue.enqueue("test", "slow");
    inFlight.await();

    CountDownLatch stopped = new CountDownLatch(1);
    worker.stop(stopped::countDown);
    assertThat(worker.isRunning()).isFalse();
    await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(1)).until(() -> stopped.getCount() == 1);

    release.countDown();
    await().atMost(Duration.ofSeconds(10)).until(() -> stopped.getCount() == 0);
    assertThat(state(id)).isEqualTo("done");

    queue.enqueue("test", "after-stop");
    await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(1)).until(() -> queue.stats().ready() == 1);
  }

  @Test
  void aWorkerStartedAgainWhileItsLastRunIsFinishingRunsJobsAtOnce() throws Exception {
    inFlight = new CountDownLatch(1);
    release = new CountDownLatch(1);
    worker.start();
    long slow = queue.enqueue("test", "slow");
    inFlight.await();
    worker.stop(() -> { });
    // Demoted and promoted again before the old run's job finished: the new run gives its claim back.
    worker.start();
    assertThat(worker.isRunning()).isTrue();
    release.countDown();
    long next = queue.enqueue("test", "next");
    await().atMost(Duration.ofSeconds(10)).until(() -> state(slow).equals("done") && state(next).equals("done"));
    assertThat(ran).contains("slow#1", "slow#2", "next#1");
  }
}
