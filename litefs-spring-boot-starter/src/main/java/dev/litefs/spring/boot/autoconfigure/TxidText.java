package dev.litefs.spring.boot.autoconfigure;

import dev.litefs.core.ltx.Txid;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Strict parsing and formatting of TXIDs as they travel in cookies, headers and events: exactly 16 ASCII hex
 * digits. (Core's {@code Txid.parse} goes through {@link Character#digit}, which also accepts non-ASCII
 * digits; text from a client must not.)
 */
final class TxidText {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private TxidText() {}

  /**
   * Parses exactly 16 ASCII hex digits (either case).
   *
   * @throws IllegalArgumentException naming {@code what} but not the text
   */
  static long parseHex16(String s, String what) {
    if (s.length() != 16) {
      throw new IllegalArgumentException(what + " is not 16 hex digits");
    }
    long v = 0;
    for (int i = 0; i < 16; i++) {
      int d = hexValue(s.charAt(i));
      if (d < 0) {
        throw new IllegalArgumentException(what + " is not 16 hex digits");
      }
      v = (v << 4) | d;
    }
    return v;
  }

  /**
   * Parses a read-your-writes token: one 16-digit TXID per configured database, in configuration order,
   * joined by {@code .} (a single database gives exactly LiteFS's {@code __txid} format). Returns
   * {@code null} for anything else, including a token for a different number of databases.
   */
  static @Nullable List<Txid> parseToken(@Nullable String token, int databases) {
    if (token == null || databases <= 0 || token.length() != databases * 17 - 1) {
      return null;
    }
    List<Txid> out = new ArrayList<>(databases);
    for (int n = 0; n < databases; n++) {
      int at = n * 17;
      if (n > 0 && token.charAt(at - 1) != '.') {
        return null;
      }
      long v = 0;
      for (int i = at; i < at + 16; i++) {
        int d = hexValue(token.charAt(i));
        if (d < 0) {
          return null;
        }
        v = (v << 4) | d;
      }
      out.add(Txid.of(v));
    }
    return out;
  }

  /** Formats a token for {@link #parseToken}. */
  static String formatToken(List<Txid> txids) {
    char[] out = new char[Math.max(0, txids.size() * 17 - 1)];
    int at = 0;
    for (int n = 0; n < txids.size(); n++) {
      if (n > 0) {
        out[at++] = '.';
      }
      long v = txids.get(n).value();
      for (int shift = 60; shift >= 0; shift -= 4) {
        out[at++] = HEX[(int) (v >>> shift) & 0xf];
      }
    }
    return new String(out);
  }

  private static int hexValue(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }
}
