package dev.litefs.templates;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A text resource with <code>{{name}}</code> placeholders. Rendering is strict: a placeholder without a value, or a
 * <code>{{</code> that is not a placeholder, is a bug in the template or its caller, and fails loudly rather than
 * writing a half-rendered file.
 */
final class Template {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([a-z_]+)}}");

  private final String name;
  private final String text;

  Template(String name, String text) {
    this.name = name;
    this.text = text;
  }

  /** Loads {@code dev/litefs/templates/<name>} from the classpath. */
  static Template load(String name) {
    String resource = "/dev/litefs/templates/" + name;
    try (InputStream in = Template.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("template " + resource + " is missing from the classpath");
      }
      return new Template(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read template " + resource, e);
    }
  }

  /**
   * Replaces every placeholder with its value.
   *
   * @throws IllegalStateException when a placeholder has no value or a stray <code>{{</code> remains
   */
  String render(Map<String, String> values) {
    rejectMalformedPlaceholders();
    Matcher m = PLACEHOLDER.matcher(text);
    StringBuilder out = new StringBuilder(text.length());
    while (m.find()) {
      String key = m.group(1);
      String value = values.get(key);
      if (value == null) {
        throw new IllegalStateException("template " + name + " has {{" + key + "}}, which has no value");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  private void rejectMalformedPlaceholders() {
    Matcher m = PLACEHOLDER.matcher(text);
    for (int at = text.indexOf("{{"); at >= 0; at = text.indexOf("{{", at + 2)) {
      if (!m.region(at, text.length()).lookingAt()) {
        long line = text.substring(0, at).chars().filter(c -> c == '\n').count() + 1;
        throw new IllegalStateException("template " + name + " line " + line + " has a malformed placeholder");
      }
    }
  }
}
