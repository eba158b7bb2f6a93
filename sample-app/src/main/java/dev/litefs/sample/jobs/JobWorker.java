package dev.litefs.sample.jobs;

import dev.litefs.spring.LiteFs;
import dev.litefs.spring.PrimaryOnly;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;

/**
 * Runs the queue's jobs on the primary. {@code @PrimaryOnly} on a {@link SmartLifecycle}: the starter starts it
 * when this node is or becomes the primary (after pending migrations) and stops it on demotion or shutdown,
 * letting the jobs in flight finish. On start it gives back every claim left in the database: those belong to
 * a demoted or crashed worker, and no other node can run them now.
 */
@Component
@PrimaryOnly
public class JobWorker implements SmartLifecycle {
  private static final Logger log = LoggerFactory.getLogger(JobWorker.class);

  private final JobQueue queue;
  private final Map<String, JobHandler> handlers;
  private final JobProperties properties;
  private final String node;
  private final AtomicLong jobsRun = new AtomicLong();
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean stopping;

  public JobWorker(JobQueue queue, List<JobHandler> handlers, JobProperties properties, LiteFs liteFs) {
    this.queue = queue;
    this.handlers = handlers.stream().collect(Collectors.toMap(JobHandler::kind, Function.identity(), (a, b) -> {
      throw new IllegalStateException("Two job handlers for kind '" + a.kind() + "': " + a.getClass().getName()
          + " and " + b.getClass().getName());
    }));
    this.properties = properties;
    this.node = liteFs.hostname();
  }

  @Override
  public synchronized void start() {
    if (isRunning()) {
      return;
    }
    stopping = false;
    int released = queue.releaseAllClaims();
    if (released > 0) {
      log.info("Job worker: gave back {} job(s) claimed by a worker that is gone", released);
    }
    threads.clear();
    for (int i = 1; i <= properties.workerThreads(); i++) {
      Thread thread = new Thread(this::work, "job-worker-" + i);
      thread.setDaemon(true);
      threads.add(thread);
      thread.start();
    }
    log.info("Job worker started on {} with {} thread(s)", node, threads.size());
  }

  /** Stops taking jobs and waits for the ones in flight. */
  @Override
  public void stop() {
    List<Thread> running = signalStop();
    join(running);
  }

  /** Stops taking jobs and reports through {@code callback} once the ones in flight have finished. */
  @Override
  public void stop(Runnable callback) {
    List<Thread> running = signalStop();
    Thread waiter = new Thread(() -> {
      join(running);
      callback.run();
    }, "job-worker-stop");
    waiter.setDaemon(true);
    waiter.start();
  }

  @Override
  public synchronized boolean isRunning() {
    return threads.stream().anyMatch(Thread::isAlive);
  }

  /** How many jobs this node's worker has run (successfully or not) since the application started. */
  public long jobsRun() {
    return jobsRun.get();
  }

  private synchronized List<Thread> signalStop() {
    stopping = true;
    queue.wakeWaiters();
    log.info("Job worker on {} stopping after the jobs in flight", node);
    return List.copyOf(threads);
  }

  private static void join(List<Thread> threads) {
    for (Thread thread : threads) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void work() {
    while (!stopping) {
      try {
        Optional<Job> job = queue.claim(node);
        if (job.isPresent()) {
          run(job.get());
        } else {
          queue.awaitWork(properties.pollInterval());
        }
      } catch (InterruptedException e) {
        return;
      } catch (DataAccessException e) {
        // A database error (a demoted node can no longer write) must not kill the thread: wait and retry.
        log.warn("Job worker on {}: the queue is unavailable: {}", node, e.getMessage());
        pause();
      }
    }
  }

  private void run(Job job) {
    jobsRun.incrementAndGet();
    JobHandler handler = handlers.get(job.kind());
    if (handler == null) {
      queue.deadLetter(job, "no handler for job kind '" + job.kind() + "'");
      log.warn("Job {} dead-lettered: no handler for its kind '{}'", job.id(), job.kind());
      return;
    }
    try {
      handler.handle(job);
    } catch (Exception e) {
      JobQueue.Outcome outcome = queue.fail(job, e.toString());
      log.warn("Job {} ({}) attempt {} of {} failed ({}): {}", job.id(), job.kind(), job.attempts(),
          job.maxAttempts(), outcome, e.toString());
      return;
    }
    if (!queue.complete(job)) {
      log.warn("Job {} ({}) finished after its claim expired; it may run again", job.id(), job.kind());
    }
  }

  private void pause() {
    try {
      queue.awaitWork(properties.pollInterval());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
