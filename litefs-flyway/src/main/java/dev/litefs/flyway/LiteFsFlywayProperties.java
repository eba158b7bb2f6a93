package dev.litefs.flyway;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** Configuration of Flyway on LiteFS ({@code litefs.flyway.*}). */
@ConfigurationProperties("litefs.flyway")
public class LiteFsFlywayProperties {

  /** Whether migrations run only on the primary, with replicas waiting for the schema. */
  private boolean enabled = true;

  /**
   * How long a replica's startup waits for replication to bring the application's latest schema. After that
   * the application starts but reports itself not ready until the schema arrives.
   */
  private Duration replicaWait = Duration.ofSeconds(60);

  /** The database Flyway migrates; defaults to the first of litefs.databases. */
  private @Nullable String database;

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public Duration getReplicaWait() {
    return replicaWait;
  }

  public void setReplicaWait(Duration replicaWait) {
    this.replicaWait = replicaWait;
  }

  public @Nullable String getDatabase() {
    return database;
  }

  public void setDatabase(@Nullable String database) {
    this.database = database;
  }
}
