package dev.litefs.sample.resource;

/**
 * A resource as the external source returned it.
 *
 * @param id the id it was fetched by
 * @param title its title
 * @param body its text
 */
public record SourceDocument(String id, String title, String body) {}
