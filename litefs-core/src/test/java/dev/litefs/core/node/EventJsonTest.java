package dev.litefs.core.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.litefs.core.ltx.Checksum;
import dev.litefs.core.ltx.Txid;
import dev.litefs.core.testing.Vectors;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Every event line LiteFS streamed in the captures is reproduced byte for byte. */
class EventJsonTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @ParameterizedTest
  @ValueSource(strings = {"lz4/events-primary.ndjson", "lz4/events-replica.ndjson", "raw/events-primary.ndjson",
      "raw/events-replica.ndjson", "raw/events-replica-primary-down.ndjson"})
  void capturedEventsAreReproducedExactly(String file) throws IOException {
    List<String> lines = Files.readAllLines(Vectors.path("events/" + file));
    assertThat(lines).isNotEmpty();
    for (String line : lines) {
      assertThat(EventJson.encode(parse(JSON.readTree(line)))).isEqualTo(line);
    }
  }

  static NodeEvent parse(JsonNode n) {
    JsonNode d = n.get("data");
    String hostname = d.has("hostname") ? d.get("hostname").asText() : "";
    return switch (n.get("type").asText()) {
      case "init" -> new NodeEvent.Init(d.get("isPrimary").asBoolean(), hostname);
      case "primaryChange" -> new NodeEvent.PrimaryChange(d.get("isPrimary").asBoolean(), hostname);
      case "tx" -> new NodeEvent.Tx(n.get("db").asText(), Txid.parse(d.get("txID").asText()),
          Checksum.parse(d.get("postApplyChecksum").asText()), d.get("pageSize").asInt(), d.get("commit").asInt(),
          Instant.parse(d.get("timestamp").asText()).toEpochMilli());
      default -> throw new AssertionError(n.toString());
    };
  }

  @Test
  void timestampsDropTrailingZerosLikeGo() {
    assertThat(EventJson.rfc3339Nano(Instant.parse("2026-11-26T06:49:19.130Z").toEpochMilli()))
        .isEqualTo("2026-11-26T06:49:19.13Z");
    assertThat(EventJson.rfc3339Nano(Instant.parse("2026-11-26T06:49:19Z").toEpochMilli()))
        .isEqualTo("2026-11-26T06:49:19Z");
    assertThat(EventJson.rfc3339Nano(Instant.parse("2026-11-26T06:49:19.007Z").toEpochMilli()))
        .isEqualTo("2026-11-26T06:49:19.007Z");
  }

  @Test
  void namesAreEscapedAsJson() throws IOException {
    String line = EventJson.encode(new NodeEvent.Tx("a\"b\n<c>.db", Txid.of(1), Checksum.EMPTY, 4096, 0, 0));
    assertThat(JSON.readTree(line).get("db").asText()).isEqualTo("a\"b\n<c>.db");
    assertThat(line).contains("\"db\":\"a\\\"b\\n\\u003cc\\u003e.db\"");
  }
}
