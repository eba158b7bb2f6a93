package dev.litefs.core.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The sections of LiteFS's schema that litefs-java accepts, so that LiteFS configs load, but does not act on,
 * each with what to tell the user. Loading a file that sets any of their keys logs a warning per key. Remove a
 * section here when its feature is built.
 */
public final class NotYetImplemented {
  private static final Map<String, String> SECTIONS = new LinkedHashMap<>();

  static {
    SECTIONS.put("proxy",
        "the built-in proxy is not implemented in litefs-java; use the Spring starter's fly-replay support");
    SECTIONS.put("backup", "backup streaming (to a file or LiteFS Cloud) is not implemented in litefs-java");
    SECTIONS.put("tracing", "the trace log is not implemented in litefs-java");
  }

  private NotYetImplemented() {}

  /** Returns why {@code section}'s keys (or its command-line flag) have no effect, if it is not built yet. */
  public static Optional<String> reason(String section) {
    return Optional.ofNullable(SECTIONS.get(section));
  }

  /** Warns, for each key the file sets in a section not built yet: {@code proxy.target is accepted but …}. */
  static void warn(ConfigKeys keys, Problems problems) {
    SECTIONS.forEach((section, reason) -> keys.keysUnder(section)
        .forEach((key, line) -> problems.warning(line, key + " is accepted but " + reason)));
  }
}
