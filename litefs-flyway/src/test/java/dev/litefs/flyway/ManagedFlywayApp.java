package dev.litefs.flyway;

import dev.litefs.spring.LiteFs;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The application {@link ManagedFlywayIT} runs on each node, in its own JVM, in managed mode: migrations in
 * {@code db/managed} record the node that ran them ({@code ${node}}), and {@code /migrations} shows them.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(ManagedFlywayApp.Api.class)
public class ManagedFlywayApp {

  public static void main(String[] args) {
    SpringApplication.run(ManagedFlywayApp.class, args);
  }

  @RestController
  static class Api {
    private final LiteFs liteFs;
    private final JdbcTemplate jdbc;

    Api(LiteFs liteFs, JdbcTemplate jdbc) {
      this.liteFs = liteFs;
      this.jdbc = jdbc;
    }

    @GetMapping("/migrations")
    String migrations() {
      StringBuilder b = new StringBuilder();
      b.append("primary=").append(liteFs.isPrimary()).append('\n');
      b.append("runs=").append(String.join(",", jdbc.queryForList(
          "SELECT version || ':' || node FROM migration_runs ORDER BY version", String.class))).append('\n');
      b.append("history=").append(jdbc.queryForObject(
          "SELECT count(*) FROM flyway_schema_history WHERE success = 1", Integer.class)).append('\n');
      return b.toString();
    }
  }
}
