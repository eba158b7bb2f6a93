package dev.litefs.spring.boot.autoconfigure;

import org.jspecify.annotations.Nullable;

/**
 * Validation of hostnames that come from outside (the {@code .primary} file, {@code /events}). A hostname
 * ends up in a response header ({@code fly-replay: instance=...}) and in a URL (forward mode), so only
 * characters that are safe in both are accepted: ASCII letters, digits, {@code .}, {@code -} and {@code _},
 * at most 253 of them.
 */
final class Hostnames {
  static final int MAX_LENGTH = 253;
  private static final int MAX_QUOTED = 64;

  private Hostnames() {}

  /** Returns {@code true} when {@code s} is a non-empty hostname made only of safe characters. */
  static boolean isValid(@Nullable String s) {
    if (s == null || s.isEmpty() || s.length() > MAX_LENGTH) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '.' || c == '-' || c == '_';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /**
   * Quotes untrusted text for a log line: escapes quotes, backslashes, control and non-ASCII characters, and
   * caps the length, so that a hostile value can neither forge log lines nor flood the log.
   */
  static String quote(@Nullable String s) {
    if (s == null) {
      return "null";
    }
    StringBuilder b = new StringBuilder("\"");
    for (int i = 0; i < s.length() && i < MAX_QUOTED; i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else if (c < 0x20 || c >= 0x7f) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    if (s.length() > MAX_QUOTED) {
      b.append("...(").append(s.length()).append(" chars)");
    }
    return b.append('"').toString();
  }
}
