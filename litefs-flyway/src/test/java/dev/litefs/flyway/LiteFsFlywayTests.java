package dev.litefs.flyway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.litefs.spring.LiteFsReadinessCheck;
import dev.litefs.spring.PrimaryOnly;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;

/** Flyway on simulated LiteFS nodes: the primary migrates, replicas wait for the schema, promotion migrates. */
class LiteFsFlywayTests {

  @TempDir
  Path tmp;

  private SimulatedMount mount;
  private ConfigurableApplicationContext context;

  @AfterEach
  void close() {
    if (context != null) {
      context.close();
    }
    if (mount != null) {
      mount.close();
    }
  }

  private ConfigurableApplicationContext start(SimulatedMount m, String... extra) {
    this.mount = m;
    context = new SpringApplicationBuilder(FlywayApp.class).web(WebApplicationType.NONE)
        .properties(m.properties(m == null ? "x" : "node2")).properties(extra).run();
    return context;
  }

  /** The database a real primary would have after migrating, built with Flyway directly. */
  private Path migratedPrimaryDatabase(String target) {
    Path file = tmp.resolve("primary-" + target + ".db");
    Flyway.configure().dataSource("jdbc:sqlite:" + file, null, null).locations("classpath:db/migration")
        .target(target).load().migrate();
    return file;
  }

  private static int historyRows(ConfigurableApplicationContext context) {
    return context.getBean(JdbcTemplate.class)
        .queryForObject("SELECT count(*) FROM flyway_schema_history WHERE success = 1", Integer.class);
  }

  @Test
  void thePrimaryMigratesOnceAtStartup() throws Exception {
    start(new SimulatedMount(tmp.resolve("primary"), true));
    assertThat(historyRows(context)).isEqualTo(2);
    LiteFsFlywayMigration strategy = context.getBean(LiteFsFlywayMigration.class);
    assertThat(strategy.migrateRuns()).isEqualTo(1);
    assertThat(strategy.notReadyReason()).isEmpty();
  }

  @Test
  void inDevModeTheOnlyNodeMigrates() {
    context = new SpringApplicationBuilder(FlywayApp.class).web(WebApplicationType.NONE)
        .properties("litefs.mode=dev", "litefs.dev.dir=" + tmp.resolve("dev"), "litefs.databases=app.db",
            "spring.main.banner-mode=off")
        .run();
    assertThat(historyRows(context)).isEqualTo(2);
  }

  @Test
  void aReplicaWhoseSchemaHasReplicatedStartsWithoutMigrating() throws Exception {
    SimulatedMount replica = new SimulatedMount(tmp.resolve("replica"), false);
    Path primaryDb = migratedPrimaryDatabase("2");
    replica.replicateFrom(primaryDb);
    start(replica);
    assertThat(context.getBean(LiteFsFlywayMigration.class).migrateRuns()).isZero();
    assertThat(context.getBean(LiteFsFlywayMigration.class).notReadyReason()).isEmpty();
    assertThat(Files.readAllBytes(replica.database())).isEqualTo(Files.readAllBytes(primaryDb));
  }

  @Test
  void aReplicaStartupWaitsUntilReplicationBringsTheSchema() throws Exception {
    SimulatedMount replica = new SimulatedMount(tmp.resolve("replica"), false);
    replica.replicateFrom(migratedPrimaryDatabase("1"));
    this.mount = replica;
    CompletableFuture<ConfigurableApplicationContext> starting = CompletableFuture.supplyAsync(
        () -> new SpringApplicationBuilder(FlywayApp.class).web(WebApplicationType.NONE)
            .properties(replica.properties("node2")).properties("litefs.flyway.replica-wait=30s").run());
    // Still waiting: the replica has version 1, the application expects version 2.
    assertThat(starting).isNotDone();
    Path primaryDb = migratedPrimaryDatabase("2");
    long replicatedAt = System.nanoTime();
    SimulatedMount.uncheckedReplicate(replica, primaryDb);
    context = starting.get(20, TimeUnit.SECONDS);
    assertThat(context.getBean(FlywayApp.class).readyAt).isGreaterThan(replicatedAt);
    LiteFsFlywayMigration strategy = context.getBean(LiteFsFlywayMigration.class);
    assertThat(strategy.migrateRuns()).isZero();
    assertThat(strategy.notReadyReason()).isEmpty();
    assertThat(Files.readAllBytes(replica.database())).isEqualTo(Files.readAllBytes(primaryDb));
  }

