/**
 * Resources: read locally, fetched from the external source and inserted on a miss (on the primary only), then
 * enriched by a job.
 */
@NullMarked
package dev.litefs.sample.resource;

import org.jspecify.annotations.NullMarked;
