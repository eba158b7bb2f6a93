package dev.litefs.core.config;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What binding learned about the keys of one file, for the later stages: the line of every key present (full
 * paths such as {@code lease.consul.url} and {@code exec[1].cmd}), and which values are unknown to the rules:
 * those built from environment variables that {@code --validate} does not read, and those already reported as
 * the wrong type (so one mistake is not reported twice).
 */
final class ConfigKeys {
  private final Map<String, Integer> lines = new LinkedHashMap<>();
  private final Set<String> unknownValues = new HashSet<>();

  void present(String path, int line) {
    lines.putIfAbsent(path, line);
  }

  void valueUnknown(String path) {
    unknownValues.add(path);
  }

  boolean isPresent(String path) {
    return lines.containsKey(path);
  }

  /**
   * Whether the rules may judge {@code path}'s value: false when it, or the section holding it, depends on the
   * environment or was reported as the wrong type.
   */
  boolean isValueKnown(String path) {
    for (String p = path; !p.isEmpty(); p = parent(p)) {
      if (unknownValues.contains(p)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Returns the line of {@code path}, or else of its nearest ancestor in the file (so that "lease.type is
   * required" points at the {@code lease:} line), or 0.
   */
  int line(String path) {
    for (String p = path; !p.isEmpty(); p = parent(p)) {
      Integer line = lines.get(p);
      if (line != null) {
        return line;
      }
    }
    return 0;
  }

  /** Returns the keys present under section {@code prefix} (such as {@code proxy}), not list items, with lines. */
  Map<String, Integer> keysUnder(String prefix) {
    return lines.entrySet().stream()
        .filter(e -> e.getKey().startsWith(prefix + ".") && !e.getKey().contains("["))
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
  }

  private static String parent(String path) {
    int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
    return cut < 0 ? "" : path.substring(0, cut);
  }

  /** Returns {@code section.key}, or {@code key} at the top level. */
  static String join(String section, String key) {
    return section.isEmpty() ? key : section + "." + key;
  }

  /** Returns {@code list[index]}. */
  static String item(String list, int index) {
    return list + "[" + index + "]";
  }
}
