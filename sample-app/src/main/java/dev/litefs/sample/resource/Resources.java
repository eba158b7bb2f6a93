package dev.litefs.sample.resource;

import dev.litefs.sample.jobs.JobQueue;
import dev.litefs.spring.LiteFs;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The stored resources. Reads use the starter's read-only connections; {@link #store} inserts a fetched resource
 * and enqueues its enrichment in one transaction, so a resource is never left without its job.
 */
@Service
public class Resources {
  private final ResourceRepository repository;
  private final JobQueue jobs;
  private final LiteFs liteFs;
  private final Clock clock;

  public Resources(ResourceRepository repository, JobQueue jobs, LiteFs liteFs, Clock clock) {
    this.repository = repository;
    this.jobs = jobs;
    this.liteFs = liteFs;
    this.clock = clock;
  }

  /** Returns the stored resource, or empty when this node has none (yet). */
  @Transactional(readOnly = true)
  public Optional<Resource> find(String id) {
    return repository.findById(id);
  }

  /** Returns the 50 most recently fetched resources, newest first. */
  @Transactional(readOnly = true)
  public List<Resource> latest() {
    return repository.findTop50ByOrderByFetchedAtDesc();
  }

  /**
   * Inserts a fetched resource and enqueues its enrichment, unless a concurrent request stored it first; either
   * way returns what is stored. Writes, so only the primary may call it.
   */
  @Transactional
  public Resource store(SourceDocument document) {
    if (repository.insertIfAbsent(document.id(), document.title(), document.body(), clock.instant(),
        liteFs.hostname())) {
      jobs.enqueue(ResourceEnricher.KIND, document.id());
    }
    return repository.findById(document.id())
        .orElseThrow(() -> new IllegalStateException("Resource '" + document.id() + "' vanished after insert"));
  }
}
