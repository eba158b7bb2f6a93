package dev.litefs.core.config;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Writes config files for tests, and loads them with an environment given as a map (no real variables). */
final class ConfigFiles {
  /** A sample with every key of LiteFS v0.5.14's schema set to a value other than its default. */
  static final String FULL_UPSTREAM = """
      exit-on-error: false
      skip-sync: true
      strict-verify: true
      exec:
        - cmd: "rails db:migrate"
          if-candidate: true
        - cmd: "rails server -p 8081"
      data:
        dir: "/data/litefs"
        compress: false
        retention: "1h"
        retention-monitor-interval: "30s"
      fuse:
        dir: "/mnt/litefs"
        allow-other: true
        debug: true
      http:
        addr: ":30303"
        snapshot-timeout: "2m"
      proxy:
        addr: ":8080"
        target: "localhost:8081"
        db: "my.db"
        max-lag: "20s"
        debug: true
        passthrough: ["/debug/*", "*.png"]
        always-forward: ["/admin/*"]
        primary-redirect-timeout: "7s"
        read-timeout: "1s"
        read-header-timeout: "2s"
        write-timeout: "3s"
        idle-timeout: "4s"
      lease:
        type: "consul"
        hostname: "myhost"
        advertise-url: "http://myhost:30303"
        candidate: false
        promote: true
        reconnect-delay: "2s"
        demote-delay: "20s"
        databases: ["a.db", "b.db"]
        consul:
          url: "https://:secret@consul.example.com/prefix"
          key: "litefs/primary"
          ttl: "15s"
          lock-delay: "2s"
      backup:
        type: "file"
        path: "/backups"
        url: "https://backup.example.com"
        cluster: "mycluster"
        auth-token: "token123"
      log:
        format: "json"
        timestamp: true
        debug: true
      tracing:
        enabled: false
        path: "/var/log/litefs/trace.log"
        max-size: 32
        max-count: 10
        compress: false
      """;

  private ConfigFiles() {}

  static Path write(Path dir, String yaml) {
    try {
      return Files.writeString(dir.resolve("litefs.yml"), yaml, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A loader whose environment is {@code env}. */
  static ConfigLoader loader(Map<String, String> env) {
    return new ConfigLoader(env::get);
  }

  /** Loads {@code yaml} with expansion from {@code env}. */
  static LiteFsConfig load(Path dir, String yaml, Map<String, String> env) {
    return loader(env).load(write(dir, yaml), true).config();
  }

  static LiteFsConfig load(Path dir, String yaml) {
    return load(dir, yaml, Map.of());
  }

  /** Checks {@code yaml} as {@code --validate} does, and returns the problems as text. */
  static List<String> check(Path dir, String yaml) {
    return relative(dir, loader(Map.of()).check(write(dir, yaml), true));
  }

  /** The problems loading {@code yaml} reports, as {@code litefs.yml:line: message}; empty when it loads. */
  static List<String> loadProblems(Path dir, String yaml) {
    return loadProblems(dir, yaml, Map.of());
  }

  static List<String> loadProblems(Path dir, String yaml, Map<String, String> env) {
    try {
      load(dir, yaml, env);
      return List.of();
    } catch (ConfigException e) {
      return relative(dir, e.problems());
    }
  }

  /** Returns the problems as text, with the file named as the user would have named it: litefs.yml. */
  static List<String> relative(Path dir, List<ConfigProblem> problems) {
    return problems.stream().map(p -> p.toString().replace(dir + File.separator, "")).toList();
  }
}
