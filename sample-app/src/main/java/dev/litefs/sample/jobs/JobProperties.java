package dev.litefs.sample.jobs;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The job queue and its worker ({@code sample.jobs.*}). The maintenance task's period is
 * {@code sample.jobs.sweep-interval} (default 5s), read by its {@code @Scheduled}.
 *
 * @param visibilityTimeout how long a claim hides a job from other claims; a job still claimed after this is
 *     given back to the queue by the maintenance task, as its worker is presumed dead
 * @param maxAttempts attempts (claims) before a failing job is dead-lettered
 * @param retryBackoff delay before the first retry of a failed job; doubles with each further attempt
 * @param maxRetryBackoff longest delay before a retry
 * @param pollInterval how often an idle worker looks for due jobs (new jobs on this node wake it at once)
 * @param workerThreads how many jobs the primary runs at a time
 * @param retention how long finished jobs are kept before the maintenance task deletes them; dead ones are kept
 */
@ConfigurationProperties("sample.jobs")
public record JobProperties(@DefaultValue("30s") Duration visibilityTimeout, @DefaultValue("5") int maxAttempts,
    @DefaultValue("1s") Duration retryBackoff, @DefaultValue("1m") Duration maxRetryBackoff,
    @DefaultValue("1s") Duration pollInterval, @DefaultValue("1") int workerThreads,
    @DefaultValue("1h") Duration retention) {

  /** Returns the delay before the retry that follows failed attempt number {@code attempts} (1 or more). */
  Duration backoffAfter(int attempts) {
    int doublings = Math.min(Math.max(attempts - 1, 0), 30);
    Duration delay = retryBackoff.multipliedBy(1L << doublings);
    return delay.compareTo(maxRetryBackoff) > 0 ? maxRetryBackoff : delay;
  }
}
