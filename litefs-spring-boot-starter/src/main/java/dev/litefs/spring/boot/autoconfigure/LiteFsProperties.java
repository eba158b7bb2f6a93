package dev.litefs.spring.boot.autoconfigure;

import dev.litefs.spring.LiteFsMode;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.util.unit.DataSize;

/** Configuration of the LiteFS starter ({@code litefs.*}). */
@ConfigurationProperties("litefs")
public class LiteFsProperties {

  /** Whether to enable the LiteFS integration at all. */
  private boolean enabled = true;

  /**
   * How this application reaches LiteFS: auto (sidecar on a live mount, managed when litefs.managed.config or
   * litefs.managed.lease.type is set and FUSE is available, dev otherwise), sidecar, managed or dev.
   */
  private LiteFsMode mode = LiteFsMode.AUTO;

  /** Directory where LiteFS mounts the databases (LiteFS's fuse.dir). */
  private Path mountDir = Path.of("/litefs");

  /**
   * Names of the databases in the mount (for example app.db). The first is the default database: the one the
   * DataSource opens and Flyway migrates.
   */
  private List<String> databases = new ArrayList<>();

  /**
   * This node's hostname as LiteFS knows it (lease.hostname). Defaults to FLY_MACHINE_ID, then HOSTNAME, then
   * the local host name.
   */
  private @Nullable String hostname;

  /**
   * Replication lag beyond which a replica reports itself not ready (LiteFS's proxy.max-lag). Zero disables
   * the check.
   */
  private Duration maxLag = Duration.ofSeconds(10);

  private final Sidecar sidecar = new Sidecar();

  @NestedConfigurationProperty
  private final LiteFsManagedProperties managed = new LiteFsManagedProperties();

  private final Dev dev = new Dev();

  private final Replay replay = new Replay();

  private final Consistency consistency = new Consistency();

  private final PrimaryOnly primaryOnly = new PrimaryOnly();

  private final Datasource datasource = new Datasource();

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public LiteFsMode getMode() {
    return mode;
  }

  public void setMode(LiteFsMode mode) {
    this.mode = mode;
  }

  public Path getMountDir() {
    return mountDir;
  }

  public void setMountDir(Path mountDir) {
    this.mountDir = mountDir;
  }

  public List<String> getDatabases() {
    return databases;
  }

  public void setDatabases(List<String> databases) {
    this.databases = databases;
  }

  public @Nullable String getHostname() {
    return hostname;
  }

  public void setHostname(@Nullable String hostname) {
    this.hostname = hostname;
  }

  public Duration getMaxLag() {
    return maxLag;
  }

  public void setMaxLag(Duration maxLag) {
    this.maxLag = maxLag;
  }

  public Sidecar getSidecar() {
    return sidecar;
  }

  public Dev getDev() {
    return dev;
  }

  public LiteFsManagedProperties getManaged() {
    return managed;
  }

  public Replay getReplay() {
    return replay;
  }

  public Consistency getConsistency() {
    return consistency;
  }

  public PrimaryOnly getPrimaryOnly() {
    return primaryOnly;
  }

  public Datasource getDatasource() {
    return datasource;
  }

  /** Sidecar mode: a mount run by {@code litefs mount}. */
  public static class Sidecar {

    /** URL of the LiteFS node API's event stream (LiteFS's http.addr plus /events). */
    private URI eventsUrl = URI.create("http://localhost:20202/events");

    /** How long startup waits for the event stream's first event before trusting the mount's files alone. */
    private Duration initialConnectTimeout = Duration.ofSeconds(5);

    /** First delay before reconnecting to a dropped event stream; doubles on each failure. */
    private Duration reconnectMinDelay = Duration.ofMillis(100);

    /** Longest delay between reconnection attempts to the event stream. */
    private Duration reconnectMaxDelay = Duration.ofSeconds(5);

    /**
     * While waiting for a position, how often the -pos file is re-read in case a tx event was lost (the stream
     * was reconnecting, or LiteFS dropped a slow subscriber). Events wake waiters at once; this only bounds the
     * delay when they do not arrive.
     */
    private Duration positionRecheckInterval = Duration.ofMillis(20);

    /** The node API's token (LiteFS's http.token), sent as a bearer token with the event stream request. */
    private @Nullable String token;

