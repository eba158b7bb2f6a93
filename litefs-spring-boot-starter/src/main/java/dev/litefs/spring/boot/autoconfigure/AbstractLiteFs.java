package dev.litefs.spring.boot.autoconfigure;

import dev.litefs.core.ltx.Pos;
import dev.litefs.spring.LiteFs;
import dev.litefs.spring.NotPrimaryException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.context.SmartLifecycle;

/** What every mode shares: the configured databases, this node's name, and the role-event plumbing. */
abstract class AbstractLiteFs implements LiteFs, InitializingBean, DisposableBean, SmartLifecycle {

  /** Start early and stop late: everything primary-only depends on the role being known. */
  static final int PHASE = Integer.MIN_VALUE + 1000;

  private final String hostname;
  private final List<String> databases;
  private final Set<String> databaseSet;
  private final Path dir;
  final RolePublisher roles;
  private volatile boolean running;

  AbstractLiteFs(String hostname, List<String> databases, Path dir, RolePublisher roles) {
    this.hostname = hostname;
    this.databases = List.copyOf(databases);
    this.databaseSet = Set.copyOf(databases);
    this.dir = dir;
    this.roles = roles;
  }

  @Override
  public final String hostname() {
    return hostname;
  }

  @Override
  public final List<String> databases() {
    return databases;
  }

  @Override
  public final Path databasePath(String database) {
    checkDatabase(database);
    return dir.resolve(database);
  }

  @Override
  public final Map<String, Pos> positions() {
    Map<String, Pos> out = new LinkedHashMap<>();
    for (String db : databases) {
      out.put(db, position(db));
    }
    return out;
  }

  @Override
  public final void requirePrimary() {
    if (!isPrimary()) {
      throw new NotPrimaryException("This operation needs the primary; this node (" + hostname + ") is a replica",
          primaryHostname().orElse(null));
    }
    RequestWriteMarker.markWrite();
  }

  /**
   * Returns {@code true} when primary-only work may run: this node is primary and the listeners of its
   * promotion (pending migrations among them) have all run.
   */
  final boolean primaryWorkAllowed() {
    return isPrimary() && !roles.promotionPending();
  }

  final void checkDatabase(String database) {
    if (!databaseSet.contains(database)) {
      throw new IllegalArgumentException("Unknown database " + Hostnames.quote(database)
          + "; the databases in litefs.databases are " + databases);
    }
  }

  final Path dir() {
    return dir;
  }

  @Override
  public void afterPropertiesSet() throws Exception {}

  @Override
  public void destroy() {
    roles.shutdown();
  }

  @Override
  public void start() {
    roles.start();
    running = true;
  }

  @Override
  public void stop() {
    roles.stop();
    running = false;
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public int getPhase() {
    return PHASE;
  }
}
