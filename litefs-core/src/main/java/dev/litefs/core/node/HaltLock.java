package dev.litefs.core.node;

import dev.litefs.core.ltx.Pos;
import java.time.Instant;

/**
 * LiteFS's HALT lock: the primary has stopped its own writers on {@code db} so that a replica can write it
 * for a while, forwarding each transaction ({@code POST /tx}). {@code pos} is where the database stood when
 * the lock was taken; the replica writes once it has caught up to it.
 *
 * @param db the database
 * @param id the lock's ID, chosen by the replica
 * @param pos the primary's position when the lock was taken (or last extended)
 * @param expires when the primary drops the lock unless it is taken again
 */
public record HaltLock(String db, long id, Pos pos, Instant expires) {
  /** LiteFS's JSON: {@code {"id":…,"pos":{"TXID":"…","PostApplyChecksum":"…"},"expires":"…"}}. */
  public String toJson() {
    return "{\"id\":" + id + ",\"pos\":{\"TXID\":\"" + pos.txid() + "\",\"PostApplyChecksum\":\""
        + pos.postApplyChecksum() + "\"},\"expires\":\"" + expires + "\"}";
  }
}
