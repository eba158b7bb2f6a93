/**
 * The sample application: the user story of a team moving from Postgres to SQLite on LiteFS, runnable.
 * {@code resource} is the read-miss-fetch-insert flow, {@code jobs} the primary-only job queue, {@code web}
 * what every response and the status page show, {@code stub} the external source for tests and local clusters.
 */
@NullMarked
package dev.litefs.sample;

import org.jspecify.annotations.NullMarked;
