package dev.litefs.spring.boot.autoconfigure;

import com.zaxxer.hikari.HikariDataSource;
import dev.litefs.spring.LiteFs;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.jdbc.datasource.LazyConnectionDataSourceProxy;

/**
 * Auto-configuration of a SQLite {@link DataSource} for the default database (the first of
 * {@code litefs.databases}), with the settings a LiteFS mount wants: WAL, {@code busy_timeout}, foreign keys,
 * and one writer connection. Backs off when the application defines a DataSource or sets
 * {@code spring.datasource.url}.
 */
@AutoConfiguration(after = LiteFsAutoConfiguration.class, before = DataSourceAutoConfiguration.class)
@ConditionalOnClass({HikariDataSource.class, LazyConnectionDataSourceProxy.class, DataSourceAutoConfiguration.class})
@ConditionalOnBean(LiteFs.class)
@ConditionalOnBooleanProperty(name = "litefs.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "litefs.datasource.enabled", matchIfMissing = true)
@Conditional(LiteFsDataSourceAutoConfiguration.DefaultDatabaseCondition.class)
public final class LiteFsDataSourceAutoConfiguration {
  private static final Logger log = LoggerFactory.getLogger(LiteFsDataSourceAutoConfiguration.class);

  @Bean
  @ConditionalOnMissingBean(DataSource.class)
  LiteFsDataSource dataSource(LiteFs liteFs, LiteFsProperties properties) {
    LiteFsProperties.Datasource config = properties.getDatasource();
    String db = liteFs.databases().get(0);
    String url = "jdbc:sqlite:" + liteFs.databasePath(db);
    HikariDataSource writer = pool(url, config, "litefs-writer", 1);
    HikariDataSource readers = pool(url, config, "litefs-readers", Math.max(1, config.getReaderPoolSize()));
    // Setting the journal mode writes the database header, which only the primary may do; replicas receive
    // the mode with the pages.
    readers.setConnectionInitSql("PRAGMA query_only = 1");
    if (liteFs.isPrimary() && config.getJournalMode() != LiteFsProperties.JournalMode.UNCHANGED) {
      setJournalMode(writer, db, config.getJournalMode());
    }
    return new LiteFsDataSource(writer, readers);
  }

  private static HikariDataSource pool(String url, LiteFsProperties.Datasource config, String name, int size) {
    HikariDataSource pool = new HikariDataSource();
    pool.setPoolName(name);
    pool.setJdbcUrl(url);
    pool.setDriverClassName("org.sqlite.JDBC");
    pool.setMaximumPoolSize(size);
    pool.setMinimumIdle(0);
    // sqlite-jdbc applies these as PRAGMAs on every new connection.
    pool.addDataSourceProperty("busy_timeout", Long.toString(config.getBusyTimeout().toMillis()));
    pool.addDataSourceProperty("foreign_keys", Boolean.toString(config.isForeignKeys()));
    return pool;
  }

  private static void setJournalMode(HikariDataSource writer, String db, LiteFsProperties.JournalMode mode) {
    String wanted = mode.name().toLowerCase(Locale.ROOT);
    try (Connection c = writer.getConnection(); Statement s = c.createStatement();
        ResultSet r = s.executeQuery("PRAGMA journal_mode = " + wanted)) {
      String now = r.next() ? r.getString(1) : "?";
      if (!wanted.equalsIgnoreCase(now)) {
        log.warn("Database {} stayed in journal mode {} instead of {}", db, now, wanted);
      }
    } catch (SQLException e) {
      log.warn("Could not set journal mode {} on database {}: {}", wanted, db, e.getMessage());
    }
  }

  /** Matches when a default database is configured and {@code spring.datasource.url} is not set. */
  static final class DefaultDatabaseCondition extends SpringBootCondition {
    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
      if (context.getEnvironment().containsProperty("spring.datasource.url")) {
        return ConditionOutcome.noMatch("spring.datasource.url is set");
      }
      if (!context.getEnvironment().containsProperty("litefs.databases[0]")
          && context.getEnvironment().getProperty("litefs.databases", "").isBlank()) {
        return ConditionOutcome.noMatch("litefs.databases is empty");
      }
      return ConditionOutcome.match("litefs.databases names a default database");
    }
  }
}
