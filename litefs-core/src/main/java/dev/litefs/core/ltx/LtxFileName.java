package dev.litefs.core.ltx;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The name of an LTX file: {@code %016x-%016x.ltx}, its min and max TXID in lower-case hex. */
public record LtxFileName(Txid minTxid, Txid maxTxid) implements Comparable<LtxFileName> {
  private static final Pattern PATTERN = Pattern.compile("^([0-9a-f]{16})-([0-9a-f]{16})\\.ltx$");

  /** Returns the name of the file holding exactly transaction {@code txid}. */
  public static LtxFileName of(Txid txid) {
    return new LtxFileName(txid, txid);
  }

  /**
   * Parses a file name.
   *
   * @throws IllegalArgumentException naming the text when it is not an LTX file name
   */
  public static LtxFileName parse(String name) {
    Matcher m = PATTERN.matcher(name);
    if (!m.matches()) {
      throw new IllegalArgumentException("invalid LTX file name: " + Hex.quote(name));
    }
    return new LtxFileName(Txid.parse(m.group(1)), Txid.parse(m.group(2)));
  }

  /** Returns {@code true} when {@code name} is an LTX file name. */
  public static boolean matches(String name) {
    return PATTERN.matcher(name).matches();
  }

  @Override
  public int compareTo(LtxFileName o) {
    int c = minTxid.compareTo(o.minTxid);
    return c != 0 ? c : maxTxid.compareTo(o.maxTxid);
  }

  /** Returns {@code MIN-MAX.ltx}. */
  @Override
  public String toString() {
    return minTxid + "-" + maxTxid + ".ltx";
  }
}
