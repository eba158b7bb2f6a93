package dev.litefs.core.node;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Encodes {@link NodeEvent}s as LiteFS does: one JSON object per line, keys in LiteFS's order, empty
 * hostnames omitted, timestamps in UTC formatted like Go's {@code time.RFC3339Nano} (trailing zeros of the
 * fraction dropped).
 */
public final class EventJson {
  private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);

  private EventJson() {}

  /** Returns the event as one line of JSON, without the newline. */
  public static String encode(NodeEvent e) {
    StringBuilder b = new StringBuilder(160);
    if (e instanceof NodeEvent.Init i) {
      b.append("{\"type\":\"init\",\"data\":");
      role(b, i.isPrimary(), i.hostname());
    } else if (e instanceof NodeEvent.PrimaryChange p) {
      b.append("{\"type\":\"primaryChange\",\"data\":");
      role(b, p.isPrimary(), p.hostname());
    } else if (e instanceof NodeEvent.Tx t) {
      b.append("{\"type\":\"tx\",\"db\":");
      string(b, t.db());
      b.append(",\"data\":{\"txID\":\"").append(t.txid()).append("\",\"postApplyChecksum\":\"")
          .append(t.postApplyChecksum()).append("\",\"pageSize\":").append(t.pageSize()).append(",\"commit\":")
          .append(t.commit()).append(",\"timestamp\":\"").append(rfc3339Nano(t.timestamp())).append("\"}");
    }
    return b.append('}').toString();
  }

  private static void role(StringBuilder b, boolean isPrimary, String hostname) {
    b.append("{\"isPrimary\":").append(isPrimary);
    if (hostname != null && !hostname.isEmpty()) {
      b.append(",\"hostname\":");
      string(b, hostname);
    }
    b.append('}');
  }

  /** Formats epoch milliseconds as Go's RFC3339Nano in UTC: {@code 2026-11-26T06:49:19.13Z} for .130. */
  public static String rfc3339Nano(long epochMillis) {
    Instant t = Instant.ofEpochMilli(epochMillis);
    StringBuilder b = new StringBuilder(SECONDS.format(t));
    int millis = (int) Math.floorMod(epochMillis, 1000L);
    if (millis != 0) {
      String frac = String.format("%03d", millis);
      int end = frac.length();
      while (frac.charAt(end - 1) == '0') {
        end--;
      }
      b.append('.').append(frac, 0, end);
    }
    return b.append('Z').toString();
  }

  /** Appends a JSON string literal, escaping as Go's encoder does for the characters that need it. */
  public static void string(StringBuilder b, String s) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        case '<' -> b.append("\\u003c");
        case '>' -> b.append("\\u003e");
        case '&' -> b.append("\\u0026");
        default -> {
          if (c < 0x20 || c == '\u2028' || c == '\u2029') {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    b.append('"');
  }
}
