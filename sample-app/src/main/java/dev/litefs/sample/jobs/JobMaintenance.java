package dev.litefs.sample.jobs;

import dev.litefs.spring.PrimaryOnly;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The queue's housekeeping, every {@code sample.jobs.sweep-interval}: gives back claims whose visibility timeout
 * expired (dead-lettering those on their last attempt) and deletes old finished jobs. {@code @PrimaryOnly}:
 * skipped on replicas, which cannot write, and on a new primary only after its migrations.
 */
@Component
public class JobMaintenance {
  private static final Logger log = LoggerFactory.getLogger(JobMaintenance.class);

  private final JobQueue queue;

  public JobMaintenance(JobQueue queue) {
    this.queue = queue;
  }

  @PrimaryOnly
  @Scheduled(fixedDelayString = "${sample.jobs.sweep-interval:5s}")
  public void sweep() {
    int requeued = queue.requeueExpiredClaims();
    int purged = queue.purgeDone();
    if (requeued > 0 || purged > 0) {
      log.info("Job queue: gave back {} expired claim(s), deleted {} finished job(s); now {}", requeued, purged,
          queue.stats());
    }
  }
}
