package dev.litefs.sample.jobs;

/**
 * Runs the jobs of one kind. A job runs at least once: after a crash, a visibility timeout or a failover it can
 * run again, so handlers must be idempotent. Throwing fails the attempt; the job is retried with backoff, and
 * dead-lettered after {@code sample.jobs.max-attempts}.
 */
public interface JobHandler {

  /** The kind of job this handler runs. */
  String kind();

  /** Runs one job. */
  void handle(Job job) throws Exception;
}
