package dev.litefs.spring.boot.autoconfigure;

import dev.litefs.core.ltx.Pos;
import dev.litefs.core.ltx.Txid;
import dev.litefs.spring.LiteFsMode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Dev mode: plain SQLite files in a directory, no replication, always primary. */
final class DevLiteFs extends AbstractLiteFs {
  private static final Logger log = LoggerFactory.getLogger(DevLiteFs.class);

  DevLiteFs(String hostname, List<String> databases, Path dir, RolePublisher roles) {
    super(hostname, databases, dir.toAbsolutePath(), roles);
  }

  @Override
  public void afterPropertiesSet() {
    try {
      Files.createDirectories(dir());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create the LiteFS dev directory " + dir(), e);
    }
    log.warn("LiteFS dev mode: no FUSE mount and no replication. The databases {} are plain files in {}, and this "
        + "node is always the primary. Do not run a cluster like this.", databases(), dir());
  }

  @Override
  public LiteFsMode mode() {
    return LiteFsMode.DEV;
  }

  @Override
  public boolean isPrimary() {
    return true;
  }

  @Override
  public Optional<String> primaryHostname() {
    return Optional.of(hostname());
  }

  @Override
  public Pos position(String database) {
    checkDatabase(database);
    return Pos.ZERO;
  }

  @Override
  public Optional<Duration> lag() {
    return Optional.of(Duration.ZERO);
  }

  @Override
  public boolean awaitPosition(String database, Txid txid, Duration timeout) {
    checkDatabase(database);
    return true;
  }

  @Override
  public boolean isSynced() {
    return true;
  }

  @Override
  public boolean isConnected() {
    return true;
  }
}
