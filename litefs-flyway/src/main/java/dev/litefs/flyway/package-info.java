/**
 * Flyway on a LiteFS cluster: migrations run on the primary only, replicas wait until replication brings them
 * the schema, and a node promoted later migrates before its primary-only work starts. Only the
 * auto-configuration and the properties are public.
 */
@NullMarked
package dev.litefs.flyway;

import org.jspecify.annotations.NullMarked;
