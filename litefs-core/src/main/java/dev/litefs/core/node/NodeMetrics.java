package dev.litefs.core.node;

import dev.litefs.core.store.Database;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The node's meters, named as LiteFS's Prometheus metrics so dashboards carry over: {@code litefs_is_primary},
 * {@code litefs_lag_seconds}, {@code litefs_subscriber_count}, {@code litefs_db_count}, and per database
 * {@code litefs_db_txid} and {@code litefs_db_commit_count}. Counts are exported as gauges so their names
 * stay exactly LiteFS's (Micrometer would add {@code _total} to a counter).
 */
public final class NodeMetrics {
  private NodeMetrics() {}

  /** Registers the meters of {@code node} in {@code registry}. */
  public static void bind(MeterRegistry registry, Node node) {
    Gauge.builder("litefs.is.primary", node, n -> n.isPrimary() ? 1 : 0)
        .description("1 if this node holds the primary lease").register(registry);
    Gauge.builder("litefs.lag.seconds", node, n -> n.lagMillis() / 1000.0)
        .description("seconds behind the primary").register(registry);
    Gauge.builder("litefs.subscriber.count", node, Node::streamCount)
        .description("replicas streaming from this node").register(registry);
    Gauge.builder("litefs.db.count", node, n -> n.store().databases().size())
        .description("databases on this node").register(registry);
    Set<String> bound = ConcurrentHashMap.newKeySet();
    Map<String, AtomicLong> commits = new ConcurrentHashMap<>();
    for (Database db : node.store().databases()) {
      bindDatabase(registry, db, bound, commits);
    }
    node.store().addListener((db, tx) -> {
      bindDatabase(registry, db, bound, commits);
      commits.get(db.name()).incrementAndGet();
    });
  }

  private static void bindDatabase(MeterRegistry registry, Database db, Set<String> bound, Map<String, AtomicLong> commits) {
    if (!bound.add(db.name())) {
      return;
    }
    AtomicLong count = commits.computeIfAbsent(db.name(), n -> new AtomicLong());
    Gauge.builder("litefs.db.txid", db, d -> d.pos().txid().value()).tag("db", db.name())
        .description("the database's current transaction ID").register(registry);
    Gauge.builder("litefs.db.commit.count", count, AtomicLong::get).tag("db", db.name())
        .description("transactions recorded since start").register(registry);
  }
}
