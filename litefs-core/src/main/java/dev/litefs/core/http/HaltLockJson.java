package dev.litefs.core.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.litefs.core.ltx.Checksum;
import dev.litefs.core.ltx.Pos;
import dev.litefs.core.ltx.Txid;
import dev.litefs.core.node.HaltLock;
import java.io.IOException;
import java.time.OffsetDateTime;

/** Reads LiteFS's {@code HaltLock} JSON, as a primary (ours or LiteFS's) answers {@code POST /halt}. */
final class HaltLockJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private HaltLockJson() {}

  static HaltLock parse(String db, String body) throws IOException {
    try {
      JsonNode n = JSON.readTree(body);
      JsonNode pos = n.get("pos");
      return new HaltLock(db, n.get("id").asLong(),
          new Pos(Txid.parse(pos.get("TXID").asText()), Checksum.parse(pos.get("PostApplyChecksum").asText())),
          OffsetDateTime.parse(n.get("expires").asText()).toInstant());
    } catch (RuntimeException e) {
      throw new IOException("malformed halt lock from the primary: " + e.getMessage(), e);
    }
  }
}
