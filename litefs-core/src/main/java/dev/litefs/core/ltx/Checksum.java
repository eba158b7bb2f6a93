package dev.litefs.core.ltx;

/**
 * A LiteFS checksum: a CRC-64/ISO value with bit 63 set as a "present" flag. Database checksums, page
 * checksums and LTX file checksums all carry the flag; a zero value means "none" (a snapshot's pre-apply
 * checksum). Its text form is 16 lower-case hex digits.
 */
public record Checksum(long value) {
  /** The flag bit every real checksum carries. */
  public static final long FLAG = 1L << 63;

  /** No checksum: the pre-apply checksum of a snapshot. */
  public static final Checksum NONE = new Checksum(0);

  /** The checksum of an empty (or deleted) database: the flag alone. */
  public static final Checksum EMPTY = new Checksum(FLAG);

  /** Returns the checksum {@code value}. */
  public static Checksum of(long value) {
    return new Checksum(value);
  }

  /**
   * Parses exactly 16 hex digits.
   *
   * @throws IllegalArgumentException naming the text when it is not 16 hex digits
   */
  public static Checksum parse(String s) {
    return new Checksum(Hex.parse16(s, "checksum"));
  }

  /** Returns {@code true} when the value is non-zero and carries the flag bit. */
  public boolean isValid() {
    return (value & FLAG) != 0;
  }

  /** Returns {@code true} for {@link #NONE}. */
  public boolean isNone() {
    return value == 0;
  }

  /** Returns the 16-digit lower-case hex form. */
  @Override
  public String toString() {
    return Hex.format16(value);
  }
}