    public URI getEventsUrl() {
      return eventsUrl;
    }

    public void setEventsUrl(URI eventsUrl) {
      this.eventsUrl = eventsUrl;
    }

    public Duration getInitialConnectTimeout() {
      return initialConnectTimeout;
    }

    public void setInitialConnectTimeout(Duration initialConnectTimeout) {
      this.initialConnectTimeout = initialConnectTimeout;
    }

    public Duration getReconnectMinDelay() {
      return reconnectMinDelay;
    }

    public void setReconnectMinDelay(Duration reconnectMinDelay) {
      this.reconnectMinDelay = reconnectMinDelay;
    }

    public Duration getReconnectMaxDelay() {
      return reconnectMaxDelay;
    }

    public void setReconnectMaxDelay(Duration reconnectMaxDelay) {
      this.reconnectMaxDelay = reconnectMaxDelay;
    }

    public Duration getPositionRecheckInterval() {
      return positionRecheckInterval;
    }

    public void setPositionRecheckInterval(Duration positionRecheckInterval) {
      this.positionRecheckInterval = positionRecheckInterval;
    }

    public @Nullable String getToken() {
      return token;
    }

    public void setToken(@Nullable String token) {
      this.token = token;
    }
  }

  /** Dev mode: plain files, no replication, always primary. */
  public static class Dev {

    /** Directory holding the database files in dev mode; created when missing. */
    private Path dir = Path.of("litefs-dev");

    public Path getDir() {
      return dir;
    }

    public void setDir(Path dir) {
      this.dir = dir;
    }
  }

  /** How a replica sends requests that need the primary. */
  public static class Replay {

    /**
     * fly: answer with a fly-replay header that Fly.io's edge replays on the primary; forward: proxy the
     * request to the primary's URL; auto: fly when FLY_APP_NAME is set, otherwise forward.
     */
    private ReplayMode mode = ReplayMode.AUTO;

    /**
     * URL of the primary application in forward mode, with {hostname} standing for the primary's hostname,
     * for example http://{hostname}:8080. The request's path and query are appended.
     */
    private @Nullable String primaryUrlTemplate;

    /** The timeout= field of fly-replay: how long Fly.io's proxy keeps trying to reach the primary. */
    private Duration flyTimeout = Duration.ofSeconds(5);

    /** Connect timeout when forwarding to the primary. */
    private Duration forwardConnectTimeout = Duration.ofSeconds(2);

    /** How long a forwarded request may wait for the primary's response headers. */
    private Duration forwardTimeout = Duration.ofSeconds(60);

    /**
     * Largest request body a replica keeps so that it can still forward a request after its handler started
     * reading it (forward mode only; Fly.io's own limit for replays is 1 MB).
     */
    private DataSize maxForwardBodySize = DataSize.ofMegabytes(1);

    /** Retry-After sent with 503 when no primary is known or it cannot be reached. */
    private Duration retryAfter = Duration.ofSeconds(1);

    public ReplayMode getMode() {
      return mode;
    }

    public void setMode(ReplayMode mode) {
      this.mode = mode;
    }

    public @Nullable String getPrimaryUrlTemplate() {
      return primaryUrlTemplate;
    }

    public void setPrimaryUrlTemplate(@Nullable String primaryUrlTemplate) {
      this.primaryUrlTemplate = primaryUrlTemplate;
    }

    public Duration getFlyTimeout() {
      return flyTimeout;
    }

    public void setFlyTimeout(Duration flyTimeout) {
      this.flyTimeout = flyTimeout;
    }

    public Duration getForwardConnectTimeout() {
      return forwardConnectTimeout;
    }

    public void setForwardConnectTimeout(Duration forwardConnectTimeout) {
      this.forwardConnectTimeout = forwardConnectTimeout;
    }

    public Duration getForwardTimeout() {
      return forwardTimeout;
    }

    public void setForwardTimeout(Duration forwardTimeout) {
      this.forwardTimeout = forwardTimeout;
    }

    public DataSize getMaxForwardBodySize() {
      return maxForwardBodySize;
    }

    public void setMaxForwardBodySize(DataSize maxForwardBodySize) {
      this.maxForwardBodySize = maxForwardBodySize;
    }

    public Duration getRetryAfter() {
      return retryAfter;
    }

