package dev.litefs.sample;

import java.nio.file.Path;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/** A real SQLite file migrated with the application's own migrations, as the primary would have it. */
public final class TestDatabase {
  private TestDatabase() {}

  /** Creates (or brings up to date) the database file {@code file}. */
  public static DataSource migrated(Path file) {
    SQLiteConfig config = new SQLiteConfig();
    config.setBusyTimeout(5000);
    SQLiteDataSource dataSource = new SQLiteDataSource(config);
    dataSource.setUrl("jdbc:sqlite:" + file);
    Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
    return dataSource;
  }

  /** A client on a migrated database file. */
  public static JdbcClient client(Path file) {
    return JdbcClient.create(migrated(file));
  }
}
