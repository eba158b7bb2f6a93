package dev.litefs.spring.data.jdbc;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.List;
import org.springframework.core.convert.converter.Converter;
import org.springframework.data.convert.ReadingConverter;
import org.springframework.data.jdbc.core.dialect.JdbcDialect;
import org.springframework.data.relational.core.dialect.AbstractDialect;
import org.springframework.data.relational.core.dialect.LimitClause;
import org.springframework.data.relational.core.dialect.LockClause;
import org.springframework.data.relational.core.sql.IdentifierProcessing;
import org.springframework.data.relational.core.sql.LockOptions;

/**
 * A Spring Data JDBC dialect for SQLite: {@code LIMIT}/{@code OFFSET} paging, no lock clause (SQLite locks
 * the whole database; a write transaction is already exclusive), ANSI-quoted identifiers kept as written, and
 * converters for timestamps, which sqlite-jdbc stores as epoch milliseconds (and SQLite's own
 * {@code CURRENT_TIMESTAMP} as UTC text).
 */
public class SqliteDialect extends AbstractDialect implements JdbcDialect {

  /** The shared instance; the dialect holds no state. */
  public static final SqliteDialect INSTANCE = new SqliteDialect();

  private static final LimitClause LIMIT = new LimitClause() {
    @Override
    public String getLimit(long limit) {
      return "LIMIT " + limit;
    }

    @Override
    public String getOffset(long offset) {
      // SQLite has no OFFSET without LIMIT; -1 means no limit.
      return "LIMIT -1 OFFSET " + offset;
    }

    @Override
    public String getLimitOffset(long limit, long offset) {
      return "LIMIT " + limit + " OFFSET " + offset;
    }

    @Override
    public Position getClausePosition() {
      return Position.AFTER_ORDER_BY;
    }
  };

  private static final LockClause LOCK = new LockClause() {
    @Override
    public String getLock(LockOptions lockOptions) {
      return "";
    }

    @Override
    public Position getClausePosition() {
      return Position.AFTER_ORDER_BY;
    }
  };

  private static final IdentifierProcessing IDENTIFIERS =
      IdentifierProcessing.create(IdentifierProcessing.Quoting.ANSI, IdentifierProcessing.LetterCasing.AS_IS);

  /** Creates the dialect; prefer {@link #INSTANCE}. */
  protected SqliteDialect() {}

  @Override
  public LimitClause limit() {
    return LIMIT;
  }

  @Override
  public LockClause lock() {
    return LOCK;
  }

  @Override
  public IdentifierProcessing getIdentifierProcessing() {
    return IDENTIFIERS;
  }

  @Override
  public Collection<Object> getConverters() {
    return List.of(EpochMillisToInstant.INSTANCE, EpochMillisToLocalDateTime.INSTANCE,
        EpochMillisToTimestamp.INSTANCE, TextToInstant.INSTANCE, TextToLocalDateTime.INSTANCE);
  }

  /** Reads an epoch-millisecond column (how sqlite-jdbc stores a {@link Timestamp}) as an {@link Instant}. */
  @ReadingConverter
  enum EpochMillisToInstant implements Converter<Long, Instant> {
    INSTANCE;

    @Override
    public Instant convert(Long source) {
      return Instant.ofEpochMilli(source);
    }
  }

  /**
   * Reads an epoch-millisecond column as a {@link LocalDateTime} in the JVM's zone, which is how sqlite-jdbc
   * turned the {@link LocalDateTime} into milliseconds when writing it.
   */
  @ReadingConverter
  enum EpochMillisToLocalDateTime implements Converter<Long, LocalDateTime> {
    INSTANCE;

    @Override
    public LocalDateTime convert(Long source) {
      return LocalDateTime.ofInstant(Instant.ofEpochMilli(source), ZoneId.systemDefault());
    }
  }

  /** Reads an epoch-millisecond column as a {@link Timestamp}. */
  @ReadingConverter
  enum EpochMillisToTimestamp implements Converter<Long, Timestamp> {
    INSTANCE;

    @Override
    public Timestamp convert(Long source) {
      return new Timestamp(source);
    }
  }

  /** Reads SQLite's UTC text timestamps ({@code 2024-05-01 12:00:00}, optionally ISO-8601) as an {@link Instant}. */
  @ReadingConverter
  enum TextToInstant implements Converter<String, Instant> {
    INSTANCE;

    @Override
    public Instant convert(String source) {
      return parseUtc(source).toInstant(ZoneOffset.UTC);
    }
  }

  /** Reads SQLite's text timestamps as a {@link LocalDateTime}, as written. */
  @ReadingConverter
  enum TextToLocalDateTime implements Converter<String, LocalDateTime> {
    INSTANCE;

    @Override
    public LocalDateTime convert(String source) {
      return parseUtc(source);
    }
  }

  private static LocalDateTime parseUtc(String text) {
    String s = text.strip();
    if (s.endsWith("Z")) {
      return LocalDateTime.ofInstant(Instant.parse(s), ZoneOffset.UTC);
    }
    try {
      return LocalDateTime.parse(s.replace(' ', 'T'), DateTimeFormatter.ISO_LOCAL_DATE_TIME);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("Not a SQLite timestamp: " + (s.length() > 40 ? s.substring(0, 40) : s), e);
    }
  }
}
