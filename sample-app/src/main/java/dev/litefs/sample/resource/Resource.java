package dev.litefs.sample.resource;

import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

/**
 * A resource as stored: what the source returned, which node fetched it, and, once the worker has run, what it
 * computed and where.
 *
 * @param id the id the client asked for
 * @param title the source's title
 * @param body the source's text
 * @param fetchedAt when the primary fetched it
 * @param fetchedBy the node (primary) that fetched and inserted it
 * @param wordCount words in the body; null until enriched
 * @param digest the first 16 hex digits of the body's SHA-256; null until enriched
 * @param enrichedAt when the worker enriched it; null until then
 * @param enrichedBy the node whose worker enriched it; null until then
 */
@Table("resources")
public record Resource(@Id String id, String title, String body, Instant fetchedAt, String fetchedBy,
    @Nullable Integer wordCount, @Nullable String digest, @Nullable Instant enrichedAt, @Nullable String enrichedBy) {}
