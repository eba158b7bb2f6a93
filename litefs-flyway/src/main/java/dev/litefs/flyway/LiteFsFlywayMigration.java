package dev.litefs.flyway;

import dev.litefs.core.ltx.Pos;
import dev.litefs.spring.LiteFs;
import dev.litefs.spring.LiteFsReadinessCheck;
import dev.litefs.spring.PrimaryChangedEvent;
import java.time.Duration;
import java.util.Optional;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.output.MigrateResult;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;

/**
 * Flyway on LiteFS. The primary migrates (Boot calls this strategy during startup, before the web server
 * starts). A replica does not migrate: it waits, woken by the database's transactions, until replication has
 * brought {@code flyway_schema_history} to the application's latest migration; after
 * {@code litefs.flyway.replica-wait} it lets startup finish but stays not ready (a {@link LiteFsReadinessCheck})
 * until the schema arrives. A replica promoted later migrates on promotion, before primary-only lifecycle
 * beans start (this listener runs before them).
 */
final class LiteFsFlywayMigration implements FlywayMigrationStrategy, LiteFsReadinessCheck,
    ApplicationListener<PrimaryChangedEvent>, Ordered, DisposableBean {
  private static final Logger log = LoggerFactory.getLogger(LiteFsFlywayMigration.class);

  /** Before the primary-only lifecycle controller (order 0): migrations first, then workers. */
  static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 100;

  /** Longest single wait for the next transaction, so a promotion during the wait is noticed. */
  private static final Duration SLICE = Duration.ofSeconds(1);

  private final LiteFs liteFs;
  private final String database;
  private final Duration replicaWait;
  private volatile @Nullable Flyway flyway;
  private volatile @Nullable String notReady;
  private volatile @Nullable Thread background;
  private volatile boolean closed;
  private int migrateRuns;

  LiteFsFlywayMigration(LiteFs liteFs, String database, Duration replicaWait) {
    this.liteFs = liteFs;
    this.database = database;
    this.replicaWait = replicaWait;
  }

  @Override
  public void migrate(Flyway flyway) {
    this.flyway = flyway;
    if (liteFs.isPrimary()) {
      migrateOnPrimary(flyway, "this node is the primary");
      return;
    }
    log.info("Flyway: this node is a replica; waiting up to {} for the primary's schema to replicate", replicaWait);
    Schema schema;
    try {
      schema = awaitSchema(flyway, replicaWait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for the schema to replicate", e);
    }
    if (schema.upToDate()) {
      return;
    }
    notReady = schema.describe(liteFs.primaryHostname().orElse(null));
    log.warn("Flyway: {}. Starting without it and reporting not ready until it arrives (litefs.flyway.replica-wait "
        + "is {}).", notReady, replicaWait);
    Thread t = new Thread(this::keepWaiting, "litefs-flyway");
    t.setDaemon(true);
    background = t;
    t.start();
  }

  @Override
  public Optional<String> notReadyReason() {
    return Optional.ofNullable(notReady);
  }

  /** Runs pending migrations when this node is promoted; the primary-only workers start after this returns. */
  @Override
  public void onApplicationEvent(PrimaryChangedEvent event) {
    Flyway f = flyway;
    if (event.isPromotion() && f != null && liteFs.isPrimary()) {
      migrateOnPrimary(f, "this node was promoted");
    }
  }

  @Override
  public int getOrder() {
    return ORDER;
  }

  @Override
  public void destroy() {
    closed = true;
    Thread t = background;
    if (t != null) {
      t.interrupt();
    }
  }

  /** How many times this node ran {@code flyway.migrate()}. */
  synchronized int migrateRuns() {
    return migrateRuns;
  }

  private synchronized void migrateOnPrimary(Flyway flyway, String why) {
    migrateRuns++;
    try {
      MigrateResult result = flyway.migrate();
      log.info("Flyway: {}; applied {} migration(s), schema at version {}", why, result.migrationsExecuted,
          result.targetSchemaVersion);
      notReady = null;
    } catch (FlywayException e) {
      notReady = "migrations failed on the primary: " + e.getMessage();
      throw e;
    }
  }

  private void keepWaiting() {
    try {
      while (!closed) {
        Schema schema = awaitSchema(flyway(), Duration.ofMinutes(1));
        if (schema.upToDate()) {
          if (notReady != null) {
            log.info("Flyway: the schema has replicated; this replica is ready");
          }
          notReady = null;
          return;
        }
        notReady = schema.describe(liteFs.primaryHostname().orElse(null));
      }
    } catch (InterruptedException e) {
      // Closing.
    } catch (RuntimeException e) {
      log.error("Flyway: waiting for the schema failed", e);
      notReady = "waiting for the schema failed: " + e.getMessage();
    }
  }

  private Flyway flyway() {
    Flyway f = flyway;
    if (f == null) {
      throw new IllegalStateException("Flyway has not been handed to the migration strategy");
    }
    return f;
  }

  /** Waits until the schema is current (or this node became primary and migrated), or {@code timeout} passes. */
  private Schema awaitSchema(Flyway flyway, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (liteFs.isPrimary()) {
        migrateOnPrimary(flyway, "this node was promoted while waiting for the schema");
        return Schema.UP_TO_DATE;
      }
      Pos pos = liteFs.position(database);
      Schema schema = pos.isZero() ? Schema.NO_DATABASE : inspect(flyway);
      if (schema.upToDate()) {
        return schema;
      }
      long remaining = deadline - System.nanoTime();
      if (remaining <= 0) {
        return schema;
      }
      // Woken by the database's next transaction (a tx event), whatever it is.
      liteFs.awaitPosition(database, pos.txid().next(), Duration.ofNanos(Math.min(remaining, SLICE.toNanos())));
    }
  }

  private static Schema inspect(Flyway flyway) {
    try {
      MigrationInfoService info = flyway.info();
      MigrationInfo current = info.current();
      MigrationVersion latest = null;
      for (MigrationInfo m : info.all()) {
        if (m.getVersion() != null && (latest == null || m.getVersion().compareTo(latest) > 0)) {
          latest = m.getVersion();
        }
      }
      int pending = info.pending().length;
      return new Schema(pending == 0, current == null || current.getVersion() == null ? null
          : current.getVersion().getVersion(), latest == null ? null : latest.getVersion(), pending, null);
    } catch (FlywayException e) {
      return new Schema(false, null, null, -1, e.getMessage());
    }
  }

  /** What the replica's schema looks like against the application's migrations. */
  private record Schema(boolean upToDate, @Nullable String current, @Nullable String latest, int pending,
      @Nullable String error) {
    static final Schema UP_TO_DATE = new Schema(true, null, null, 0, null);
    static final Schema NO_DATABASE = new Schema(false, null, null, -1, null);

    String describe(@Nullable String primary) {
      String from = primary == null ? "the primary (none is known now)" : "the primary (" + primary + ")";
      if (error != null) {
        return "the replica cannot read its schema history yet (" + error + "); waiting for " + from;
      }
      if (pending < 0) {
        return "the database has not replicated to this node yet; waiting for " + from;
      }
      return "the replica's schema is at version " + (current == null ? "none" : current)
          + " but the application expects version " + latest + " (" + pending + " migration(s) pending); waiting "
          + "for " + from + " to migrate and for replication to bring the schema here";
    }
  }
}
