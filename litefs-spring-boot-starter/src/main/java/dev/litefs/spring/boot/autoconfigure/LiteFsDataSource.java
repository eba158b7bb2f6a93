package dev.litefs.spring.boot.autoconfigure;

import com.zaxxer.hikari.HikariDataSource;
import java.io.Closeable;
import org.springframework.jdbc.datasource.LazyConnectionDataSourceProxy;

/**
 * The default database's DataSource: one writer connection (SQLite has one writer at a time, and a single
 * connection never meets SQLITE_BUSY on a lock upgrade), and a pool of query-only connections used inside
 * read-only transactions ({@code @Transactional(readOnly = true)}). Closing it closes both pools.
 */
final class LiteFsDataSource extends LazyConnectionDataSourceProxy implements Closeable {
  private final HikariDataSource writer;
  private final HikariDataSource readers;

  LiteFsDataSource(HikariDataSource writer, HikariDataSource readers) {
    super(writer);
    setReadOnlyDataSource(readers);
    this.writer = writer;
    this.readers = readers;
  }

  HikariDataSource writer() {
    return writer;
  }

  HikariDataSource readers() {
    return readers;
  }

  @Override
  public void close() {
    readers.close();
    writer.close();
  }
}
