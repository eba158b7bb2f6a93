package dev.litefs.spring.boot.autoconfigure;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Writes the {@code litefs.yml} of managed mode from {@code litefs.managed.*}. Values are already resolved by
 * Spring, so the engine reads the file with {@code -no-expand-env}: a {@code $} in a token stays a {@code $}.
 * Every string is double-quoted and escaped, so no value can add keys. Keys left unset keep LiteFS's defaults.
 */
final class LiteFsYml {

  private LiteFsYml() {}

  /**
   * Renders the file.
   *
   * @param mountDir fuse.dir ({@code litefs.mount-dir})
   * @param hostname lease.hostname unless {@code litefs.managed.lease.hostname} is set: this node's name
   */
  static String render(LiteFsManagedProperties managed, Path mountDir, String hostname) {
    LiteFsManagedProperties.Lease lease = managed.getLease();
    StringBuilder y = new StringBuilder();
    y.append("# Written by litefs-spring-boot-starter (managed mode) from litefs.managed.*; read with -no-expand-env.\n");
    y.append("fuse:\n");
    y.append("  dir: ").append(quote(mountDir.toAbsolutePath().toString())).append('\n');
    y.append("data:\n");
    y.append("  dir: ").append(quote(managed.getData().getDir().toAbsolutePath().toString())).append('\n');
    y.append("  retention: ").append(duration(managed.getData().getRetention())).append('\n');
    y.append("http:\n");
    y.append("  addr: ").append(quote(managed.getHttp().getAddr())).append('\n');
    if (hasText(managed.getHttp().getToken())) {
      y.append("  token: ").append(quote(managed.getHttp().getToken())).append('\n');
    }
    y.append("lease:\n");
    y.append("  type: ").append(quote(String.valueOf(lease.getType()).toLowerCase(Locale.ROOT))).append('\n');
    y.append("  hostname: ").append(quote(hasText(lease.getHostname()) ? lease.getHostname() : hostname)).append('\n');
    if (lease.getAdvertiseUrl() != null) {
      y.append("  advertise-url: ").append(quote(lease.getAdvertiseUrl().toString())).append('\n');
    }
    y.append("  candidate: ").append(lease.isCandidate()).append('\n');
    y.append("  promote: ").append(lease.isPromote()).append('\n');
    LiteFsManagedProperties.Consul consul = lease.getConsul();
    if (consul.getUrl() != null || hasText(consul.getKey())) {
      y.append("  consul:\n");
      if (consul.getUrl() != null) {
        y.append("    url: ").append(quote(consul.getUrl().toString())).append('\n');
      }
      if (hasText(consul.getKey())) {
        y.append("    key: ").append(quote(consul.getKey())).append('\n');
      }
      y.append("    ttl: ").append(duration(consul.getTtl())).append('\n');
      y.append("    lock-delay: ").append(duration(consul.getLockDelay())).append('\n');
    }
    LiteFsManagedProperties.Etcd etcd = lease.getEtcd();
    if (!etcd.getEndpoints().isEmpty() || hasText(etcd.getKey())) {
      y.append("  etcd:\n");
      y.append("    endpoints: ").append(list(etcd.getEndpoints())).append('\n');
      if (hasText(etcd.getKey())) {
        y.append("    key: ").append(quote(etcd.getKey())).append('\n');
      }
      y.append("    ttl: ").append(duration(etcd.getTtl())).append('\n');
    }
    if (managed.isDebug()) {
      y.append("log:\n  debug: true\n");
    }
    return y.toString();
  }

  private static boolean hasText(@Nullable String s) {
    return s != null && !s.isBlank();
  }

  private static String list(List<URI> uris) {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < uris.size(); i++) {
      b.append(i == 0 ? "" : ", ").append(quote(uris.get(i).toString()));
    }
    return b.append(']').toString();
  }

  /** Go's duration syntax, which litefs.yml uses: whole seconds as {@code 10s}, else milliseconds or nanoseconds. */
  static String duration(Duration d) {
    if (d.isZero()) {
      return "0s";
    }
    if (d.getNano() == 0) {
      return d.getSeconds() + "s";
    }
    if (d.getNano() % 1_000_000 == 0) {
      return d.toMillis() + "ms";
    }
    return d.toNanos() + "ns";
  }

  /** A YAML double-quoted scalar: backslash, quote and control characters escaped. */
  static String quote(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\t' -> b.append("\\t");
        case '\r' -> b.append("\\r");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            b.append(String.format("\\x%02x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }
}
