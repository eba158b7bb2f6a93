package dev.litefs.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.annotation.Id;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.data.relational.core.mapping.Table;
import org.springframework.data.repository.ListCrudRepository;
import org.springframework.data.repository.PagingAndSortingRepository;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/** The SQLite DataSource defaults, and Spring Data JDBC on SQLite with the starter's dialect. */
class LiteFsDataSourceTests {

  @TempDir
  Path dir;

  private ApplicationContextRunner runner() {
    return new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(LiteFsAutoConfiguration.class,
            LiteFsDataSourceAutoConfiguration.class, DataSourceAutoConfiguration.class))
        .withPropertyValues("litefs.mode=dev", "litefs.dev.dir=" + dir, "litefs.databases=app.db");
  }

  @Test
  void theDefaultDatabaseOpensInWalModeWithBusyTimeoutAndForeignKeys() {
    runner().run(context -> {
      DataSource ds = context.getBean(DataSource.class);
      assertThat(ds).isInstanceOf(LiteFsDataSource.class);
      JdbcTemplate jdbc = new JdbcTemplate(ds);
      assertThat(jdbc.queryForObject("PRAGMA journal_mode", String.class)).isEqualTo("wal");
      assertThat(jdbc.queryForObject("PRAGMA foreign_keys", Integer.class)).isEqualTo(1);
      assertThat(jdbc.queryForObject("PRAGMA busy_timeout", Integer.class)).isEqualTo(5000);
      assertThat(((LiteFsDataSource) ds).writer().getMaximumPoolSize()).isEqualTo(1);
      assertThat(dir.resolve("app.db")).exists();
    });
  }

  @Test
  void foreignKeysAreEnforced() {
    runner().run(context -> {
      JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
      jdbc.execute("CREATE TABLE parent (id INTEGER PRIMARY KEY)");
      jdbc.execute("CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent(id))");
      assertThatThrownBy(() -> jdbc.update("INSERT INTO child (parent_id) VALUES (99)"))
          .hasMessageContaining("FOREIGN KEY");
    });
  }

  @Test
  void readOnlyTransactionsUseQueryOnlyReaderConnections() {
    runner().withConfiguration(AutoConfigurations.of(
        org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration.class))
        .run(context -> {
          DataSource ds = context.getBean(DataSource.class);
          JdbcTemplate jdbc = new JdbcTemplate(ds);
          jdbc.execute("CREATE TABLE t (x INTEGER)");
          TransactionTemplate readOnly = new TransactionTemplate(
              context.getBean(org.springframework.transaction.PlatformTransactionManager.class));
          readOnly.setReadOnly(true);
          Integer queryOnly = readOnly.execute(s -> jdbc.queryForObject("PRAGMA query_only", Integer.class));
          assertThat(queryOnly).isEqualTo(1);
          assertThatThrownBy(() -> readOnly.executeWithoutResult(s -> jdbc.update("INSERT INTO t VALUES (1)")))
              .hasMessageContaining("readonly");
          assertThat(jdbc.update("INSERT INTO t VALUES (1)")).isEqualTo(1);
        });
  }

  @Test
  void backsOffWhenSpringDatasourceUrlIsSet() {
    runner().withPropertyValues("spring.datasource.url=jdbc:sqlite:" + dir.resolve("other.db"))
        .run(context -> assertThat(context.getBean(DataSource.class)).isNotInstanceOf(LiteFsDataSource.class));
  }

  @Test
  void backsOffWithoutADatabase() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(LiteFsAutoConfiguration.class, LiteFsDataSourceAutoConfiguration.class))
        .withPropertyValues("litefs.mode=dev", "litefs.dev.dir=" + dir)
        .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(DataSource.class));
  }

  @Test
  void backsOffWhenDisabled() {
    runner().withPropertyValues("litefs.datasource.enabled=false", "spring.datasource.url=jdbc:sqlite:" + dir.resolve("x.db"))
        .run(context -> assertThat(context).doesNotHaveBean(LiteFsDataSource.class));
  }

  @Test
  void springDataJdbcWorksOnSqliteWithTimestampsAndPaging() {
    try (ConfigurableApplicationContext context = new SpringApplicationBuilder(DataApp.class)
        .web(WebApplicationType.NONE)
        .properties("spring.main.banner-mode=off", "litefs.mode=dev", "litefs.dev.dir=" + dir, "litefs.databases=app.db")
        .run()) {
      JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
      jdbc.execute("CREATE TABLE note (id INTEGER PRIMARY KEY AUTOINCREMENT, text TEXT NOT NULL, "
          + "created_at TIMESTAMP NOT NULL, due LOCALDATETIME, logged TEXT DEFAULT CURRENT_TIMESTAMP)");
      NoteRepository notes = context.getBean(NoteRepository.class);
      Instant created = Instant.parse("2026-11-26T06:49:19.007Z");
      LocalDateTime due = LocalDateTime.of(2027, 1, 2, 3, 4, 5);
      Note saved = notes.save(new Note(null, "first", created, due, null));
      assertThat(saved.id()).isNotNull();
      for (int i = 2; i <= 5; i++) {
        notes.save(new Note(null, "note " + i, created.plusSeconds(i), null, null));
      }
      // SQLite's own timestamps are UTC text.
      jdbc.update("UPDATE note SET logged = CURRENT_TIMESTAMP WHERE id = ?", saved.id());
      Note loaded = notes.findById(saved.id()).orElseThrow();
      assertThat(loaded.createdAt()).isEqualTo(created);
      assertThat(loaded.due()).isEqualTo(due);
      assertThat(loaded.logged()).isCloseTo(Instant.now(), org.assertj.core.api.Assertions.within(1, ChronoUnit.MINUTES));
      List<String> page = notes.findAll(PageRequest.of(1, 2, Sort.by("id"))).map(Note::text).toList();
      assertThat(page).containsExactly("note 3", "note 4");
    }
  }

  @Table("note")
  record Note(@Id Long id, String text, Instant createdAt, LocalDateTime due, Instant logged) {}

  interface NoteRepository extends ListCrudRepository<Note, Long>, PagingAndSortingRepository<Note, Long> {}

  @SpringBootConfiguration
  @EnableAutoConfiguration
  @org.springframework.data.jdbc.repository.config.EnableJdbcRepositories(considerNestedRepositories = true,
      basePackageClasses = LiteFsDataSourceTests.class,
      includeFilters = @org.springframework.context.annotation.ComponentScan.Filter(
          type = org.springframework.context.annotation.FilterType.ASSIGNABLE_TYPE, classes = NoteRepository.class))
  static class DataApp {}
}
