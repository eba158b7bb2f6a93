package dev.litefs.core.sqlite;

import java.io.IOException;

/** A file that is not a valid SQLite database (or journal, or WAL) where one was required. */
public class InvalidDatabaseException extends IOException {
  private static final long serialVersionUID = 1L;

  public InvalidDatabaseException(String message) {
    super(message);
  }
}
