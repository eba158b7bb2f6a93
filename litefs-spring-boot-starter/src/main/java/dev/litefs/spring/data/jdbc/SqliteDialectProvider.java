package dev.litefs.spring.data.jdbc;

import java.sql.DatabaseMetaData;
import java.util.Locale;
import java.util.Optional;
import org.springframework.data.jdbc.core.dialect.DialectResolver;
import org.springframework.data.relational.core.dialect.Dialect;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcOperations;

/**
 * Tells Spring Data JDBC's {@link DialectResolver} to use {@link SqliteDialect} for SQLite connections.
 * Registered in {@code META-INF/spring.factories}.
 */
public class SqliteDialectProvider implements DialectResolver.JdbcDialectProvider {

  @Override
  public Optional<Dialect> getDialect(JdbcOperations operations) {
    String product = operations.execute((ConnectionCallback<String>) connection -> {
      DatabaseMetaData metaData = connection.getMetaData();
      return metaData.getDatabaseProductName();
    });
    if (product != null && product.toLowerCase(Locale.ROOT).contains("sqlite")) {
      return Optional.of(SqliteDialect.INSTANCE);
    }
    return Optional.empty();
  }
}
