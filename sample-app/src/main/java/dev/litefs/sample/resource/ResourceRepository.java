package dev.litefs.sample.resource;

import java.time.Instant;
import java.util.List;
import org.springframework.data.jdbc.repository.query.Modifying;
import org.springframework.data.jdbc.repository.query.Query;
import org.springframework.data.repository.ListCrudRepository;

/** Spring Data JDBC repository of {@link Resource}s, on SQLite through the starter's dialect. */
public interface ResourceRepository extends ListCrudRepository<Resource, String> {

  /**
   * Inserts a fetched resource unless one with the same id exists (two concurrent misses for one id both fetch;
   * the first insert wins). Returns {@code true} when this call inserted it.
   */
  @Modifying
  @Query("INSERT INTO resources (id, title, body, fetched_at, fetched_by) "
      + "VALUES (:id, :title, :body, :fetchedAt, :fetchedBy) ON CONFLICT (id) DO NOTHING")
  boolean insertIfAbsent(String id, String title, String body, Instant fetchedAt, String fetchedBy);

  /** Records what the worker computed; returns {@code false} when the resource does not exist. */
  @Modifying
  @Query("UPDATE resources SET word_count = :wordCount, digest = :digest, enriched_at = :enrichedAt, "
      + "enriched_by = :enrichedBy WHERE id = :id")
  boolean recordEnrichment(String id, int wordCount, String digest, Instant enrichedAt, String enrichedBy);

  /** The 50 most recently fetched resources, newest first. */
  List<Resource> findTop50ByOrderByFetchedAtDesc();
}
