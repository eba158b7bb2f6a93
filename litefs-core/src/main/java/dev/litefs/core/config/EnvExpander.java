package dev.litefs.core.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Environment expansion of a {@code litefs.yml}'s raw text, before YAML parsing, as LiteFS's {@code ExpandEnv}
 * does (Go's {@code os.Expand} with comparisons added). {@code $NAME} and {@code ${NAME}} become the variable's
 * value, {@code ${A == 'x'}}, {@code ${A != "x"}} and {@code ${A == B}} become {@code true} or {@code false}, a
 * {@code $} not followed by a name is kept, and Go's one-character specials ({@code $1}, {@code $$},
 * {@code $*} …) are looked up like names. The whole file is expanded, comments included.
 *
 * <p>Where LiteFS silently drops text, this reports an error instead: an unterminated {@code ${}, an empty
 * {@code ${}}, and braces holding neither a name nor a comparison ({@code ${A = B}}, {@code ${A:-x}}).
 */
final class EnvExpander {
  private EnvExpander() {}

  /**
   * Expands {@code text}, replacing each reference with what {@code render} returns for it (its value, or a
   * {@link StandIns stand-in}) and reporting syntax errors to {@code problems} at their source line.
   */
  static ExpandedText expand(String text, Function<EnvExpression, String> render, Problems problems) {
    Output out = new Output();
    int pending = 0;
    for (int j = 0; j < text.length(); j++) {
      if (text.charAt(j) != '$' || j + 1 >= text.length()) {
        continue;
      }
      out.copy(text, pending, j);
      Reference ref = scan(text, j + 1);
      if (ref.error != null) {
        problems.error(out.sourceLine, ref.error);
      }
      if (ref.width == 0) {
        out.copy(text, j, j + 1); // a lone '$' stays
      } else {
        out.substitute(ref.expression.map(render).orElse(""), text, j, j + 1 + ref.width);
      }
      j += ref.width;
      pending = j + 1;
    }
    out.copy(text, pending, text.length());
    return out.finish();
  }

  /**
   * Reads the reference after the {@code $} at {@code start - 1}, following Go's {@code getShellName}.
   * {@code width} is how many characters after the {@code $} it takes.
   */
  private static Reference scan(String text, int start) {
    char first = text.charAt(start);
    if (first == '{') {
      if (text.length() - start > 2 && isShellSpecial(text.charAt(start + 1)) && text.charAt(start + 2) == '}') {
        return Reference.of(new EnvExpression.Variable(String.valueOf(text.charAt(start + 1))), 3);
      }
      int close = text.indexOf('}', start + 1);
      if (close < 0) {
        return Reference.error("unterminated \"${\" (no closing \"}\")", 1);
      }
      if (close == start + 1) {
        return Reference.error("empty \"${}\"", 2);
      }
      String braced = text.substring(start + 1, close);
      int width = close - start + 1;
      Optional<EnvExpression> expression = EnvExpression.parse(braced);
      if (expression.isEmpty()) {
        return Reference.error("invalid expansion \"${" + braced + "}\": expected ${NAME}, ${NAME == 'text'}, "
            + "${NAME != \"text\"} or ${NAME == OTHER_NAME}", width);
      }
      return Reference.of(expression.get(), width);
    }
    if (isShellSpecial(first)) {
      return Reference.of(new EnvExpression.Variable(String.valueOf(first)), 1);
    }
    int end = start;
    while (end < text.length() && isNameChar(text.charAt(end))) {
      end++;
    }
    if (end == start) {
      return new Reference(Optional.empty(), 0, null);
    }
    return Reference.of(new EnvExpression.Variable(text.substring(start, end)), end - start);
  }

  private static boolean isShellSpecial(char c) {
    return "*#$@!?-0123456789".indexOf(c) >= 0;
  }

  private static boolean isNameChar(char c) {
    return c == '_' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  /** A scanned reference: what it means (empty for a lone {@code $} or an error), its width, and any error. */
  private record Reference(Optional<EnvExpression> expression, int width, String error) {
    static Reference of(EnvExpression expression, int width) {
      return new Reference(Optional.of(expression), width, null);
    }

    static Reference error(String message, int width) {
      return new Reference(Optional.empty(), width, message);
    }
  }

  /** The expanded text being built, and the source line of each of its lines. */
  private static final class Output {
    private final StringBuilder text = new StringBuilder();
    private final List<Integer> lines = new ArrayList<>(List.of(1));
    private int sourceLine = 1;

    void copy(String source, int from, int to) {
      for (int i = from; i < to; i++) {
        char c = source.charAt(i);
        text.append(c);
        if (c == '\n') {
          sourceLine++;
          lines.add(sourceLine);
        }
      }
    }

    /** Appends {@code value} in place of {@code source[from, to)}: its line breaks stay on the current line. */
    void substitute(String value, String source, int from, int to) {
      for (int i = 0; i < value.length(); i++) {
        text.append(value.charAt(i));
        if (value.charAt(i) == '\n') {
          lines.add(sourceLine);
        }
      }
      for (int i = from; i < to; i++) {
        if (source.charAt(i) == '\n') {
          sourceLine++;
        }
      }
    }

    ExpandedText finish() {
      return new ExpandedText(text.toString(), lines.stream().mapToInt(Integer::intValue).toArray());
    }
  }
}
