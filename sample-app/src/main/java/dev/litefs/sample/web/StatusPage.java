package dev.litefs.sample.web;

import static org.springframework.web.util.HtmlUtils.htmlEscape;

import dev.litefs.core.ltx.Pos;
import dev.litefs.sample.jobs.JobStats;
import dev.litefs.sample.resource.Resource;
import dev.litefs.spring.LiteFs;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The status page as plain HTML: which node answered, its role, the primary, each database's position and the
 * lag, the job queue, and the latest resources. Every value from the node or the database is escaped.
 */
final class StatusPage {
  private StatusPage() {}

  static String render(LiteFs liteFs, boolean workerRunning, long jobsRun, JobStats jobs, List<Resource> resources) {
    StringBuilder html = new StringBuilder(4096);
    html.append("""
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="5">
        <title>litefs-java sample</title>
        <style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}
        td,th{border:1px solid #ccc;padding:.2em .6em;text-align:left}code{background:#eee}</style>
        </head><body>
        <h1>litefs-java sample</h1>
        """);
    node(html, liteFs);
    databases(html, liteFs);
    jobs(html, workerRunning, jobsRun, jobs);
    resources(html, resources);
    html.append("""
        <p>Try <code>GET /resources/{id}</code> (a miss fetches from the source on the primary),
        <code>GET /resources</code>, <code>GET /actuator/health</code>. The page refreshes every 5 seconds.</p>
        </body></html>
        """);
    return html.toString();
  }

  private static void node(StringBuilder html, LiteFs liteFs) {
    html.append("<p>Answered by <strong id=\"node\">").append(htmlEscape(liteFs.hostname())).append("</strong>, the ")
        .append("<strong id=\"role\">").append(liteFs.isPrimary() ? "primary" : "replica").append("</strong> (")
        .append(liteFs.mode().name().toLowerCase(Locale.ROOT)).append(" mode). Primary: <strong id=\"primary\">")
        .append(htmlEscape(liteFs.primaryHostname().orElse("none known"))).append("</strong>. Lag: ")
        .append(liteFs.lag().map(StatusPage::millis).orElse("unknown")).append(".</p>\n");
  }

  private static void databases(StringBuilder html, LiteFs liteFs) {
    html.append("<h2>Databases</h2>\n<table><tr><th>database</th><th>TXID</th><th>checksum</th></tr>\n");
    for (Map.Entry<String, Pos> db : liteFs.positions().entrySet()) {
      html.append("<tr><td>").append(htmlEscape(db.getKey())).append("</td><td>").append(db.getValue().txid())
          .append("</td><td>").append(db.getValue().postApplyChecksum()).append("</td></tr>\n");
    }
    html.append("</table>\n");
  }

  private static void jobs(StringBuilder html, boolean workerRunning, long jobsRun, JobStats jobs) {
    html.append("<h2>Jobs</h2>\n<p>Worker: <strong id=\"worker\">")
        .append(workerRunning ? "running here" : "not running here").append("</strong> (")
        .append(jobsRun).append(" job(s) run on this node). Queue: ").append(jobs.ready()).append(" ready, ")
        .append(jobs.claimed()).append(" claimed, ").append(jobs.done()).append(" done, ").append(jobs.dead())
        .append(" dead.</p>\n");
  }

  private static void resources(StringBuilder html, List<Resource> resources) {
    html.append("<h2>Resources</h2>\n");
    if (resources.isEmpty()) {
      html.append("<p>None yet.</p>\n");
      return;
    }
    html.append("<table><tr><th>id</th><th>title</th><th>fetched by</th><th>fetched at</th><th>words</th>"
        + "<th>enriched by</th></tr>\n");
    for (Resource r : resources) {
      String id = htmlEscape(r.id());
      html.append("<tr><td><a href=\"/resources/").append(id).append("\">").append(id).append("</a></td><td>")
          .append(htmlEscape(r.title())).append("</td><td>").append(htmlEscape(r.fetchedBy())).append("</td><td>")
          .append(r.fetchedAt()).append("</td><td>").append(orDash(r.wordCount())).append("</td><td>")
          .append(r.enrichedBy() == null ? "pending" : htmlEscape(r.enrichedBy()) + " at " + r.enrichedAt())
          .append("</td></tr>\n");
    }
    html.append("</table>\n");
  }

  private static String millis(Duration d) {
    return d.toMillis() + " ms";
  }

  private static String orDash(@Nullable Object value) {
    return value == null ? "–" : value.toString();
  }
}
