package dev.litefs.core.lease;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A <b>fake</b> Consul agent: no Consul server can be had on these machines, so this answers the HTTP calls
 * LiteFS makes (catalog register; session create, renew, destroy; KV get, put, {@code cas}, {@code acquire},
 * {@code release}) with Consul's semantics for them, as documented and as Consul's source implements them:
 * <ul>
 *   <li>the ACL token must arrive in {@code X-Consul-Token};</li>
 *   <li>a session TTL must lie in [10s, 24h], and a session is invalidated when twice its TTL has passed since
 *       the last renewal (Consul's TTL multiplier);</li>
 *   <li>a session without an explicit empty {@code Checks} list is bound to the node's {@code serfHealth}
 *       check, which catalog-registered nodes do not have, and a session's node must be registered;</li>
 *   <li>an invalidated session's locked keys are deleted (behavior {@code delete}) or unlocked, and may not be
 *       acquired again until its lock-delay has passed; a release applies no lock-delay;</li>
 *   <li>{@code ?release} and {@code ?acquire} set the value to the request body.</li>
 * </ul>
 * Time comes from the test's clock. It keeps the session-create bodies for tests to check.
 */
final class FakeConsul implements AutoCloseable {
  private static final String AGENT_NODE = "fake-consul-agent";
  private static final Duration MIN_TTL = Duration.ofSeconds(10);
  private static final Duration MAX_TTL = Duration.ofHours(24);
  private static final Pattern GO_DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");
  private static final ObjectMapper JSON = new ObjectMapper();

  static {
    // Without TCP_NODELAY the JDK's server sends headers and body in two segments and every call waits ~40ms
    // for a delayed ACK. Read once, when the server classes load.
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  private record Session(String id, Duration ttl, Duration lockDelay, boolean deleteKeys, Instant expiresAt) {
    Session renewed(Instant now) {
      return new Session(id, ttl, lockDelay, deleteKeys, now.plus(ttl.multipliedBy(2)));
    }
  }

  private static final class Entry {
    byte[] value;
    String session;
    long lockIndex;
    final long createIndex;
    long modifyIndex;

    Entry(long index) {
      this.createIndex = index;
    }
  }

  /** A refusal that Consul answers with this status and text. */
  private static final class Refusal extends Exception {
    final int status;

    Refusal(int status, String message) {
      super(message);
      this.status = status;
    }
  }

  private final Clock clock;
  private final String token;
  private final HttpServer server;
  private final Set<String> nodes = new HashSet<>(Set.of(AGENT_NODE));
  private final Map<String, Session> sessions = new HashMap<>();
  private final Map<String, Entry> kv = new HashMap<>();
  private final Map<String, Instant> lockDelayUntil = new HashMap<>();
  private final List<JsonNode> sessionRequests = new ArrayList<>();
  private long index;

  private FakeConsul(Clock clock, String token) throws IOException {
    this.clock = clock;
    this.token = token;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  /** Starts the fake on a free loopback port, requiring {@code token} on every request. */
  static FakeConsul start(Clock clock, String token) throws IOException {
    return new FakeConsul(clock, token);
  }

  /** Returns {@code http://127.0.0.1:<port>}. */
  URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Returns the bodies of the session-create requests so far. */
  synchronized List<JsonNode> sessionRequests() {
    return List.copyOf(sessionRequests);
  }

  /** Returns the nodes in the catalog, the agent's own included. */
  synchronized Set<String> nodes() {
    return Set.copyOf(nodes);
  }

  /** Returns the value stored at {@code key}, or null if the key does not exist. */
  synchronized byte[] value(String key) {
    Entry e = kv.get(key);
    return e == null ? null : e.value;
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private void handle(HttpExchange exchange) throws IOException {
    int status = 200;
    byte[] answer;
    try (exchange) {
      try {
        answer = route(exchange.getRequestMethod(), exchange.getRequestURI(),
            exchange.getRequestHeaders().getFirst("X-Consul-Token"), exchange.getRequestBody().readAllBytes());
      } catch (Refusal r) {
        status = r.status;
        answer = r.getMessage().getBytes(StandardCharsets.UTF_8);
      }
      exchange.sendResponseHeaders(status, answer.length == 0 ? -1 : answer.length);
      exchange.getResponseBody().write(answer);
    }
  }

  private synchronized byte[] route(String method, URI uri, String requestToken, byte[] body)
      throws Refusal, IOException {
    if (!token.equals(requestToken)) {
      throw new Refusal(403, "ACL not found");
    }
    expireSessions();
    String path = uri.getPath();
    Map<String, String> query = query(uri);
    if (method.equals("PUT") && path.equals("/v1/catalog/register")) {
      nodes.add(JSON.readTree(body).path("Node").asText());
      return text("true");
    } else if (method.equals("PUT") && path.equals("/v1/session/create")) {
      return createSession(JSON.readTree(body));
    } else if (method.equals("PUT") && path.startsWith("/v1/session/renew/")) {
      return renewSession(path.substring("/v1/session/renew/".length()));
    } else if (method.equals("PUT") && path.startsWith("/v1/session/destroy/")) {
      Session s = sessions.get(path.substring("/v1/session/destroy/".length()));
      if (s != null) {
        invalidate(s, clock.instant());
      }
      return text("true");
    } else if (method.equals("GET") && path.startsWith("/v1/kv/")) {
      return get(path.substring("/v1/kv/".length()));
    } else if (method.equals("PUT") && path.startsWith("/v1/kv/")) {
      return text(Boolean.toString(put(path.substring("/v1/kv/".length()), query, body)));
    }
    throw new Refusal(405, "method " + method + " not allowed for " + path);
  }

  private byte[] createSession(JsonNode body) throws Refusal {
    sessionRequests.add(body);
    String node = body.path("Node").asText(AGENT_NODE);
    if (!nodes.contains(node)) {
      throw new Refusal(500, "Missing node registration");
    }
    if (!body.path("Checks").isArray() && !AGENT_NODE.equals(node)) {
      throw new Refusal(500, "Missing check 'serfHealth' registration");
    }
    Duration ttl = goDuration(body.path("TTL").asText(""));
    if (ttl.compareTo(MIN_TTL) < 0 || ttl.compareTo(MAX_TTL) > 0) {
      throw new Refusal(400, "Invalid Session TTL '" + ttl.toMillis() + "ms', must be between [10s=24h0m0s]");
    }
    Duration lockDelay = body.has("LockDelay") ? goDuration(body.path("LockDelay").asText("")) : Duration.ofSeconds(15);
    String id = UUID.randomUUID().toString();
    boolean delete = body.path("Behavior").asText("release").equals("delete");
    sessions.put(id, new Session(id, ttl, lockDelay, delete, null).renewed(clock.instant()));
    index++;
    return json(JSON.createObjectNode().put("ID", id));
  }

  private byte[] renewSession(String id) throws Refusal {
    Session s = sessions.get(id);
    if (s == null) {
      throw new Refusal(404, "Session id '" + id + "' not found");
    }
    sessions.put(id, s.renewed(clock.instant()));
    ArrayNode entries = JSON.createArrayNode();
    entries.addObject().put("ID", id).put("TTL", s.ttl().toSeconds() + "s");
    return json(entries);
  }

  private byte[] get(String key) throws Refusal {
    Entry e = kv.get(key);
    if (e == null) {
      throw new Refusal(404, "");
    }
    ObjectNode entry = JSON.createObjectNode().put("Key", key).put("Flags", 0).put("LockIndex", e.lockIndex)
        .put("CreateIndex", e.createIndex).put("ModifyIndex", e.modifyIndex);
    if (e.value == null || e.value.length == 0) {
      entry.putNull("Value");
    } else {
      entry.put("Value", Base64.getEncoder().encodeToString(e.value));
    }
    if (e.session != null) {
      entry.put("Session", e.session);
    }
    ArrayNode entries = JSON.createArrayNode();
    entries.add(entry);
    return json(entries);
  }

  private boolean put(String key, Map<String, String> query, byte[] body) throws Refusal {
    Entry e = kv.get(key);
    if (query.containsKey("acquire")) {
      String session = query.get("acquire");
      if (!sessions.containsKey(session)) {
        throw new Refusal(500, "invalid session \"" + session + "\"");
      }
      if (lockDelayUntil.getOrDefault(key, Instant.MIN).isAfter(clock.instant())
          || e != null && e.session != null && !e.session.equals(session)) {
        return false;
      }
      Entry written = write(key, body);
      if (!session.equals(written.session)) {
        written.lockIndex++;
        written.session = session;
      }
      return true;
    } else if (query.containsKey("release")) {
      if (e == null || !query.get("release").equals(e.session)) {
        return false;
      }
      write(key, body).session = null;
      return true;
    } else if (query.containsKey("cas")) {
      long cas = Long.parseLong(query.get("cas"));
      if (cas == 0 ? e != null : e == null || e.modifyIndex != cas) {
        return false;
      }
    }
    write(key, body);
    return true;
  }

  private Entry write(String key, byte[] value) {
    index++;
    Entry e = kv.computeIfAbsent(key, k -> new Entry(index));
    e.value = value;
    e.modifyIndex = index;
    return e;
  }

  private void expireSessions() {
    Instant now = clock.instant();
    for (Session s : List.copyOf(sessions.values())) {
      if (!now.isBefore(s.expiresAt())) {
        // Expiry is checked lazily, but happened at expiresAt: lock-delay runs from then.
        invalidate(s, s.expiresAt());
      }
    }
  }

  private void invalidate(Session s, Instant at) {
    sessions.remove(s.id());
    for (Map.Entry<String, Entry> held : List.copyOf(kv.entrySet())) {
      if (s.id().equals(held.getValue().session)) {
        lockDelayUntil.put(held.getKey(), at.plus(s.lockDelay()));
        if (s.deleteKeys()) {
          kv.remove(held.getKey());
        } else {
          held.getValue().session = null;
        }
      }
    }
  }

  private static Duration goDuration(String text) throws Refusal {
    Matcher m = GO_DURATION.matcher(text);
    Duration total = Duration.ZERO;
    int end = 0;
    while (m.find() && m.start() == end) {
      double amount = Double.parseDouble(m.group(1));
      long unitMillis = switch (m.group(2)) {
        case "ms" -> 1;
        case "s" -> 1000;
        case "m" -> 60_000;
        default -> 3_600_000;
      };
      total = total.plusMillis(Math.round(amount * unitMillis));
      end = m.end();
    }
    if (end == 0 || end != text.length()) {
      throw new Refusal(400, "invalid duration \"" + text + "\"");
    }
    return total;
  }

  private static Map<String, String> query(URI uri) {
    Map<String, String> query = new HashMap<>();
    if (uri.getQuery() != null) {
      for (String pair : uri.getQuery().split("&")) {
        int eq = pair.indexOf('=');
        query.put(eq < 0 ? pair : pair.substring(0, eq), eq < 0 ? "" : pair.substring(eq + 1));
      }
    }
    return query;
  }

  private static byte[] text(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] json(JsonNode node) throws Refusal {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new Refusal(500, e.toString());
    }
  }
}
