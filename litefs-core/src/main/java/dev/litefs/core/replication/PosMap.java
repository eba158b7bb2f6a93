package dev.litefs.core.replication;

import dev.litefs.core.ltx.Checksum;
import dev.litefs.core.ltx.Pos;
import dev.litefs.core.ltx.Txid;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The body of a {@code POST /stream} request: the replica's position for each database it has.
 * {@code uint32 count}, then per database in name order {@code uint32 nameLen, name, uint64 TXID,
 * uint64 post-apply checksum}.
 */
public final class PosMap {
  /** More databases than any node should hold; a bigger count is a malformed or hostile request. */
  static final int MAX_ENTRIES = 100_000;

  private PosMap() {}

  /** Writes {@code positions} in name order. */
  public static void write(OutputStream out, Map<String, Pos> positions) throws IOException {
    SortedMap<String, Pos> sorted = new TreeMap<>(positions);
    Wire.writeInt(out, sorted.size());
    for (Map.Entry<String, Pos> e : sorted.entrySet()) {
      Wire.writeName(out, e.getKey());
      Wire.writeLong(out, e.getValue().txid().value());
      Wire.writeLong(out, e.getValue().postApplyChecksum().value());
    }
  }

  /**
   * Reads a position map.
   *
   * @throws java.io.EOFException ("unexpected EOF ...") if the body is cut short
   * @throws StreamProtocolException if a count or length is out of bounds
   */
  public static SortedMap<String, Pos> read(InputStream in) throws IOException {
    int n = Wire.readInt(in, "position map count");
    if (n < 0 || n > MAX_ENTRIES) {
      throw new StreamProtocolException("position map count " + Integer.toUnsignedString(n) + " exceeds " + MAX_ENTRIES);
    }
    SortedMap<String, Pos> m = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      String name = Wire.readName(in, "database name");
      long txid = Wire.readLong(in, "position TXID");
      long checksum = Wire.readLong(in, "position checksum");
      m.put(name, new Pos(Txid.of(txid), Checksum.of(checksum)));
    }
    return Collections.unmodifiableSortedMap(m);
  }
}
