package dev.litefs.core.ltx;

/**
 * A checksum that disagrees with the one it must equal. Carries both values; the message names what was
 * checked (file checksum, pre-apply or post-apply checksum), the transaction and the database where known.
 */
public class ChecksumMismatchException extends LtxException {
  private static final long serialVersionUID = 1L;

  private final Checksum expected;
  private final Checksum actual;

  public ChecksumMismatchException(String message, Checksum expected, Checksum actual) {
    super(message);
    this.expected = expected;
    this.actual = actual;
  }

  /** The checksum recorded (in the file, trailer or position) that had to be matched. */
  public Checksum expected() {
    return expected;
  }

  /** The checksum computed from the bytes. */
  public Checksum actual() {
    return actual;
  }
}
