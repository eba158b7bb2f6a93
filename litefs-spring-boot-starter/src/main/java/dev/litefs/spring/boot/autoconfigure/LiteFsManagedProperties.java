package dev.litefs.spring.boot.autoconfigure;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Managed mode ({@code litefs.managed.*}): the starter runs the engine as a child process. Either point
 * {@code config} at a {@code litefs.yml}, or set {@code lease.type} and the starter writes one from these
 * properties; each {@code litefs.managed.X} is the {@code litefs.yml} key {@code X} (docs/config.md), and
 * {@code fuse.dir} is {@code litefs.mount-dir}. With neither, the engine's own search applies: {@code
 * ./litefs.yml}, {@code ~/litefs.yml}, {@code /etc/litefs.yml}.
 */
public class LiteFsManagedProperties {

  /**
   * A litefs.yml for the engine, used as written (with the engine's environment expansion). When set, the
   * litefs.managed.data, http and lease properties are ignored, and litefs.mount-dir defaults to its fuse.dir.
   */
  private @Nullable Path config;

  /**
   * JVM options of the engine's process, split at spaces. Unset: the LITEFS_JAVA_OPTS environment variable,
   * else a 64 MB heap with serial GC and C1 only.
   */
  private @Nullable String jvmOptions;

  /** The java launcher that runs the engine. Defaults to the one running the application (java.home). */
  private @Nullable Path java;

  /**
   * How long startup waits for the engine to be ready: mounted, and primary or synced with the primary once.
   * Zero waits without limit.
   */
  private Duration startupTimeout = Duration.ofMinutes(5);

  /** How long shutdown waits for the engine to exit after SIGTERM before it is killed (SIGKILL). */
  private Duration stopTimeout = Duration.ofSeconds(10);

  /** Log the engine at debug level (LiteFS's -debug). */
  private boolean debug;

  private final Data data = new Data();

  private final Http http = new Http();

  private final Lease lease = new Lease();

  public @Nullable Path getConfig() {
    return config;
  }

  public void setConfig(@Nullable Path config) {
    this.config = config;
  }

  public @Nullable String getJvmOptions() {
    return jvmOptions;
  }

  public void setJvmOptions(@Nullable String jvmOptions) {
    this.jvmOptions = jvmOptions;
  }

  public @Nullable Path getJava() {
    return java;
  }

  public void setJava(@Nullable Path java) {
    this.java = java;
  }

  public Duration getStartupTimeout() {
    return startupTimeout;
  }

  public void setStartupTimeout(Duration startupTimeout) {
    this.startupTimeout = startupTimeout;
  }

  public Duration getStopTimeout() {
    return stopTimeout;
  }

  public void setStopTimeout(Duration stopTimeout) {
    this.stopTimeout = stopTimeout;
  }

  public boolean isDebug() {
    return debug;
  }

  public void setDebug(boolean debug) {
    this.debug = debug;
  }

  public Data getData() {
    return data;
  }

  public Http getHttp() {
    return http;
  }

  public Lease getLease() {
    return lease;
  }

  /** litefs.yml's {@code data} section. */
  public static class Data {

    /** Where the engine keeps its databases and LTX files (data.dir); never the mount directory. */
    private Path dir = Path.of("/var/lib/litefs");

    /** How long LTX files are kept for replicas that fall behind (data.retention). */
    private Duration retention = Duration.ofMinutes(10);

    public Path getDir() {
      return dir;
    }

    public void setDir(Path dir) {
      this.dir = dir;
    }

    public Duration getRetention() {
      return retention;
    }

    public void setRetention(Duration retention) {
      this.retention = retention;
    }
  }

  /** litefs.yml's {@code http} section: the node API that replicas stream from. */
  public static class Http {

    /** Listen address of the node API (http.addr); the starter reads /events there. */
    private String addr = ":20202";

    /** Shared secret that node API requests must carry (http.token, an extension); empty means none. */
    private @Nullable String token;

    public String getAddr() {
      return addr;
    }

    public void setAddr(String addr) {
      this.addr = addr;
    }

