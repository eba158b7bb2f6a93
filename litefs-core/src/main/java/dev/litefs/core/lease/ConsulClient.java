package dev.litefs.core.lease;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * The few calls of Consul's HTTP API that LiteFS makes, with the bodies its Go client sends: catalog node
 * registration, session create / renew / destroy, and KV get / put / acquire / release. Every request carries
 * the ACL token, if any, in {@code X-Consul-Token}.
 */
final class ConsulClient {
  static final String TYPE = "consul";

  private final URI base;
  private final Map<String, String> headers;
  private final String key;
  private final LeaseHttp http;

  /** @param key the lease key, for messages */
  ConsulClient(ConsulUrl url, String key, Duration ttl) {
    this.base = url.base();
    this.headers = url.token().map(t -> Map.of("X-Consul-Token", t)).orElse(Map.of());
    this.key = key;
    this.http = new LeaseHttp(TYPE, key, ttl);
  }

  /** Registers a catalog node for sessions to belong to ({@code PUT /v1/catalog/register}). */
  void registerNode(String node) throws LeaseException {
    // The address is required by Consul and used by nobody.
    ok("PUT", "/v1/catalog/register", null, LeaseJson.object().put("Node", node).put("Address", "localhost"));
  }

  /**
   * Creates a session with no health checks ({@code PUT /v1/session/create}), named {@code litefs}, whose
   * locks are deleted when it is invalidated.
   *
   * @param node the catalog node, or empty for the agent's own
   * @return the session ID
   */
  String createSession(String node, Duration ttl, Duration lockDelay) throws LeaseException {
    ObjectNode body = LeaseJson.object();
    // An empty check list: otherwise Consul binds the session to the node's serfHealth check, which a
    // catalog-only node does not have.
    body.putArray("Checks");
    body.put("Name", "litefs").put("Behavior", "delete").put("TTL", goDuration(ttl))
        .put("LockDelay", lockDelay.toMillis() + "ms");
    if (!node.isEmpty()) {
      body.put("Node", node);
    }
    JsonNode created = json(ok("PUT", "/v1/session/create", null, body), "session create");
    String id = created.path("ID").asText("");
    if (id.isEmpty()) {
      throw new LeaseException(TYPE, key, "session create answered without an ID: " + created);
    }
    return id;
  }

  /** Renews a session ({@code PUT /v1/session/renew/<id>}); returns false if Consul no longer has it. */
  boolean renewSession(String session) throws LeaseException {
    LeaseHttp.Reply reply = send("PUT", "/v1/session/renew/" + session, null, null);
    if (reply.status() == 404) {
      return false;
    }
    return json(check("PUT", "/v1/session/renew/" + session, reply), "session renew").size() > 0;
  }

  /** Invalidates a session ({@code PUT /v1/session/destroy/<id>}), deleting any key it still holds. */
  void destroySession(String session) throws LeaseException {
    ok("PUT", "/v1/session/destroy/" + session, null, null);
  }

  /** Locks {@code kvKey} with the session and sets its value; false if another session holds it or lock-delay runs. */
  boolean acquire(String kvKey, String session, byte[] value) throws LeaseException {
    return bool(ok("PUT", kvPath(kvKey), "acquire=" + session, value));
  }

  /** Unlocks {@code kvKey} if the session holds it, emptying its value; false if the session does not hold it. */
  boolean release(String kvKey, String session) throws LeaseException {
    // An empty body empties the value, so the key no longer names a primary (what LiteFS's client sends).
    return bool(ok("PUT", kvPath(kvKey), "release=" + session, new byte[0]));
  }

  /** Sets {@code kvKey} only if it does not exist yet ({@code ?cas=0}); false if it does. */
  boolean create(String kvKey, byte[] value) throws LeaseException {
    return bool(ok("PUT", kvPath(kvKey), "cas=0", value));
  }

  /** Returns the value of {@code kvKey}, or empty if the key does not exist; a null value reads as empty bytes. */
  Optional<byte[]> get(String kvKey) throws LeaseException {
    LeaseHttp.Reply reply = send("GET", kvPath(kvKey), null, null);
    if (reply.status() == 404) {
      return Optional.empty();
    }
    JsonNode entries = json(check("GET", kvPath(kvKey), reply), "KV get");
    JsonNode value = entries.path(0).path("Value");
    return Optional.of(value.isTextual() ? Base64.getDecoder().decode(value.asText()) : new byte[0]);
  }

  private static String kvPath(String kvKey) {
    return "/v1/kv/" + kvKey;
  }

  private LeaseHttp.Reply ok(String method, String path, String query, Object body) throws LeaseException {
    return check(method, path, send(method, path, query, body));
  }

  private LeaseHttp.Reply send(String method, String path, String query, Object body) throws LeaseException {
    byte[] bytes = body instanceof JsonNode node ? LeaseJson.bytes(node) : (byte[]) body;
    return http.send(method, uri(path, query), bytes, headers);
  }

  private LeaseHttp.Reply check(String method, String path, LeaseHttp.Reply reply) throws LeaseException {
    if (reply.status() != 200) {
      throw new LeaseException(TYPE, key, method + " " + path + " answered " + reply.status() + ": "
          + reply.text().strip());
    }
    return reply;
  }

  private JsonNode json(LeaseHttp.Reply reply, String what) throws LeaseException {
    return LeaseJson.parse(reply.body(), TYPE, key, what);
  }

  private boolean bool(LeaseHttp.Reply reply) {
    return "true".equals(reply.text().strip());
  }

  private URI uri(String path, String query) throws LeaseException {
    try {
      // The multi-argument constructor quotes whatever a key holds that a URL may not.
      return new URI(base.getScheme(), null, base.getHost(), base.getPort(), path, query, null);
    } catch (URISyntaxException e) {
      throw new LeaseException(TYPE, key, "cannot build a URL for " + path, e);
    }
  }

  // Go's time.Duration format for what Consul parses: "10s", or "1500ms" for fractions.
  static String goDuration(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
  }
}
