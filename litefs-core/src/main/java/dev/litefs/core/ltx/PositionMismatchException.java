package dev.litefs.core.ltx;

/**
 * An LTX file that does not follow the position it is applied to: its first TXID is not the next one, or
 * its pre-apply checksum is not the database's checksum.
 */
public class PositionMismatchException extends LtxException {
  private static final long serialVersionUID = 1L;

  private final Pos pos;
  private final LtxHeader header;

  public PositionMismatchException(String message, Pos pos, LtxHeader header) {
    super(message);
    this.pos = pos;
    this.header = header;
  }

  /** The position of the database the file was applied to. */
  public Pos pos() {
    return pos;
  }

  /** The header of the file that did not follow it. */
  public LtxHeader header() {
    return header;
  }
}