    public void setRetryAfter(Duration retryAfter) {
      this.retryAfter = retryAfter;
    }
  }

  /** How a replica sends a request to the primary. */
  public enum ReplayMode {
    /** fly when FLY_APP_NAME is set, otherwise forward. */
    AUTO,
    /** Answer with fly-replay; Fly.io's edge replays the request on the primary. */
    FLY,
    /** Proxy the request to the primary's URL and stream its answer back. */
    FORWARD
  }

  /** Read-your-writes across nodes. */
  public static class Consistency {

    /** Whether responses to writes carry the TXID cookie and replicas wait for it. */
    private boolean enabled = true;

    /**
     * How long a replica waits for replication to reach a request's TXID before sending the request to the
     * primary instead.
     */
    private Duration maxWait = Duration.ofSeconds(1);

    /** Name of the cookie that carries the TXID (LiteFS's proxy uses __txid). */
    private String cookieName = "__txid";

    /** Name of the request and response header that carries the TXID, for clients without cookies. */
    private String headerName = "Litefs-Txid";

    /** Lifetime of the TXID cookie. */
    private Duration cookieMaxAge = Duration.ofMinutes(5);

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public Duration getMaxWait() {
      return maxWait;
    }

    public void setMaxWait(Duration maxWait) {
      this.maxWait = maxWait;
    }

    public String getCookieName() {
      return cookieName;
    }

    public void setCookieName(String cookieName) {
      this.cookieName = cookieName;
    }

    public String getHeaderName() {
      return headerName;
    }

    public void setHeaderName(String headerName) {
      this.headerName = headerName;
    }

    public Duration getCookieMaxAge() {
      return cookieMaxAge;
    }

    public void setCookieMaxAge(Duration cookieMaxAge) {
      this.cookieMaxAge = cookieMaxAge;
    }
  }

  /** Primary-only scheduled jobs and lifecycle beans. */
  public static class PrimaryOnly {

    /** How long demotion waits for a primary-only lifecycle bean to finish its in-flight work and stop. */
    private Duration stopTimeout = Duration.ofSeconds(30);

    public Duration getStopTimeout() {
      return stopTimeout;
    }

    public void setStopTimeout(Duration stopTimeout) {
      this.stopTimeout = stopTimeout;
    }
  }

  /** The SQLite DataSource for the default database. */
  public static class Datasource {

    /** Whether to create a DataSource for the default database when the application defines none. */
    private boolean enabled = true;

    /** Journal mode the primary sets on the default database at startup; replicas inherit it. */
    private JournalMode journalMode = JournalMode.WAL;

    /** How long a connection waits for a lock held by another connection (SQLite's busy_timeout). */
    private Duration busyTimeout = Duration.ofSeconds(5);

    /** Whether to enforce foreign keys (SQLite leaves them off by default). */
    private boolean foreignKeys = true;

    /**
     * Connections for read-only transactions (@Transactional(readOnly = true)). All other work goes through a
     * single writer connection, since SQLite has one writer at a time.
     */
    private int readerPoolSize = 4;

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public JournalMode getJournalMode() {
      return journalMode;
    }

    public void setJournalMode(JournalMode journalMode) {
      this.journalMode = journalMode;
    }

    public Duration getBusyTimeout() {
      return busyTimeout;
    }

    public void setBusyTimeout(Duration busyTimeout) {
      this.busyTimeout = busyTimeout;
    }

    public boolean isForeignKeys() {
      return foreignKeys;
    }

    public void setForeignKeys(boolean foreignKeys) {
      this.foreignKeys = foreignKeys;
    }

    public int getReaderPoolSize() {
      return readerPoolSize;
    }

    public void setReaderPoolSize(int readerPoolSize) {
      this.readerPoolSize = readerPoolSize;
    }
  }

  /** SQLite journal modes that LiteFS replicates. */
  public enum JournalMode {
    /** Write-ahead log: readers do not block the writer. */
    WAL,
    /** Rollback journal, deleted at commit. */
    DELETE,
    /** Rollback journal, truncated at commit. */
    TRUNCATE,
    /** Rollback journal, header zeroed at commit. */
    PERSIST,
    /** Leave the database's journal mode as it is. */
    UNCHANGED
  }
}
