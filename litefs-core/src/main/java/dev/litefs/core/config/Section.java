package dev.litefs.core.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Typed reading of one YAML mapping of a {@code litefs.yml} with Go's decoding rules: a key that is absent or
 * null keeps its default; any scalar is a string; booleans are {@code true}/{@code false} or YAML 1.1's
 * {@code yes}/{@code no}/{@code on}/{@code off}; durations are Go durations. Every problem names the key's full
 * path and line. Call {@link #finish()} after reading every key the section knows: the keys not read are
 * reported as unknown, which is what makes the schema strict.
 */
final class Section {
  private static final Set<String> TRUE = Set.of("true", "True", "TRUE", "y", "Y", "yes", "Yes", "YES", "on", "On",
      "ON");
  private static final Set<String> FALSE = Set.of("false", "False", "FALSE", "n", "N", "no", "No", "NO", "off",
      "Off", "OFF");
  private static final Pattern INTEGER = Pattern.compile("[-+]?[0-9]+");

  private static final String STRING = "a string";
  private static final String BOOLEAN = "true or false";
  private static final String DURATION = "a duration such as 10s, 1m30s or 500ms";
  private static final String WHOLE_NUMBER = "a whole number";

  private final String path;
  private final Map<String, YamlNode.Entry> entries = new LinkedHashMap<>();
  private final Set<String> known = new LinkedHashSet<>();
  private final Problems problems;
  private final ConfigKeys keys;

  private Section(String path, List<YamlNode.Entry> entries, Problems problems, ConfigKeys keys) {
    this.path = path;
    this.problems = problems;
    this.keys = keys;
    for (YamlNode.Entry entry : entries) {
      YamlNode.Entry first = this.entries.putIfAbsent(entry.key(), entry);
      if (first != null) {
        problems.error(entry.line(), "duplicate key \"" + keyPath(entry.key()) + "\" (first at line " + first.line()
            + ")");
      }
    }
  }

  /** The top level of a file. */
  static Section root(YamlNode.Mapping mapping, Problems problems, ConfigKeys keys) {
    return new Section("", mapping.entries(), problems, keys);
  }

  /** Returns the full path of {@code key} in this section. */
  String keyPath(String key) {
    return ConfigKeys.join(path, key);
  }

  String string(String key, String fallback) {
    return scalar(key, fallback, STRING, text -> text);
  }

  boolean bool(String key, boolean fallback) {
    return scalar(key, fallback, BOOLEAN, Section::parseBoolean);
  }

  Duration duration(String key, Duration fallback) {
    return scalar(key, fallback, DURATION, GoDuration::parse);
  }

  int integer(String key, int fallback) {
    return scalar(key, fallback, WHOLE_NUMBER, Section::parseInteger);
  }

  /** Reads a list of strings; null items read as empty strings, as in Go. */
  List<String> strings(String key, List<String> fallback) {
    YamlNode node = node(key);
    if (node == null || isNull(node)) {
      return fallback;
    }
    String listPath = keyPath(key);
    if (!(node instanceof YamlNode.Sequence sequence)) {
      problems.error(node.line(), listPath + " must be a list of strings, got " + node.kind());
      keys.valueUnknown(listPath);
      return fallback;
    }
    List<String> values = new ArrayList<>();
    for (int i = 0; i < sequence.items().size(); i++) {
      YamlNode item = sequence.items().get(i);
      String itemPath = ConfigKeys.item(listPath, i);
      keys.present(itemPath, item.line());
      values.add(item instanceof YamlNode.Scalar s && s.isNull() ? "" : convert(itemPath, item, "", STRING, t -> t));
    }
    return values;
  }

  /** Binds the mapping under {@code key} with {@code binder}; absent or null, the binder sees an empty section. */
  <T> T section(String key, Function<Section, T> binder) {
    YamlNode node = node(key);
    List<YamlNode.Entry> children = List.of();
    if (node instanceof YamlNode.Mapping mapping) {
      children = mapping.entries();
    } else if (node != null && !isNull(node)) {
      problems.error(node.line(), keyPath(key) + " must be a mapping of keys, got " + node.kind());
      keys.valueUnknown(keyPath(key));
    }
    return bindChild(keyPath(key), children, binder);
  }

  /** Binds each item of the list {@code sequence} (the value of {@code key}), which must be mappings. */
  <T> List<T> sections(String key, YamlNode.Sequence sequence, Function<Section, T> binder) {
    List<T> values = new ArrayList<>();
    for (int i = 0; i < sequence.items().size(); i++) {
      YamlNode item = sequence.items().get(i);
      String itemPath = ConfigKeys.item(keyPath(key), i);
      keys.present(itemPath, item.line());
      if (item instanceof YamlNode.Mapping mapping) {
        values.add(bindChild(itemPath, mapping.entries(), binder));
      } else {
        problems.error(item.line(), itemPath + " must be a mapping of keys, got " + item.kind());
      }
    }
    return values;
  }

  /** Returns the raw value of {@code key}, or {@code null} when absent, and marks the key known. */
  YamlNode node(String key) {
    known.add(key);
    YamlNode.Entry entry = entries.get(key);
    if (entry == null) {
      return null;
    }
    keys.present(keyPath(key), entry.line());
    return entry.value();
  }

  /** Whether rules may judge the value of {@code key} (see {@link ConfigKeys#isValueKnown}). */
  boolean isValueKnown(String key) {
    return keys.isValueKnown(keyPath(key));
  }

  /** Marks the value of {@code key} as already reported, so that no rule reports it again. */
  void valueUnknown(String key) {
    keys.valueUnknown(keyPath(key));
  }

  /** Reports a problem with {@code key} at its line, or this section's when absent. */
  void error(String key, String message) {
    problems.error(keys.line(keyPath(key)), message);
  }

  /** Reports every key of the mapping that was not read as unknown, listing the keys this section has. */
  void finish() {
    for (YamlNode.Entry entry : entries.values()) {
      if (!known.contains(entry.key())) {
        problems.error(entry.line(), "unknown key \"" + keyPath(entry.key()) + "\"; "
            + (path.isEmpty() ? "the top level" : path) + " has " + String.join(", ", known));
      }
    }
  }

  private <T> T bindChild(String childPath, List<YamlNode.Entry> children, Function<Section, T> binder) {
    Section child = new Section(childPath, children, problems, keys);
    T value = binder.apply(child);
    child.finish();
    return value;
  }

  private <T> T scalar(String key, T fallback, String type, Function<String, T> parser) {
    YamlNode node = node(key);
    if (node == null || isNull(node)) {
      return fallback;
    }
    return convert(keyPath(key), node, fallback, type, parser);
  }

  /**
   * Converts a scalar. Under {@code --validate}, a value built from a variable is not checked, and one built from
   * comparisons must convert whether they are true or false (see {@link StandIns}).
   */
  private <T> T convert(String keyPath, YamlNode node, T fallback, String type, Function<String, T> parser) {
    if (!(node instanceof YamlNode.Scalar scalar)) {
      problems.error(node.line(), keyPath + " must be " + type + ", got " + node.kind());
      keys.valueUnknown(keyPath);
      return fallback;
    }
    String text = scalar.text();
    if (StandIns.containsValue(text)) {
      keys.valueUnknown(keyPath);
      return fallback;
    }
    try {
      if (StandIns.containsBoolean(text)) {
        parseEither(text, parser);
        keys.valueUnknown(keyPath);
        return fallback;
      }
      return parser.apply(text);
    } catch (IllegalArgumentException e) {
      String reason = e.getMessage() == null ? "" : " (" + e.getMessage() + ")";
      problems.error(node.line(), keyPath + " must be " + type + ", got \"" + StandIns.display(text) + "\"" + reason);
      keys.valueUnknown(keyPath);
      return fallback;
    }
  }

  private static <T> void parseEither(String text, Function<String, T> parser) {
    try {
      parser.apply(StandIns.withComparisons(text, true));
      parser.apply(StandIns.withComparisons(text, false));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("a ${A == B} comparison expands to true or false", e);
    }
  }

  private static boolean isNull(YamlNode node) {
    return node instanceof YamlNode.Scalar scalar && scalar.isNull();
  }

  private static boolean parseBoolean(String text) {
    if (TRUE.contains(text)) {
      return true;
    }
    if (FALSE.contains(text)) {
      return false;
    }
    throw new IllegalArgumentException();
  }

  private static int parseInteger(String text) {
    if (!INTEGER.matcher(text).matches()) {
      throw new IllegalArgumentException();
    }
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("out of range");
    }
  }
}
