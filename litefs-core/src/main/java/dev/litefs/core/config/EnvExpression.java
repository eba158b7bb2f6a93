package dev.litefs.core.config;

import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code $NAME} or {@code ${...}} reference in a {@code litefs.yml}, with LiteFS's meaning: a variable's
 * value, or a comparison that becomes {@code true} or {@code false}.
 */
sealed interface EnvExpression {
  /** Returns the text that replaces the reference; an unset variable reads as empty, as in Go. */
  String evaluate(Function<String, String> environment);

  /** {@code $NAME}, {@code ${NAME}} or {@code ${ NAME }}: the variable's value. */
  record Variable(String name) implements EnvExpression {
    @Override
    public String evaluate(Function<String, String> environment) {
      return valueOf(name, environment);
    }
  }

  /**
   * {@code ${NAME == 'text'}}, {@code ${NAME != "text"}} or {@code ${NAME == OTHER}}: whether the variable
   * equals (or differs from) the text or the other variable's value.
   */
  record Comparison(String left, boolean equals, String right, boolean rightIsVariable) implements EnvExpression {
    @Override
    public String evaluate(Function<String, String> environment) {
      String other = rightIsVariable ? valueOf(right, environment) : right;
      return Boolean.toString(valueOf(left, environment).equals(other) == equals);
    }
  }

  /**
   * Parses what stood between {@code ${} and {@code }}. Go's {@code \s}, {@code \w} and {@code .} are spelled
   * out because Java's differ at the edges (vertical tab, line separators).
   *
   * @return empty when the text is neither a variable name nor a comparison
   */
  static Optional<EnvExpression> parse(String braced) {
    String text = Syntax.goTrimSpace(braced);
    for (Pattern quoted : Syntax.QUOTED_COMPARISONS) {
      Matcher m = quoted.matcher(text);
      if (m.matches()) {
        return Optional.of(new Comparison(m.group(1), m.group(2).equals("=="), m.group(3), false));
      }
    }
    Matcher m = Syntax.VARIABLE_COMPARISON.matcher(text);
    if (m.matches()) {
      return Optional.of(new Comparison(m.group(1), m.group(2).equals("=="), m.group(3), true));
    }
    if (Syntax.BRACED_NAME.matcher(text).matches()) {
      return Optional.of(new Variable(text));
    }
    return Optional.empty();
  }

  private static String valueOf(String name, Function<String, String> environment) {
    String value = environment.apply(name);
    return value == null ? "" : value;
  }

  /** The grammar, as LiteFS's {@code ExpandEnv} regular expressions define it. */
  final class Syntax {
    private static final String WORD = "[0-9A-Za-z_]+";
    private static final String SPACE = "[\\t\\n\\f\\r ]*";
    private static final String OPERATOR = SPACE + "(==|!=)" + SPACE;

    static final Pattern[] QUOTED_COMPARISONS = {
      Pattern.compile("(" + WORD + ")" + OPERATOR + "'([^\\n]*)'"),
      Pattern.compile("(" + WORD + ")" + OPERATOR + "\"([^\\n]*)\""),
    };
    static final Pattern VARIABLE_COMPARISON = Pattern.compile("(" + WORD + ")" + OPERATOR + "(" + WORD + ")");

    /**
     * Names allowed inside braces. LiteFS looks up anything there; we also allow dots and dashes (Kubernetes
     * allows them in variable names) but reject the rest, such as {@code ${A = B}} or {@code ${A:-x}}, which
     * LiteFS would silently turn into an empty string.
     */
    static final Pattern BRACED_NAME = Pattern.compile("[0-9A-Za-z_.\\-]+");

    private Syntax() {}

    /** Go's {@code strings.TrimSpace}: Unicode white space, which is Java's space characters plus controls. */
    static String goTrimSpace(String s) {
      int start = 0;
      int end = s.length();
      while (start < end && isGoSpace(s.charAt(start))) {
        start++;
      }
      while (end > start && isGoSpace(s.charAt(end - 1))) {
        end--;
      }
      return s.substring(start, end);
    }

    private static boolean isGoSpace(char c) {
      return (c >= '\t' && c <= '\r') || c == '\u0085' || Character.isSpaceChar(c);
    }
  }
}
