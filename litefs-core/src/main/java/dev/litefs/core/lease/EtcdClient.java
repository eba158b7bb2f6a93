package dev.litefs.core.lease;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The part of etcd's v3 API the lease needs, through etcd's JSON gateway ({@code POST /v3/...}; keys and values
 * base64, 64-bit numbers as decimal strings): lease grant / keep-alive / revoke, range, and a put or delete
 * guarded by a compare in one transaction.
 *
 * <p>Requests go to the endpoint that last answered; when one cannot be connected to, the next is tried (the
 * request was never delivered, so retrying it is safe). Any other failure is thrown, not retried elsewhere.
 */
final class EtcdClient {
  static final String TYPE = "etcd";

  /** A key's value and the lease it is attached to (0 for none). */
  record KeyValue(byte[] value, long lease) {}

  /** A guarded write's outcome, with the key as it was when the guard failed. */
  record TxnResult(boolean succeeded, Optional<KeyValue> current) {}

  private record Reply(URI endpoint, int status, byte[] body) {}

  private static final Map<String, String> JSON_CONTENT = Map.of("Content-Type", "application/json");

  private final List<URI> endpoints;
  private final String key;
  private final LeaseHttp http;
  private final AtomicInteger preferred = new AtomicInteger();

  /** @param key the lease key, for messages */
  EtcdClient(List<URI> endpoints, String key, Duration ttl) {
    this.endpoints = List.copyOf(endpoints);
    this.key = key;
    this.http = new LeaseHttp(TYPE, key, ttl);
  }

  /** Grants a lease of {@code ttl} and returns its ID. */
  long grant(Duration ttl) throws LeaseException {
    JsonNode granted = call("/v3/lease/grant", LeaseJson.object().put("TTL", ttl.toSeconds()));
    long id = granted.path("ID").asLong(0);
    if (id <= 0) {
      // Lease 0 means "no lease": a key put with it would never expire.
      throw new LeaseException(TYPE, key, "lease grant answered without a lease ID: " + granted);
    }
    return id;
  }

  /** Extends a lease by its TTL and returns the TTL left; 0 if etcd no longer has the lease. */
  long keepAlive(long lease) throws LeaseException {
    // The gateway streams {"result": …}; an unknown lease is answered with no TTL.
    return call("/v3/lease/keepalive", LeaseJson.object().put("ID", Long.toString(lease)))
        .path("result").path("TTL").asLong(0);
  }

  /** Revokes a lease, deleting every key attached to it; revoking an unknown lease does nothing. */
  void revoke(long lease) throws LeaseException {
    ObjectNode body = LeaseJson.object().put("ID", Long.toString(lease));
    Reply reply = post("/v3/lease/revoke", body);
    if (reply.status() != 404) {
      check("/v3/lease/revoke", reply);
    }
  }

  /** Returns {@code k}'s value and lease, or empty if it does not exist. */
  Optional<KeyValue> range(String k) throws LeaseException {
    return firstKeyValue(call("/v3/kv/range", LeaseJson.object().put("key", base64(k))));
  }

  /** Puts {@code k} attached to {@code lease} (0 for none) only if {@code k} does not exist yet. */
  TxnResult putIfAbsent(String k, byte[] value, long lease) throws LeaseException {
    ObjectNode compare = compare("CREATE", k).put("create_revision", "0");
    return txn(compare, put(k, value, lease), k);
  }

  /** Puts {@code k} attached to {@code lease} only if {@code k} is attached to that lease now. */
  TxnResult putIfLease(String k, byte[] value, long lease) throws LeaseException {
    ObjectNode compare = compare("LEASE", k).put("lease", Long.toString(lease));
    return txn(compare, put(k, value, lease), k);
  }

  private TxnResult txn(ObjectNode compare, ObjectNode success, String k) throws LeaseException {
    ObjectNode body = LeaseJson.object();
    body.putArray("compare").add(compare);
    body.putArray("success").add(success);
    body.putArray("failure").addObject().putObject("request_range").put("key", base64(k));
    JsonNode reply = call("/v3/kv/txn", body);
    // The gateway leaves out false booleans.
    if (reply.path("succeeded").asBoolean(false)) {
      return new TxnResult(true, Optional.empty());
    }
    return new TxnResult(false, firstKeyValue(reply.path("responses").path(0).path("response_range")));
  }

  private static ObjectNode compare(String target, String k) {
    return LeaseJson.object().put("target", target).put("result", "EQUAL").put("key", base64(k));
  }

  private static ObjectNode put(String k, byte[] value, long lease) {
    ObjectNode op = LeaseJson.object();
    ObjectNode put = op.putObject("request_put").put("key", base64(k))
        .put("value", Base64.getEncoder().encodeToString(value));
    if (lease != 0) {
      put.put("lease", Long.toString(lease));
    }
    return op;
  }

  private static Optional<KeyValue> firstKeyValue(JsonNode rangeResponse) {
    JsonNode kv = rangeResponse.path("kvs").path(0);
    if (kv.isMissingNode()) {
      return Optional.empty();
    }
    byte[] value = Base64.getDecoder().decode(kv.path("value").asText(""));
    return Optional.of(new KeyValue(value, kv.path("lease").asLong(0)));
  }

  private static String base64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  private JsonNode call(String path, ObjectNode body) throws LeaseException {
    JsonNode reply = LeaseJson.parse(check(path, post(path, body)).body(), TYPE, key, "POST " + path);
    // A streamed call (keep-alive) reports errors inside a 200 answer; read as a missing TTL, a transient
    // error would look like an expired lease.
    JsonNode error = reply.path("error");
    if (!error.isMissingNode()) {
      String message = error.path("message").asText(error.toString());
      throw new LeaseException(TYPE, key, "POST " + path + " failed: " + message);
    }
    return reply;
  }

  private Reply post(String path, ObjectNode body) throws LeaseException {
    byte[] bytes = LeaseJson.bytes(body);
    List<LeaseServerUnreachableException> failures = new ArrayList<>();
    int first = preferred.get();
    for (int i = 0; i < endpoints.size(); i++) {
      int index = (first + i) % endpoints.size();
      URI endpoint = endpoints.get(index);
      try {
        LeaseHttp.Reply reply = http.send("POST", endpoint.resolve(path), bytes, JSON_CONTENT);
        preferred.set(index);
        return new Reply(endpoint, reply.status(), reply.body());
      } catch (LeaseServerUnreachableException e) {
        failures.add(e);
      }
    }
    LeaseServerUnreachableException all = new LeaseServerUnreachableException(TYPE, key,
        "POST " + path + ": cannot connect to any endpoint of " + endpoints, failures.get(0));
    failures.stream().skip(1).forEach(all::addSuppressed);
    throw all;
  }

  private Reply check(String path, Reply reply) throws LeaseException {
    if (reply.status() != 200) {
      String message = new String(reply.body(), StandardCharsets.UTF_8).strip();
      try {
        message = LeaseJson.parse(reply.body(), TYPE, key, "POST " + path).path("message").asText(message);
      } catch (LeaseException notJson) {
        // Not the gateway's JSON error (a proxy's page, say): the text itself is the message.
      }
      throw new LeaseException(TYPE, key, "POST " + reply.endpoint().resolve(path) + " answered " + reply.status()
          + ": " + message);
    }
    return reply;
  }
}