  @Test
  void aReplicaThatWaitedInVainStartsNotReadyAndBecomesReadyWhenTheSchemaArrives() throws Exception {
    SimulatedMount replica = new SimulatedMount(tmp.resolve("replica"), false);
    replica.replicateFrom(migratedPrimaryDatabase("1"));
    start(replica, "litefs.flyway.replica-wait=200ms");
    LiteFsReadinessCheck check = context.getBean(LiteFsReadinessCheck.class);
    assertThat(check.notReadyReason()).hasValueSatisfying(reason -> assertThat(reason)
        .contains("version 1").contains("expects version 2").contains("1 migration(s) pending").contains("node1"));
    replica.replicateFrom(migratedPrimaryDatabase("2"));
    await().atMost(Duration.ofSeconds(10)).until(() -> check.notReadyReason().isEmpty());
    assertThat(context.getBean(LiteFsFlywayMigration.class).migrateRuns()).isZero();
  }

  @Test
  void aReplicaWithNoDatabaseYetSaysSo() throws Exception {
    start(new SimulatedMount(tmp.resolve("replica"), false), "litefs.flyway.replica-wait=100ms");
    assertThat(context.getBean(LiteFsReadinessCheck.class).notReadyReason())
        .hasValueSatisfying(reason -> assertThat(reason).contains("has not replicated to this node yet"));
    assertThat(context.getBean(LiteFsFlywayMigration.class).migrateRuns()).isZero();
  }

  @Test
  void aPromotedNodeRunsPendingMigrationsBeforeItsWorkersStart() throws Exception {
    SimulatedMount replica = new SimulatedMount(tmp.resolve("replica"), false);
    replica.replicateFrom(migratedPrimaryDatabase("1"));
    start(replica, "litefs.flyway.replica-wait=100ms");
    Worker worker = context.getBean(Worker.class);
    assertThat(worker.isRunning()).isFalse();
    replica.promote();
    await().atMost(Duration.ofSeconds(10)).until(worker::isRunning);
    assertThat(worker.historyRowsAtStart).isEqualTo(2);
    assertThat(historyRows(context)).isEqualTo(2);
    await().atMost(Duration.ofSeconds(5))
        .until(() -> context.getBean(LiteFsReadinessCheck.class).notReadyReason().isEmpty());
  }

  @Test
  void backsOffWhenTheApplicationHasItsOwnStrategy() throws Exception {
    mount = new SimulatedMount(tmp.resolve("primary"), true);
    context = new SpringApplicationBuilder(PlainApp.class, OwnStrategy.class).web(WebApplicationType.NONE)
        .properties(mount.properties("node1")).run();
    assertThat(context.getBeansOfType(LiteFsFlywayMigration.class)).isEmpty();
  }

  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class FlywayApp {
    volatile long readyAt;

    @org.springframework.context.event.EventListener(org.springframework.boot.context.event.ApplicationReadyEvent.class)
    void ready() {
      readyAt = System.nanoTime();
    }

    @Bean
    Worker worker(JdbcTemplate jdbc) {
      return new Worker(jdbc);
    }
  }

  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class PlainApp {}

  @SpringBootConfiguration
  static class OwnStrategy {
    @Bean
    FlywayMigrationStrategy ownStrategy() {
      return flyway -> {};
    }
  }

  /** A primary-only worker that records the schema it found when it started. */
  @PrimaryOnly
  static class Worker implements SmartLifecycle {
    private final JdbcTemplate jdbc;
    volatile boolean running;
    volatile int historyRowsAtStart = -1;

    Worker(JdbcTemplate jdbc) {
      this.jdbc = jdbc;
    }

    @Override
    public void start() {
      historyRowsAtStart = jdbc.queryForObject("SELECT count(*) FROM flyway_schema_history WHERE success = 1",
          Integer.class);
      running = true;
    }

    @Override
    public void stop() {
      running = false;
    }

    @Override
    public boolean isRunning() {
      return running;
    }
  }
}
