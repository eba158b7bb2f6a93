package dev.litefs.core.ltx;

/**
 * A transaction ID: an unsigned 64-bit counter that grows by one per committed write transaction. Its text
 * form is 16 lower-case hex digits, as LiteFS writes it in {@code -pos} files, filenames and JSON.
 */
public record Txid(long value) implements Comparable<Txid> {
  /** No transaction: the position of a database that was never written. */
  public static final Txid ZERO = new Txid(0);

  /** Returns the transaction ID {@code value}. */
  public static Txid of(long value) {
    return value == 0 ? ZERO : new Txid(value);
  }

  /**
   * Parses exactly 16 hex digits, as LiteFS's {@code ParseTXID} does.
   *
   * @throws IllegalArgumentException naming the text when it is not 16 hex digits
   */
  public static Txid parse(String s) {
    return new Txid(Hex.parse16(s, "transaction id"));
  }

  /** Returns the next transaction ID. */
  public Txid next() {
    return new Txid(value + 1);
  }

  /** Returns {@code true} for {@link #ZERO}. */
  public boolean isZero() {
    return value == 0;
  }

  @Override
  public int compareTo(Txid o) {
    return Long.compareUnsigned(value, o.value);
  }

  /** Returns the 16-digit lower-case hex form. */
  @Override
  public String toString() {
    return Hex.format16(value);
  }
}
