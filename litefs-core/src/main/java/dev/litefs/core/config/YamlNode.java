package dev.litefs.core.config;

import java.util.List;

/**
 * A parsed YAML value that remembers its source line, which Jackson's tree model forgets. Only what a
 * {@code litefs.yml} needs: scalars (as text, as Go's YAML decoder sees them), lists and mappings.
 */
sealed interface YamlNode {
  /** The 1-based line in the file as written. */
  int line();

  /** What kind of value this is, for messages: "a string", "a list", "a mapping". */
  String kind();

  /**
   * A scalar: its text as written (without quotes), or YAML's null ({@code ~}, {@code null} or nothing), which
   * Go's decoder treats as "keep the default".
   */
  record Scalar(String text, boolean isNull, int line) implements YamlNode {
    @Override
    public String kind() {
      return isNull ? "null" : "a string";
    }
  }

  /** A list. */
  record Sequence(List<YamlNode> items, int line) implements YamlNode {
    public Sequence {
      items = List.copyOf(items);
    }

    @Override
    public String kind() {
      return "a list";
    }
  }

  /** A mapping, with its entries in file order; duplicates are kept here and reported by the binder. */
  record Mapping(List<Entry> entries, int line) implements YamlNode {
    public Mapping {
      entries = List.copyOf(entries);
    }

    @Override
    public String kind() {
      return "a mapping";
    }
  }

  /** One {@code key: value} of a mapping, with the key's line. */
  record Entry(String key, int line, YamlNode value) {}
}
