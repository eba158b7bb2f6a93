package dev.litefs.sample.web;

import dev.litefs.core.ltx.Pos;
import dev.litefs.sample.jobs.JobStats;
import dev.litefs.spring.LiteFs;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What {@code GET /status} answers: the status page's facts as JSON, for scripts, tests and {@code curl}.
 *
 * @param node the node that answered (its LiteFS hostname)
 * @param role {@code primary} or {@code replica}
 * @param mode the starter's mode: {@code sidecar}, {@code dev} (or {@code managed})
 * @param primary the primary's hostname, or null when none is known
 * @param lagMillis how far this node's copy is behind the primary, or null when unknown
 * @param databases each database's position: {@code txid} and {@code checksum}, 16 hex digits each
 * @param workerRunning whether the primary-only job worker runs on this node
 * @param jobsRun how many jobs this node's worker has run since the application started
 * @param jobs how many jobs are in each state, as this node's copy of the database sees them
 */
record NodeStatus(String node, String role, String mode, @Nullable String primary, @Nullable Long lagMillis,
    Map<String, Map<String, String>> databases, boolean workerRunning, long jobsRun, JobStats jobs) {

  static NodeStatus of(LiteFs liteFs, boolean workerRunning, long jobsRun, JobStats jobs) {
    Map<String, Map<String, String>> databases = new LinkedHashMap<>();
    for (Map.Entry<String, Pos> db : liteFs.positions().entrySet()) {
      databases.put(db.getKey(), Map.of("txid", db.getValue().txid().toString(), "checksum",
          db.getValue().postApplyChecksum().toString()));
    }
    return new NodeStatus(liteFs.hostname(), liteFs.isPrimary() ? "primary" : "replica",
        liteFs.mode().name().toLowerCase(Locale.ROOT), liteFs.primaryHostname().orElse(null),
        liteFs.lag().map(d -> d.toMillis()).orElse(null), databases, workerRunning, jobsRun, jobs);
  }
}
