package dev.litefs.core.ltx;

/**
 * A replication position: the last transaction ID applied to a database and the database checksum after it.
 * Its text form is LiteFS's {@code %016x/%016x} (the content of a {@code -pos} file, without the newline).
 */
public record Pos(Txid txid, Checksum postApplyChecksum) {
  /** The position of a database that has no transactions. */
  public static final Pos ZERO = new Pos(Txid.ZERO, Checksum.NONE);

  public Pos {
    java.util.Objects.requireNonNull(txid, "txid");
    java.util.Objects.requireNonNull(postApplyChecksum, "postApplyChecksum");
  }

  /** Returns the position {@code (txid, checksum)}. */
  public static Pos of(long txid, long checksum) {
    return new Pos(Txid.of(txid), Checksum.of(checksum));
  }

  /**
   * Parses {@code TXID/CHECKSUM}, each exactly 16 hex digits.
   *
   * @throws IllegalArgumentException naming the text when it is malformed
   */
  public static Pos parse(String s) {
    if (s.length() != 33 || s.charAt(16) != '/') {
      throw new IllegalArgumentException("invalid position (expected 16 hex digits/16 hex digits): " + Hex.quote(s));
    }
    return new Pos(Txid.parse(s.substring(0, 16)), Checksum.parse(s.substring(17)));
  }

  /** Returns {@code true} for a position with no transactions. */
  public boolean isZero() {
    return txid.isZero();
  }

  /** Returns {@code TXID/CHECKSUM}. */
  @Override
  public String toString() {
    return txid + "/" + postApplyChecksum;
  }
}
