package dev.litefs.core.ltx;

/** Fixed-width hex formatting and strict parsing shared by the LTX value types. */
final class Hex {
  private static final int MAX_QUOTED = 64;

  private Hex() {}

  static String format16(long v) {
    String s = Long.toHexString(v);
    return s.length() == 16 ? s : "0".repeat(16 - s.length()) + s;
  }

  static String format8(int v) {
    String s = Integer.toHexString(v);
    return s.length() == 8 ? s : "0".repeat(8 - s.length()) + s;
  }

  static long parse16(String s, String what) {
    if (s == null || s.length() != 16) {
      throw new IllegalArgumentException("invalid " + what + " (expected 16 hex digits): " + quote(s));
    }
    long v = 0;
    for (int i = 0; i < 16; i++) {
      int d = Character.digit(s.charAt(i), 16);
      if (d < 0) {
        throw new IllegalArgumentException("invalid " + what + " (expected 16 hex digits): " + quote(s));
      }
      v = (v << 4) | d;
    }
    return v;
  }

  /** Quotes untrusted text for an error message, escaping control characters and capping its length. */
  static String quote(String s) {
    if (s == null) {
      return "null";
    }
    StringBuilder b = new StringBuilder("\"");
    for (int i = 0; i < s.length() && i < MAX_QUOTED; i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else if (c < 0x20 || c == 0x7f) {
        b.append(String.format("\\x%02x", (int) c));
      } else {
        b.append(c);
      }
    }
    if (s.length() > MAX_QUOTED) {
      b.append("...");
    }
    return b.append('"').toString();
  }
}
