package dev.litefs.core.ltx;

import java.nio.ByteBuffer;

/**
 * The 16-byte trailer of an LTX file: the database checksum after the file is applied, and the checksum of
 * the file itself (CRC-64/ISO over the header, the uncompressed page block and the first 8 trailer bytes,
 * with the flag bit set).
 */
public record LtxTrailer(Checksum postApplyChecksum, Checksum fileChecksum) {
  /** Size of the encoded trailer. */
  public static final int SIZE = 16;

  /**
   * Checks that both checksums are present and flagged (ltx's {@code Trailer.Validate}).
   *
   * @throws LtxException naming the checksum at fault
   */
  public void validate() throws LtxException {
    if (postApplyChecksum.isNone()) {
      throw new LtxException("post-apply checksum required");
    }
    if (!postApplyChecksum.isValid()) {
      throw new LtxException("invalid post-apply checksum format: " + postApplyChecksum);
    }
    if (fileChecksum.isNone()) {
      throw new LtxException("file checksum required");
    }
    if (!fileChecksum.isValid()) {
      throw new LtxException("invalid file checksum format: " + fileChecksum);
    }
  }

  /** Returns the 16 trailer bytes. */
  public byte[] encode() {
    return ByteBuffer.allocate(SIZE).putLong(postApplyChecksum.value()).putLong(fileChecksum.value()).array();
  }

  /** Returns the 8 big-endian bytes of a checksum, as the trailer holds it. */
  static byte[] encodeChecksum(Checksum c) {
    return ByteBuffer.allocate(8).putLong(c.value()).array();
  }

  /** Reads a trailer from 16 bytes at {@code off}. */
  public static LtxTrailer decode(byte[] src, int off) {
    ByteBuffer b = ByteBuffer.wrap(src, off, SIZE);
    return new LtxTrailer(Checksum.of(b.getLong()), Checksum.of(b.getLong()));
  }
}
