package dev.litefs.sample.resource;

import dev.litefs.sample.jobs.Job;
import dev.litefs.sample.jobs.JobHandler;
import dev.litefs.spring.LiteFs;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import org.springframework.stereotype.Component;

/**
 * The background work a new resource gets: counts its words and digests its body, and records which node did
 * it, so the status page shows the worker running on the primary (and moving with it). Idempotent, as a job
 * handler must be: a job may run again after a failover.
 */
@Component
class ResourceEnricher implements JobHandler {

  /** The job kind; its payload is the resource id. */
  static final String KIND = "enrich-resource";

  private final ResourceRepository repository;
  private final LiteFs liteFs;
  private final Clock clock;

  ResourceEnricher(ResourceRepository repository, LiteFs liteFs, Clock clock) {
    this.repository = repository;
    this.liteFs = liteFs;
    this.clock = clock;
  }

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public void handle(Job job) {
    Resource resource = repository.findById(job.payload()).orElseThrow(
        () -> new IllegalStateException("Resource '" + job.payload() + "' to enrich does not exist"));
    String body = resource.body().strip();
    int words = body.isEmpty() ? 0 : body.split("\\s+").length;
    repository.recordEnrichment(resource.id(), words, digest(resource.body()), clock.instant(), liteFs.hostname());
  }

  private static String digest(String text) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Every JVM has SHA-256", e);
    }
  }
}
