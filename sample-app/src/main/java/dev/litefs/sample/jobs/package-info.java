/** A job queue in SQLite (claims with a visibility timeout, retries, dead letters) and its primary-only worker. */
@NullMarked
package dev.litefs.sample.jobs;

import org.jspecify.annotations.NullMarked;
