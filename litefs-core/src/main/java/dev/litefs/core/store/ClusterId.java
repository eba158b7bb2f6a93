package dev.litefs.core.store;

import java.security.SecureRandom;
import java.util.regex.Pattern;

/**
 * A cluster ID: {@code LFSC} and 16 upper-case hex digits. The first primary generates it; replicas adopt
 * it from the {@code Litefs-Cluster-Id} header and refuse a primary with another one.
 */
public record ClusterId(String value) {
  private static final Pattern PATTERN = Pattern.compile("^LFSC[0-9A-F]{16}$");
  private static final SecureRandom RANDOM = new SecureRandom();

  public ClusterId {
    if (value == null || !PATTERN.matcher(value).matches()) {
      throw new IllegalArgumentException("invalid cluster id (expected LFSC and 16 upper-case hex digits): "
          + (value == null ? "null" : "\"" + value.replaceAll("[^\\x20-\\x7e]", "?") + "\""));
    }
  }

  /** Returns a new random cluster ID. */
  public static ClusterId generate() {
    return new ClusterId(String.format("LFSC%016X", RANDOM.nextLong()));
  }

  @Override
  public String toString() {
    return value;
  }
}
