package dev.litefs.core.lease;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** JSON for the Consul and etcd backends, including LiteFS's primary-info value. */
final class LeaseJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private LeaseJson() {}

  static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  static byte[] bytes(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serializes", e);
    }
  }

  /**
   * Parses a server's answer.
   *
   * @param what the request it answers, for the message
   * @throws LeaseException if it is not JSON
   */
  static JsonNode parse(byte[] body, String backend, String key, String what) throws LeaseException {
    try {
      return MAPPER.readTree(body);
    } catch (IOException e) {
      throw new LeaseException(backend, key, what + " answered with malformed JSON: "
          + new String(body, StandardCharsets.UTF_8), e);
    }
  }

  /** Encodes LiteFS's lease value: {@code {"hostname":…,"advertise-url":…}}. */
  static byte[] primaryInfo(PrimaryInfo info) {
    return bytes(object().put("hostname", info.hostname()).put("advertise-url", info.advertiseUrl()));
  }

  /**
   * Decodes LiteFS's lease value. Missing fields are empty, as Go's decoder leaves them.
   *
   * @throws LeaseException if the value is not a JSON object
   */
  static PrimaryInfo primaryInfo(byte[] value, String backend, String key) throws LeaseException {
    JsonNode node = parse(value, backend, key, "the lease value");
    if (!node.isObject()) {
      throw new LeaseException(backend, key, "the lease value is not LiteFS primary info: "
          + new String(value, StandardCharsets.UTF_8));
    }
    return new PrimaryInfo(node.path("hostname").asText(""), node.path("advertise-url").asText(""));
  }
}
