package dev.litefs.core.replication;

import dev.litefs.core.ltx.Txid;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads frames from a replication stream. After an {@link StreamFrame.Ltx} frame the LTX file is read
 * from {@link #ltxBody()}; whatever the caller leaves unread is skipped before the next frame.
 */
public final class StreamReader {
  /** Longest lease ID accepted in a handoff frame. */
  private static final int MAX_LEASE_ID = 1024;

  private final InputStream in;
  private ChunkedInputStream body;

  public StreamReader(InputStream in) {
    this.in = in;
  }

  /**
   * Reads the next frame.
   *
   * @return the frame, or {@code null} if the stream ended cleanly between frames
   * @throws StreamProtocolException on an unknown frame type or an out-of-bounds length
   * @throws java.io.EOFException if the stream ends inside a frame
   */
  public StreamFrame next() throws IOException {
    if (body != null) {
      body.drain();
      body = null;
    }
    int b0 = in.read();
    if (b0 < 0) {
      return null;
    }
    byte[] rest = Wire.readFully(in, 3, "frame type");
    int type = (b0 << 24) | ((rest[0] & 0xff) << 16) | ((rest[1] & 0xff) << 8) | (rest[2] & 0xff);
    switch (type) {
      case StreamFrame.TYPE_LTX: {
        Wire.readLong(in, "LTX frame size");
        String db = Wire.readName(in, "LTX frame database name");
        body = new ChunkedInputStream(in);
        return new StreamFrame.Ltx(db);
      }
      case StreamFrame.TYPE_READY:
        return new StreamFrame.Ready();
      case StreamFrame.TYPE_END:
        return new StreamFrame.End();
      case StreamFrame.TYPE_DROP_DB:
        return new StreamFrame.DropDb(Wire.readName(in, "drop frame database name"));
      case StreamFrame.TYPE_HANDOFF: {
        int n = Wire.readInt(in, "handoff lease id length");
        if (n < 0 || n > MAX_LEASE_ID) {
          throw new StreamProtocolException("handoff lease id length " + Integer.toUnsignedString(n) + " exceeds " + MAX_LEASE_ID);
        }
        return new StreamFrame.Handoff(new String(Wire.readFully(in, n, "handoff lease id"), StandardCharsets.UTF_8));
      }
      case StreamFrame.TYPE_HWM: {
        Txid txid = Txid.of(Wire.readLong(in, "HWM TXID"));
        return new StreamFrame.Hwm(txid, Wire.readName(in, "HWM database name"));
      }
      case StreamFrame.TYPE_HEARTBEAT:
        return new StreamFrame.Heartbeat(Wire.readLong(in, "heartbeat timestamp"));
      default:
        throw new StreamProtocolException("invalid stream frame type: " + Integer.toUnsignedString(type));
    }
  }

  /**
   * The LTX file of the last {@link StreamFrame.Ltx} frame, as a stream that ends with the file.
   *
   * @throws IllegalStateException if the last frame was not an LTX frame
   */
  public InputStream ltxBody() {
    if (body == null) {
      throw new IllegalStateException("the last frame was not an LTX frame");
    }
    return body;
  }
}
