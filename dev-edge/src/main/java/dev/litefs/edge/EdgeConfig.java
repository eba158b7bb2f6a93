package dev.litefs.edge;

import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How the edge runs.
 *
 * @param listen where clients connect
 * @param nodes the nodes, in the order given
 * @param app the app name {@code fly-replay: app=} may name; empty accepts no {@code app} field
 * @param maxReplays how many {@code fly-replay} answers one request may follow before the edge gives up (a loop)
 * @param retryWindow how long a node that refuses connections is retried, when no {@code timeout} field says
 * @param maxReplayBody the largest body that can be replayed (Fly's limit: 1 MB)
 */
record EdgeConfig(InetSocketAddress listen, List<Node> nodes, Optional<String> app, int maxReplays,
    Duration retryWindow, int maxReplayBody) {
  static final String DEFAULT_REGION = "dev";
  static final int ONE_MB = 1024 * 1024;
  private static final Set<String> OPTIONS = Set.of("listen", "node", "region", "app", "max-replays", "retry-window");

  static final String USAGE = String.join("\n",
      "usage: litefs-edge --node ID=URL [--node ID=URL ...] [--region ID=REGION ...] [--listen HOST:PORT]",
      "                   [--app NAME] [--max-replays N] [--retry-window DURATION]",
      "",
      "A local stand-in for Fly.io's edge: spreads requests over the nodes round robin, follows their fly-replay",
      "answers, and honours fly-force-instance-id and fly-prefer-instance-id, as Fly's proxy does.",
      "",
      "  --node ID=URL          a node: its instance ID (the node's lease.hostname) and http://host:port",
      "  --region ID=REGION     the node's region, a three-letter code (default: " + DEFAULT_REGION + ")",
      "  --listen HOST:PORT     where clients connect (default: 127.0.0.1:8080)",
      "  --app NAME             the app name that fly-replay's app= field may name (default: none)",
      "  --max-replays N        replays one request may follow before the edge calls it a loop (default: 5)",
      "  --retry-window DURATION  how long a node refusing connections is retried, such as 2s or 500ms (default: 2s)");

  EdgeConfig {
    nodes = List.copyOf(nodes);
  }

  /**
   * Parses the command line; options take one dash or two, and {@code --name=value} too.
   *
   * @throws IllegalArgumentException saying what is wrong
   */
  static EdgeConfig parse(String... args) {
    InetSocketAddress listen = new InetSocketAddress("127.0.0.1", 8080);
    Map<String, URI> urls = new LinkedHashMap<>();
    Map<String, String> regions = new LinkedHashMap<>();
    Optional<String> app = Optional.empty();
    int maxReplays = 5;
    Duration retryWindow = Duration.ofSeconds(2);
    for (int i = 0; i < args.length; i++) {
      String raw = args[i];
      String name = raw.startsWith("--") ? raw.substring(2) : raw.startsWith("-") ? raw.substring(1) : null;
      if (name == null) {
        throw new IllegalArgumentException("unexpected argument " + raw + "; options start with --, see --help");
      }
      String value = null;
      int eq = name.indexOf('=');
      if (eq > 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      }
      if (!OPTIONS.contains(name)) {
        throw new IllegalArgumentException("unknown option " + raw + "; see --help");
      }
      if (value == null) {
        if (i + 1 == args.length) {
          throw new IllegalArgumentException("--" + name + " needs a value");
        }
        value = args[++i];
      }
      switch (name) {
        case "listen" -> listen = address(value);
        case "node" -> {
          String[] pair = pair("--node", value);
          if (urls.put(name("node ID", pair[0]), url(pair[1])) != null) {
            throw new IllegalArgumentException("--node " + pair[0] + " is given twice");
          }
        }
        case "region" -> {
          String[] pair = pair("--region", value);
          regions.put(name("node ID", pair[0]), region(pair[1]));
        }
        case "app" -> app = Optional.of(name("app name", value));
        case "max-replays" -> maxReplays = positive("--max-replays", value);
        default -> retryWindow = duration(value);
      }
    }
    if (urls.isEmpty()) {
      throw new IllegalArgumentException("no node: give each node with --node ID=http://host:port");
    }
    for (String id : regions.keySet()) {
      if (!urls.containsKey(id)) {
        throw new IllegalArgumentException("--region " + id + " names no --node");
      }
    }
    List<Node> nodes = new ArrayList<>();
    urls.forEach((id, url) -> nodes.add(new Node(id, url, regions.getOrDefault(id, DEFAULT_REGION))));
    return new EdgeConfig(listen, nodes, app, maxReplays, retryWindow, ONE_MB);
  }

  private static String[] pair(String option, String value) {
    int eq = value.indexOf('=');
    if (eq <= 0) {
      throw new IllegalArgumentException(option + " takes ID=VALUE, got " + value);
    }
    return new String[] {value.substring(0, eq), value.substring(eq + 1)};
  }

  private static String name(String what, String value) {
    if (!Node.ID.matcher(value).matches()) {
      throw new IllegalArgumentException(what + " " + value + " is not letters, digits, '.', '_' and '-'");
    }
    return value;
  }

  private static URI url(String value) {
    URI url;
    try {
      url = URI.create(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("node URL " + value + " is not a URL: " + e.getMessage());
    }
    if (!"http".equals(url.getScheme()) || url.getHost() == null || url.getPort() < 0
        || !(url.getRawPath() == null || url.getRawPath().isEmpty() || url.getRawPath().equals("/"))) {
      throw new IllegalArgumentException("node URL " + value + " must be http://host:port, with no path");
    }
    return URI.create("http://" + url.getRawAuthority());
  }

  private static String region(String value) {
    if (!Node.REGION.matcher(value).matches()) {
      throw new IllegalArgumentException("region " + value + " is not a three-letter lowercase code such as ord");
    }
    return value;
  }

  private static InetSocketAddress address(String value) {
    int colon = value.lastIndexOf(':');
    try {
      return new InetSocketAddress(value.substring(0, colon), Integer.parseInt(value.substring(colon + 1)));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("--listen takes HOST:PORT, such as 127.0.0.1:8080, got " + value);
    }
  }

  private static int positive(String option, String value) {
    try {
      int n = Integer.parseInt(value);
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // Reported below.
    }
    throw new IllegalArgumentException(option + " takes a positive whole number, got " + value);
  }

  private static Duration duration(String value) {
    try {
      return FlyReplay.parse("timeout=" + value).timeout().orElseThrow();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--retry-window takes a duration such as 2s or 500ms, got " + value);
    }
  }
}
