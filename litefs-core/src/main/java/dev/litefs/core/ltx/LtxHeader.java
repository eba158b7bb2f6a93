package dev.litefs.core.ltx;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The 100-byte header of an LTX v1 file (ltx v0.3.14, the format LiteFS 0.5.14 reads and writes).
 *
 * <pre>
 * off size field
 *   0    4 magic "LTX1"
 *   4    4 flags (0x1 = the page block is one LZ4 frame)
 *   8    4 page size (power of two, 512..65536)
 *  12    4 commit: database size in pages after the transaction; 0 = database deleted
 *  16    8 min TXID
 *  24    8 max TXID
 *  32    8 timestamp, ms since the Unix epoch
 *  40    8 pre-apply checksum (0 on snapshots)
 *  48    8 WAL offset
 *  56    8 WAL size
 *  64    4 WAL salt 1
 *  68    4 WAL salt 2
 *  72    8 node ID
 *  80   20 reserved, zero
 * </pre>
 *
 * All integers are big-endian. {@code commit} and page numbers are unsigned 32-bit on the wire; this
 * implementation refuses values above {@link Integer#MAX_VALUE} (2^31 pages), with a clear error.
 */
public record LtxHeader(
    int flags,
    int pageSize,
    int commit,
    Txid minTxid,
    Txid maxTxid,
    long timestamp,
    Checksum preApplyChecksum,
    long walOffset,
    long walSize,
    int walSalt1,
    int walSalt2,
    long nodeId) {

  /** Size of the encoded header. */
  public static final int SIZE = 100;
  /** The file magic. */
  public static final String MAGIC = "LTX1";
  /** Flag: the page block is compressed as one LZ4 frame. */
  public static final int FLAG_COMPRESS_LZ4 = 0x1;
  /** Every flag bit this version knows. */
  public static final int FLAG_MASK = FLAG_COMPRESS_LZ4;

  private static final byte[] MAGIC_BYTES = MAGIC.getBytes(StandardCharsets.US_ASCII);

  public LtxHeader {
    java.util.Objects.requireNonNull(minTxid, "minTxid");
    java.util.Objects.requireNonNull(maxTxid, "maxTxid");
    java.util.Objects.requireNonNull(preApplyChecksum, "preApplyChecksum");
  }

  /** Returns {@code true} when the file holds the whole database: its min TXID is 1. */
  public boolean isSnapshot() {
    return minTxid.value() == 1;
  }

  /** Returns {@code true} when the page block is LZ4-compressed. */
  public boolean isCompressed() {
    return (flags & FLAG_COMPRESS_LZ4) != 0;
  }

  /** Returns the position a database must be at for this file to apply: (min - 1, pre-apply checksum). */
  public Pos preApplyPos() {
    return new Pos(Txid.of(minTxid.value() - 1), preApplyChecksum);
  }

  /** Returns {@code true} for a power of two from 512 to 65536. */
  public static boolean isValidPageSize(long size) {
    return size >= 512 && size <= 65536 && (size & (size - 1)) == 0;
  }

  /**
   * Checks every rule of the header (ltx's {@code Header.Validate}).
   *
   * @throws LtxException naming the first rule broken and the values involved
   */
  public void validate() throws LtxException {
    if ((flags & ~FLAG_MASK) != 0) {
      throw new LtxException("invalid flags: 0x" + Hex.format8(flags));
    }
    if (!isValidPageSize(Integer.toUnsignedLong(pageSize))) {
      throw new LtxException("invalid page size: " + Integer.toUnsignedString(pageSize));
    }
    if (commit < 0) {
      throw new LtxException("commit size too large: " + Integer.toUnsignedString(commit) + " pages");
    }
    if (minTxid.isZero()) {
      throw new LtxException("minimum transaction id required");
    }
    if (maxTxid.isZero()) {
      throw new LtxException("maximum transaction id required");
    }
    if (minTxid.compareTo(maxTxid) > 0) {
      throw new LtxException("transaction ids out of order: (" + minTxid + "," + maxTxid + ")");
    }
    if (walOffset < 0) {
      throw new LtxException("wal offset cannot be negative: " + walOffset);
    }
    if (walSize < 0) {
      throw new LtxException("wal size cannot be negative: " + walSize);
    }
    if (walSalt1 != 0 || walSalt2 != 0) {
      if (walOffset == 0) {
        throw new LtxException("wal offset required if salt exists");
      }
      if (walSize == 0) {
        throw new LtxException("wal size required if salt exists");
      }
    }
    if (walOffset != 0 && walSize == 0) {
      throw new LtxException("wal size required if wal offset exists");
    }
    if (walOffset == 0 && walSize != 0) {
      throw new LtxException("wal offset required if wal size exists");
    }
    if (isSnapshot()) {
      if (!preApplyChecksum.isNone()) {
        throw new LtxException("pre-apply checksum must be zero on snapshots, got " + preApplyChecksum);
      }
    } else {
      if (preApplyChecksum.isNone()) {
        throw new LtxException("pre-apply checksum required on non-snapshot files");
      }
      if (!preApplyChecksum.isValid()) {
        throw new LtxException("invalid pre-apply checksum format: " + preApplyChecksum);
      }
    }
  }

  /** Writes the 100 header bytes into {@code dst} at {@code off}. */
  public void encodeTo(byte[] dst, int off) {
    ByteBuffer b = ByteBuffer.wrap(dst, off, SIZE);
    b.put(MAGIC_BYTES);
    b.putInt(flags).putInt(pageSize).putInt(commit);
    b.putLong(minTxid.value()).putLong(maxTxid.value()).putLong(timestamp);
    b.putLong(preApplyChecksum.value()).putLong(walOffset).putLong(walSize);
    b.putInt(walSalt1).putInt(walSalt2).putLong(nodeId);
    b.put(new byte[20]);
  }

  /** Returns the 100 header bytes. */
  public byte[] encode() {
    byte[] b = new byte[SIZE];
    encodeTo(b, 0);
    return b;
  }

  /**
   * Reads a header from 100 bytes at {@code off}. Checks the magic and the reserved bytes, not the rules of
   * {@link #validate()}.
   *
   * @throws LtxException if the magic is wrong or a reserved byte is set
   */
  public static LtxHeader decode(byte[] src, int off) throws LtxException {
    for (int i = 0; i < 4; i++) {
      if (src[off + i] != MAGIC_BYTES[i]) {
        throw new LtxException("invalid LTX file: magic is " + Hex.quote(new String(src, off, 4, StandardCharsets.ISO_8859_1))
            + ", expected \"LTX1\"");
      }
    }
    for (int i = 80; i < SIZE; i++) {
      if (src[off + i] != 0) {
        throw new LtxException("invalid LTX file: reserved header byte " + i + " is not zero");
      }
    }
    ByteBuffer b = ByteBuffer.wrap(src, off + 4, SIZE - 4);
    int flags = b.getInt();
    int pageSize = b.getInt();
    int commit = b.getInt();
    Txid min = Txid.of(b.getLong());
    Txid max = Txid.of(b.getLong());
    long ts = b.getLong();
    Checksum pre = Checksum.of(b.getLong());
    long walOffset = b.getLong();
    long walSize = b.getLong();
    int salt1 = b.getInt();
    int salt2 = b.getInt();
    long nodeId = b.getLong();
    return new LtxHeader(flags, pageSize, commit, min, max, ts, pre, walOffset, walSize, salt1, salt2, nodeId);
  }

  /** Returns a builder starting from this header's values. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Returns a builder for a header with the given page size, commit and TXID range; all else zero. */
  public static Builder builder(int pageSize, int commit, Txid min, Txid max) {
    return new Builder(new LtxHeader(0, pageSize, commit, min, max, 0, Checksum.NONE, 0, 0, 0, 0, 0));
  }

  /** Builds headers without twelve positional arguments. */
  public static final class Builder {
    private int flags;
    private int pageSize;
    private int commit;
    private Txid minTxid;
    private Txid maxTxid;
    private long timestamp;
    private Checksum preApplyChecksum;
    private long walOffset;
    private long walSize;
    private int walSalt1;
    private int walSalt2;
    private long nodeId;

    private Builder(LtxHeader h) {
      flags = h.flags;
      pageSize = h.pageSize;
      commit = h.commit;
      minTxid = h.minTxid;
      maxTxid = h.maxTxid;
      timestamp = h.timestamp;
      preApplyChecksum = h.preApplyChecksum;
      walOffset = h.walOffset;
      walSize = h.walSize;
      walSalt1 = h.walSalt1;
      walSalt2 = h.walSalt2;
      nodeId = h.nodeId;
    }

    public Builder flags(int v) { flags = v; return this; }
    public Builder compressed(boolean v) { flags = v ? flags | FLAG_COMPRESS_LZ4 : flags & ~FLAG_COMPRESS_LZ4; return this; }
    public Builder pageSize(int v) { pageSize = v; return this; }
    public Builder commit(int v) { commit = v; return this; }
    public Builder minTxid(Txid v) { minTxid = v; return this; }
    public Builder maxTxid(Txid v) { maxTxid = v; return this; }
    public Builder timestamp(long v) { timestamp = v; return this; }
    public Builder preApplyChecksum(Checksum v) { preApplyChecksum = v; return this; }
    public Builder wal(long offset, long size, int salt1, int salt2) {
      walOffset = offset; walSize = size; walSalt1 = salt1; walSalt2 = salt2; return this;
    }
    public Builder nodeId(long v) { nodeId = v; return this; }

    public LtxHeader build() {
      return new LtxHeader(flags, pageSize, commit, minTxid, maxTxid, timestamp, preApplyChecksum,
          walOffset, walSize, walSalt1, walSalt2, nodeId);
    }
  }
}
