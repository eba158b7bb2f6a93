package dev.litefs.spring.boot.autoconfigure;

import dev.litefs.core.ltx.Pos;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads LiteFS's virtual files in a mount: {@code .primary} (the primary's hostname, present only on a
 * connected replica), {@code <db>-pos} ({@code %016x/%016x\n}) and {@code .lag} ({@code %+010d\n}, in ms).
 * Every read goes to the file: LiteFS generates their content on each read.
 */
final class MountFiles {
  private static final Logger log = LoggerFactory.getLogger(MountFiles.class);

  /** The {@code .lag} value LiteFS reports before a replica's first sync ({@code math.MaxInt32} ms). */
  static final long LAG_BEFORE_FIRST_SYNC_MS = Integer.MAX_VALUE;

  /** Longest content accepted from a virtual file; LiteFS's are 34 bytes at most, plus a hostname. */
  private static final int MAX_FILE_BYTES = 512;

  private final Path dir;

  MountFiles(Path dir) {
    this.dir = dir;
  }

  Path dir() {
    return dir;
  }

  /**
   * Returns {@code true} when {@code dir} is a live LiteFS mount: LiteFS always serves {@code .lag}. Asked with a
   * directory listing, because the kernel answers a stat of a dead mount (its server was killed) from its cache
   * for as long as the mount's entry timeout, while a listing fails ("Transport endpoint is not connected").
   */
  static boolean isMount(Path dir) {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.anyMatch(p -> p.getFileName().toString().equals(".lag")) && Files.isRegularFile(dir.resolve(".lag"));
    } catch (IOException | UncheckedIOException e) {
      return false;
    }
  }

  /** What {@code .primary} says. */
  record PrimaryFile(boolean present, Optional<String> hostname) {
    static final PrimaryFile ABSENT = new PrimaryFile(false, Optional.empty());
  }

  /**
   * Reads {@code .primary}. A present file whose content is not a valid hostname (see {@link Hostnames})
   * yields a present file with no hostname, and a warning that quotes the content safely.
   */
  PrimaryFile readPrimary() {
    Optional<String> text = read(dir.resolve(".primary"));
    if (text.isEmpty()) {
      return PrimaryFile.ABSENT;
    }
    String name = text.get().strip();
    if (!Hostnames.isValid(name)) {
      log.warn("Ignoring the primary hostname in {}: {} is not a valid hostname; treating the primary as unknown",
          dir.resolve(".primary"), Hostnames.quote(name));
      return new PrimaryFile(true, Optional.empty());
    }
    return new PrimaryFile(true, Optional.of(name));
  }

  /** Reads {@code <db>-pos}; {@link Pos#ZERO} when the database does not exist yet or the file is malformed. */
  Pos readPosition(String database) {
    Path file = dir.resolve(database + "-pos");
    Optional<String> text = read(file);
    if (text.isEmpty()) {
      return Pos.ZERO;
    }
    String s = text.get();
    if (s.endsWith("\n")) {
      s = s.substring(0, s.length() - 1);
    }
    try {
      return Pos.parse(s);
    } catch (IllegalArgumentException e) {
      log.warn("Ignoring malformed position file {}: {}", file, Hostnames.quote(s));
      return Pos.ZERO;
    }
  }

  /** Reads {@code .lag}: empty before the first sync and when the file is missing or malformed. */
  Optional<Duration> readLag() {
    Path file = dir.resolve(".lag");
    Optional<String> text = read(file);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    String s = text.get().strip();
    try {
      long ms = Long.parseLong(s);
      if (ms >= LAG_BEFORE_FIRST_SYNC_MS) {
        return Optional.empty();
      }
      return Optional.of(Duration.ofMillis(Math.max(0, ms)));
    } catch (NumberFormatException e) {
      log.warn("Ignoring malformed lag file {}: {}", file, Hostnames.quote(s));
      return Optional.empty();
    }
  }

  private static Optional<String> read(Path file) {
    try {
      byte[] bytes;
      try (InputStream in = Files.newInputStream(file)) {
        bytes = in.readNBytes(MAX_FILE_BYTES + 1);
      }
      if (bytes.length > MAX_FILE_BYTES) {
        log.warn("Ignoring {}: it holds more than the {} bytes LiteFS ever writes there", file, MAX_FILE_BYTES);
        return Optional.of("");
      }
      return Optional.of(new String(bytes, StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      log.warn("Cannot read {}: {}", file, e.toString());
      return Optional.empty();
    }
  }
}
