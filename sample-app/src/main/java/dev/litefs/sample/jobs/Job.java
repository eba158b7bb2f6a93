package dev.litefs.sample.jobs;

/**
 * A claimed job, as the worker hands it to a {@link JobHandler}.
 *
 * @param id the job's id
 * @param kind which handler runs it
 * @param payload the handler's input (for enrichment, a resource id)
 * @param attempts how many times it has been claimed, this claim included; also the claim's fencing token
 * @param maxAttempts after this many failed attempts it is dead-lettered
 */
public record Job(long id, String kind, String payload, int attempts, int maxAttempts) {

  /** Returns {@code true} when a failure of this attempt dead-letters the job. */
  public boolean lastAttempt() {
    return attempts >= maxAttempts;
  }
}
