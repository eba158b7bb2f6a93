package dev.litefs.spring.boot.autoconfigure;

import dev.litefs.spring.LiteFs;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Micrometer gauges named after LiteFS's own metrics, so dashboards carry over: {@code litefs.is_primary}
 * (Prometheus {@code litefs_is_primary}), {@code litefs.lag} in seconds ({@code litefs_lag_seconds}) and
 * {@code litefs.db.txid} per database ({@code litefs_db_txid{db="..."}}).
 */
final class LiteFsMetrics implements MeterBinder {
  private final LiteFs liteFs;

  LiteFsMetrics(LiteFs liteFs) {
    this.liteFs = liteFs;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Gauge.builder("litefs.is_primary", liteFs, fs -> fs.isPrimary() ? 1 : 0)
        .description("1 when this node is the LiteFS primary, 0 on a replica")
        .register(registry);
    Gauge.builder("litefs.lag", liteFs, fs -> fs.lag().map(d -> d.toNanos() / 1e9).orElse(Double.NaN))
        .description("Replication lag behind the primary (NaN before the first sync)")
        .baseUnit("seconds")
        .register(registry);
    for (String db : liteFs.databases()) {
      Gauge.builder("litefs.db.txid", liteFs, fs -> (double) fs.position(db).txid().value())
          .description("Last transaction ID applied to the database")
          .tag("db", db)
          .register(registry);
    }
  }
}
