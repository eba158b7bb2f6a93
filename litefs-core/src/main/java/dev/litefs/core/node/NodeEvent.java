package dev.litefs.core.node;

import dev.litefs.core.ltx.Checksum;
import dev.litefs.core.ltx.Txid;

/** An event of {@code GET /events}: what LiteFS streams to applications, as NDJSON (reference §6). */
public sealed interface NodeEvent {
  /** The first event of every subscription: this node's role and, on a replica, the primary's hostname. */
  record Init(boolean isPrimary, String hostname) implements NodeEvent {}

  /** A transaction recorded on database {@code db}: a local commit, a received file, a drop. */
  record Tx(String db, Txid txid, Checksum postApplyChecksum, int pageSize, int commit, long timestamp)
      implements NodeEvent {}

  /** This node gained or lost the lease, or connected to or lost a primary ({@code hostname} may be empty). */
  record PrimaryChange(boolean isPrimary, String hostname) implements NodeEvent {}
}
