package dev.litefs.sample.jobs;

import dev.litefs.spring.LiteFs;
import dev.litefs.spring.PrimaryOnly;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
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
  private @Nullable Run current;

  /**
   * One start-to-stop of the worker. A stopped run's threads finish their jobs in flight on their own, so a
   * quick demotion and promotion starts a new run without waiting for them.
   */
  private record Run(List<Thread> threads, AtomicBoolean stopping) {}

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
    int released = queue.releaseAllClaims();
    if (released > 0) {
      log.info("Job worker: gave back {} job(s) claimed by a worker that is gone", released);
    }
    AtomicBoolean stopping = new AtomicBoolean();
    List<Thread> threads = new ArrayList<>();
    for (int i = 1; i <= properties.workerThreads(); i++) {
      Thread thread = new Thread(() -> work(stopping), "job-worker-" + i);
      thread.setDaemon(true);
      threads.add(thread);
    }
    current = new Run(List.copyOf(threads), stopping);
    threads.forEach(Thread::start);
    log.info("Job worker started on {} with {} thread(s)", node, threads.size());
  }

  /** Stops taking jobs and waits for the ones in flight. */
  @Override
  public void stop() {
    join(signalStop());
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

  /** Returns {@code true} from {@link #start()} until a stop is asked for (jobs in flight may still finish). */
  @Override
  public synchronized boolean isRunning() {
    return current != null && !current.stopping().get();
  }

  /** How many jobs this node's worker has run (successfully or not) since the application started. */
  public long jobsRun() {
    return jobsRun.get();
  }

  private synchronized List<Thread> signalStop() {
    Run run = current;
    if (run == null || run.stopping().getAndSet(true)) {
      return List.of();
    }
    queue.wakeWaiters();
    log.info("Job worker on {} stopping after the jobs in flight", node);
    return run.threads();
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

  private void work(AtomicBoolean stopping) {
    while (!stopping.get()) {
      try {
        Optional<Job> job = queue.claim(node);
        if (job.isPresent()) {
          run(job.get());
        } else {
          queue.awaitWork(properties.pollInterval());
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        // A database error (a demoted node can no longer write) must not kill the thread: wait and retry.
        log.warn("Job worker on {}: the queue is unavailable: {}", node, e.toString());
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