    public @Nullable String getToken() {
      return token;
    }

    public void setToken(@Nullable String token) {
      this.token = token;
    }
  }

  /** litefs.yml's {@code lease} section: how the primary is elected. */
  public static class Lease {

    /** static, consul or etcd. Setting it makes the starter write the litefs.yml from litefs.managed.*. */
    private @Nullable String type;

    /**
     * lease.hostname: this node's name in .primary and fly-replay. Defaults to litefs.hostname. With a static
     * lease, a replica names the primary here, as in LiteFS.
     */
    private @Nullable String hostname;

    /**
     * lease.advertise-url: this node's API URL for other nodes (default http://hostname:port). With a static
     * lease, a replica sets the primary's URL here, as in LiteFS.
     */
    private @Nullable URI advertiseUrl;

    /** lease.candidate: whether this node may become primary (with a static lease: whether it is). */
    private boolean candidate = true;

    /** lease.promote: take over as primary once synced, if a candidate (for deploys). */
    private boolean promote;

    private final Consul consul = new Consul();

    private final Etcd etcd = new Etcd();

    public @Nullable String getType() {
      return type;
    }

    public void setType(@Nullable String type) {
      this.type = type;
    }

    public @Nullable String getHostname() {
      return hostname;
    }

    public void setHostname(@Nullable String hostname) {
      this.hostname = hostname;
    }

    public @Nullable URI getAdvertiseUrl() {
      return advertiseUrl;
    }

    public void setAdvertiseUrl(@Nullable URI advertiseUrl) {
      this.advertiseUrl = advertiseUrl;
    }

    public boolean isCandidate() {
      return candidate;
    }

    public void setCandidate(boolean candidate) {
      this.candidate = candidate;
    }

    public boolean isPromote() {
      return promote;
    }

    public void setPromote(boolean promote) {
      this.promote = promote;
    }

    public Consul getConsul() {
      return consul;
    }

    public Etcd getEtcd() {
      return etcd;
    }
  }

  /** lease.consul. */
  public static class Consul {

    /** Consul URL (lease.consul.url); its user info's password is the ACL token. Empty: the local agent. */
    private @Nullable URI url;

    /** Key the primary holds, unique per cluster (lease.consul.key). */
    private @Nullable String key;

    /** Session TTL (lease.consul.ttl): how long a crashed primary blocks writes. */
    private Duration ttl = Duration.ofSeconds(10);

    /** Wait after a lost session before another node may take the key (lease.consul.lock-delay). */
    private Duration lockDelay = Duration.ofSeconds(1);

    public @Nullable URI getUrl() {
      return url;
    }

    public void setUrl(@Nullable URI url) {
      this.url = url;
    }

    public @Nullable String getKey() {
      return key;
    }

    public void setKey(@Nullable String key) {
      this.key = key;
    }

    public Duration getTtl() {
      return ttl;
    }

    public void setTtl(Duration ttl) {
      this.ttl = ttl;
    }

    public Duration getLockDelay() {
      return lockDelay;
    }

    public void setLockDelay(Duration lockDelay) {
      this.lockDelay = lockDelay;
    }
  }

  /** lease.etcd (an extension). */
  public static class Etcd {

    /** etcd client URLs (lease.etcd.endpoints). */
    private List<URI> endpoints = new ArrayList<>();

    /** Key the primary holds, unique per cluster (lease.etcd.key). */
    private @Nullable String key;

    /** Lease TTL in whole seconds (lease.etcd.ttl): how long a crashed primary blocks writes. */
    private Duration ttl = Duration.ofSeconds(10);

    public List<URI> getEndpoints() {
      return endpoints;
    }

    public void setEndpoints(List<URI> endpoints) {
      this.endpoints = endpoints;
    }

    public @Nullable String getKey() {
      return key;
    }

    public void setKey(@Nullable String key) {
      this.key = key;
    }

    public Duration getTtl() {
      return ttl;
    }

    public void setTtl(Duration ttl) {
      this.ttl = ttl;
    }
  }
}
