package dev.litefs.edge;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code fly-replay} response header: {@code ;}-separated {@code field=value} pairs, a value possibly quoted
 * (a region list must be: {@code region="iad,ord"}). Fields as Fly.io documents them.
 *
 * @param instance {@code instance}: exactly this Machine, no fallback to another
 * @param preferInstance {@code prefer_instance}: this Machine if possible, otherwise any matching the rest
 * @param regions {@code region}: regions in order of preference; {@code any} matches every region
 * @param app {@code app}: the target app
 * @param state {@code state}: copied into the replayed request's {@code fly-replay-src}
 * @param elsewhere {@code elsewhere=true}: not the Machine that answered
 * @param timeout {@code timeout}: how long to keep trying the target
 * @param fallback {@code fallback}: where the request goes when the target cannot be reached
 */
record FlyReplay(
    Optional<String> instance,
    Optional<String> preferInstance,
    List<String> regions,
    Optional<String> app,
    Optional<String> state,
    boolean elsewhere,
    Optional<Duration> timeout,
    Fallback fallback) {

  private static final Pattern REGION = Pattern.compile("[a-z]{2,4}");
  // A state travels on in a header: printable ASCII, nothing that would end the field or the header.
  private static final Pattern STATE = Pattern.compile("[\\x21-\\x7e&&[^;\"]][\\x20-\\x7e&&[^;\"]]*");
  private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m)");

  /** The {@code fallback} field. */
  enum Fallback {
    /** No fallback: the client gets an error. */
    NONE,
    /** Back to the Machine that answered, else an error. */
    FORCE_SELF,
    /** Back to the Machine that answered, else any Machine of the app. */
    PREFER_SELF
  }

  /**
   * Parses a header value.
   *
   * @throws IllegalArgumentException saying which field is wrong (in words that never repeat the raw value,
   *     which a client will see)
   */
  static FlyReplay parse(String header) {
    Map<String, String> fields = fields(header);
    List<String> regions = new ArrayList<>();
    if (fields.containsKey("region")) {
      for (String region : fields.get("region").split(",", -1)) {
        regions.add(check("region", region.trim(), REGION));
      }
    }
    return new FlyReplay(
        optional(fields, "instance", Node.ID),
        optional(fields, "prefer_instance", Node.ID),
        List.copyOf(regions),
        optional(fields, "app", Node.ID),
        optional(fields, "state", STATE),
        elsewhere(fields.get("elsewhere")),
        Optional.ofNullable(fields.get("timeout")).map(FlyReplay::duration),
        fallback(fields.get("fallback")));
  }

  private static Map<String, String> fields(String header) {
    Map<String, String> fields = new HashMap<>();
    for (String field : split(header)) {
      if (field.isBlank()) {
        continue;
      }
      int eq = field.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("a field is not name=value");
      }
      String name = field.substring(0, eq).trim();
      String value = field.substring(eq + 1).trim();
      if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
        value = value.substring(1, value.length() - 1);
      }
      if (fields.put(name, value) != null) {
        throw new IllegalArgumentException("a field appears twice");
      }
    }
    if (fields.isEmpty()) {
      throw new IllegalArgumentException("it is empty");
    }
    return fields;
  }

  // Splits on ; outside double quotes.
  private static List<String> split(String header) {
    List<String> parts = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    boolean quoted = false;
    for (char c : header.toCharArray()) {
      if (c == '"') {
        quoted = !quoted;
      }
      if (c == ';' && !quoted) {
        parts.add(current.toString());
        current.setLength(0);
      } else {
        current.append(c);
      }
    }
    if (quoted) {
      throw new IllegalArgumentException("a quote is not closed");
    }
    parts.add(current.toString());
    return parts;
  }

  private static Optional<String> optional(Map<String, String> fields, String name, Pattern pattern) {
    return Optional.ofNullable(fields.get(name)).map(value -> check(name, value, pattern));
  }

  private static String check(String name, String value, Pattern pattern) {
    if (!pattern.matcher(value).matches()) {
      throw new IllegalArgumentException("its " + name + " field is malformed");
    }
    return value;
  }

  private static boolean elsewhere(String value) {
    if (value == null || value.equals("false")) {
      return false;
    }
    if (value.equals("true")) {
      return true;
    }
    throw new IllegalArgumentException("its elsewhere field is neither true nor false");
  }

  private static Duration duration(String value) {
    Matcher m = DURATION.matcher(value);
    if (!m.matches()) {
      throw new IllegalArgumentException("its timeout field is not a duration such as 800ms, 5s or 1m");
    }
    long n = Long.parseLong(m.group(1));
    switch (m.group(2)) {
      case "ms":
        return Duration.ofMillis(n);
      case "s":
        return Duration.ofSeconds(n);
      default:
        return Duration.ofMinutes(n);
    }
  }

  private static Fallback fallback(String value) {
    if (value == null) {
      return Fallback.NONE;
    }
    switch (value) {
      case "prefer_self":
        return Fallback.PREFER_SELF;
      case "force_self":
        return Fallback.FORCE_SELF;
      default:
        throw new IllegalArgumentException("its fallback field is neither prefer_self nor force_self");
    }
  }
}
