package dev.litefs.core.replication;

import dev.litefs.core.ltx.Txid;

/**
 * A frame of LiteFS's replication stream. On the wire each frame is a big-endian {@code uint32} type
 * followed by its payload; an {@link Ltx} frame is followed by the LTX file in chunks.
 */
public sealed interface StreamFrame {
  /** Type 1: an LTX file for database {@code db} follows, chunked. */
  record Ltx(String db) implements StreamFrame {}

  /** Type 2: the primary has sent everything it had when the stream started. */
  record Ready() implements StreamFrame {}

  /** Type 3: the primary is ending the stream on purpose. */
  record End() implements StreamFrame {}

  /** Type 4 (deprecated): the primary has no database {@code db}; replicas log and ignore it. */
  record DropDb(String db) implements StreamFrame {}

  /** Type 5: the primary hands its lease over to this replica; {@code leaseId} is the lease to take. */
  record Handoff(String leaseId) implements StreamFrame {}

  /** Type 6: the backup high-water mark of database {@code db}. */
  record Hwm(Txid txid, String db) implements StreamFrame {}

  /** Type 7: the primary is alive; {@code timestamp} is its wall clock in ms. */
  record Heartbeat(long timestamp) implements StreamFrame {}

  int TYPE_LTX = 1;
  int TYPE_READY = 2;
  int TYPE_END = 3;
  int TYPE_DROP_DB = 4;
  int TYPE_HANDOFF = 5;
  int TYPE_HWM = 6;
  int TYPE_HEARTBEAT = 7;
}
