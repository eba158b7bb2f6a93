package dev.litefs.core.store;

import java.util.List;

/**
 * Rules for database names. A name becomes a directory under {@code dbs/} and a file in the mount, so it
 * must be a plain file name, and must not end in a suffix the mount gives its companion files.
 */
public final class DatabaseName {
  private static final List<String> RESERVED_SUFFIXES = List.of("-journal", "-wal", "-shm", "-pos", "-lock");
  private static final int MAX_LENGTH = 200;

  private DatabaseName() {}

  /**
   * Returns {@code name} if it is a valid database name.
   *
   * @throws IllegalArgumentException saying why it is not
   */
  public static String validate(String name) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("database name required");
    }
    if (name.length() > MAX_LENGTH) {
      throw new IllegalArgumentException("database name longer than " + MAX_LENGTH + " characters");
    }
    if (name.startsWith(".")) {
      throw new IllegalArgumentException("database name must not start with '.': " + printable(name));
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '/' || c == '\\' || c < 0x20 || c == 0x7f) {
        throw new IllegalArgumentException("database name has a character not allowed in a file name: "
            + printable(name));
      }
    }
    for (String s : RESERVED_SUFFIXES) {
      if (name.endsWith(s)) {
        throw new IllegalArgumentException("database name must not end in " + s + ": " + printable(name));
      }
    }
    return name;
  }

  private static String printable(String s) {
    return "\"" + s.replaceAll("[^\\x20-\\x7e]", "?") + "\"";
  }
}
