package dev.litefs.core.config;

/**
 * What {@code --validate} puts in place of each {@code ${...}}, since it checks a file without reading the
 * environment. A variable's value is unknown, so a key whose value contains {@link #VALUE} is accepted as
 * written and skipped by the value rules. A comparison is known to be {@code true} or {@code false}, so a key
 * whose value contains {@link #BOOLEAN} must be valid with both. Both are plain YAML words, so they keep the
 * file's YAML structure wherever they appear (plain, quoted, inside lists).
 */
final class StandIns {
  /** Stands in for {@code $NAME} and {@code ${NAME}}. */
  static final String VALUE = "__LITEFS_ENV_VALUE__";

  /** Stands in for {@code ${A == B}} and the other comparisons. */
  static final String BOOLEAN = "__LITEFS_ENV_BOOLEAN__";

  private StandIns() {}

  /** The stand-in for {@code expression}. */
  static String of(EnvExpression expression) {
    return expression instanceof EnvExpression.Comparison ? BOOLEAN : VALUE;
  }

  static boolean containsValue(String text) {
    return text.contains(VALUE);
  }

  static boolean containsBoolean(String text) {
    return text.contains(BOOLEAN);
  }

  /** Returns {@code text} with every comparison's stand-in replaced by {@code result}. */
  static String withComparisons(String text, boolean result) {
    return text.replace(BOOLEAN, Boolean.toString(result));
  }

  /** Returns {@code text} as the user wrote it, near enough for a message: each stand-in shown as ${…}. */
  static String display(String text) {
    return text.replace(VALUE, "${…}").replace(BOOLEAN, "${…}");
  }
}
