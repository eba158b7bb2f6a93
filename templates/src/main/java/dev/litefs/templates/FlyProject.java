package dev.litefs.templates;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What {@code litefs init} is told about the application: its Fly.io app name, its primary region and how the
 * engine runs beside it. The names are checked here, once, because they end up unquoted in DNS names
 * ({@code <machine>.vm.<app>.internal}) and quoted in TOML, where a stray character would break the file.
 *
 * @param app the Fly.io app name: a DNS label of lowercase letters, digits and dashes
 * @param primaryRegion the three-letter Fly.io region code where the primary candidates run, such as {@code ord}
 * @param mode how the application and the engine are started in the image
 */
public record FlyProject(String app, String primaryRegion, EngineMode mode) {
  // Fly app names become <app>.fly.dev and <app>.internal: one DNS label, which Fly keeps lowercase.
  private static final Pattern APP = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
  private static final Pattern REGION = Pattern.compile("[a-z]{3}");

  /**
   * Checks the names.
   *
   * @throws IllegalArgumentException naming the rule a name breaks
   */
  public FlyProject {
    Objects.requireNonNull(app, "app");
    Objects.requireNonNull(primaryRegion, "primaryRegion");
    Objects.requireNonNull(mode, "mode");
    if (!APP.matcher(app).matches()) {
      throw new IllegalArgumentException("invalid app name " + quoted(app) + ": a Fly.io app name is 1 to 63 "
          + "lowercase letters, digits and dashes, not starting or ending with a dash (for example my-app)");
    }
    if (!REGION.matcher(primaryRegion).matches()) {
      throw new IllegalArgumentException("invalid region " + quoted(primaryRegion) + ": a Fly.io region is a "
          + "three-letter lowercase code such as ord, iad or ams (fly platform regions lists them)");
    }
  }

  /** How the engine is started: by the application, or around it. */
  public enum EngineMode {
    /** The application's starter runs the engine as a child process ({@code litefs.mode=managed}). */
    MANAGED,
    /** {@code litefs mount -- java -jar app.jar}: the engine runs the application ({@code litefs.mode=sidecar}). */
    SIDECAR
  }

  // Quotes the value and shows control and non-ASCII characters as escapes, so an error message is one clean line.
  private static String quoted(String value) {
    StringBuilder out = new StringBuilder("\"");
    value.codePoints().limit(80).forEach(c -> {
      if (c >= 0x20 && c < 0x7f) {
        out.appendCodePoint(c);
      } else {
        out.append(String.format("\\u%04x", c));
      }
    });
    return out.append(value.length() > 80 ? "...\"" : "\"").toString();
  }
}
