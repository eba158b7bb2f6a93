package dev.litefs.spring.boot.autoconfigure;

import dev.litefs.core.ltx.Pos;
import dev.litefs.core.ltx.Txid;
import dev.litefs.core.ltx.Checksum;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One line of LiteFS's {@code /events} stream, reduced to what the starter uses. LiteFS sends
 * {@code {"type":"init"|"primaryChange","data":{"isPrimary":bool,"hostname":"..."}}} and
 * {@code {"type":"tx","db":"...","data":{"txID":"<16 hex>","postApplyChecksum":"<16 hex>",...}}}.
 */
sealed interface LiteFsEvent {

  /** {@code init} (first event of every connection) or {@code primaryChange}. */
  record Role(boolean init, boolean primary, @Nullable String rawHostname) implements LiteFsEvent {}

  /** {@code tx}: a transaction was committed or applied. */
  record Tx(String database, Pos position) implements LiteFsEvent {}

  /** A well-formed event of a type the starter does not use. */
  record Other(String type) implements LiteFsEvent {}

  /** Largest line accepted from the stream; LiteFS's are under 300 bytes. */
  int MAX_LINE_LENGTH = 8192;

  /**
   * Parses one line.
   *
   * @throws IllegalArgumentException when the line is not a LiteFS event; the message never quotes the line
   */
  static LiteFsEvent parse(String line) {
    if (line.length() > MAX_LINE_LENGTH) {
      throw new IllegalArgumentException("event line of " + line.length() + " characters is too long");
    }
    Object root = Json.parse(line);
    if (!(root instanceof Map<?, ?> event)) {
      throw new IllegalArgumentException("event is not a JSON object");
    }
    String type = string(event, "type");
    if (type == null) {
      throw new IllegalArgumentException("event has no type");
    }
    switch (type) {
      case "init", "primaryChange" -> {
        Map<?, ?> data = object(event, "data");
        Object isPrimary = data == null ? null : data.get("isPrimary");
        if (!(isPrimary instanceof Boolean primary)) {
          throw new IllegalArgumentException(type + " event has no boolean data.isPrimary");
        }
        return new Role(type.equals("init"), primary, string(data, "hostname"));
      }
      case "tx" -> {
        String db = string(event, "db");
        Map<?, ?> data = object(event, "data");
        String txid = data == null ? null : string(data, "txID");
        String checksum = data == null ? null : string(data, "postApplyChecksum");
        if (db == null || db.isEmpty() || txid == null || checksum == null) {
          throw new IllegalArgumentException("tx event lacks db, data.txID or data.postApplyChecksum");
        }
        return new Tx(db, new Pos(parseTxid(txid), parseChecksum(checksum)));
      }
      default -> {
        return new Other(type);
      }
    }
  }

  private static @Nullable String string(Map<?, ?> m, String key) {
    return m.get(key) instanceof String s ? s : null;
  }

  private static @Nullable Map<?, ?> object(Map<?, ?> m, String key) {
    return m.get(key) instanceof Map<?, ?> o ? o : null;
  }

  private static Txid parseTxid(String s) {
    return Txid.of(TxidText.parseHex16(s, "data.txID"));
  }

  private static Checksum parseChecksum(String s) {
    return Checksum.of(TxidText.parseHex16(s, "data.postApplyChecksum"));
  }
}
