package dev.litefs.core.config;

import java.util.List;

/**
 * Binds a parsed {@code litefs.yml} to {@link LiteFsConfig}, key by key, with each section's defaults for what
 * the file leaves out. Type errors and unknown keys go to {@link Problems}, and binding goes on so that one run
 * reports them all.
 */
final class ConfigBinder {
  private ConfigBinder() {}

  static LiteFsConfig bind(YamlNode.Mapping root, Problems problems, ConfigKeys keys) {
    Section top = Section.root(root, problems, keys);
    LiteFsConfig d = LiteFsConfig.DEFAULT;
    LiteFsConfig config = new LiteFsConfig(
        top.bool("exit-on-error", d.exitOnError()),
        top.bool("skip-sync", d.skipSync()),
        top.bool("strict-verify", d.strictVerify()),
        exec(top),
        top.section("data", ConfigBinder::data),
        top.section("fuse", ConfigBinder::fuse),
        top.section("http", ConfigBinder::http),
        top.section("proxy", ConfigBinder::proxy),
        top.section("lease", ConfigBinder::lease),
        top.section("backup", ConfigBinder::backup),
        top.section("log", ConfigBinder::log),
        top.section("tracing", ConfigBinder::tracing));
    top.finish();
    return config;
  }

  /** {@code exec} is a command string or a list of {@code {cmd, if-candidate}}, as in LiteFS. */
  private static List<ExecEntry> exec(Section top) {
    YamlNode node = top.node("exec");
    if (node == null || node instanceof YamlNode.Scalar scalar && scalar.isNull()) {
      return List.of();
    }
    if (node instanceof YamlNode.Sequence sequence) {
      return top.sections("exec", sequence, item -> new ExecEntry(command(item, "cmd"),
          item.bool("if-candidate", false)));
    }
    if (node instanceof YamlNode.Scalar) {
      return List.of(new ExecEntry(command(top, "exec"), false));
    }
    top.error("exec", "exec must be a command or a list of {cmd, if-candidate}, got " + node.kind());
    return List.of();
  }

  /** An empty command would crash LiteFS when it runs; reject it here, where the form of exec is known. */
  private static String command(Section section, String key) {
    String cmd = section.string(key, "");
    if (cmd.isBlank() && section.isValueKnown(key)) {
      section.error(key, section.keyPath(key) + " must be a command, got an empty string");
    }
    return cmd;
  }

  private static DataConfig data(Section s) {
    DataConfig d = DataConfig.DEFAULT;
    return new DataConfig(
        s.string("dir", d.dir()),
        s.bool("compress", d.compress()),
        s.duration("retention", d.retention()),
        s.duration("retention-monitor-interval", d.retentionMonitorInterval()));
  }

  private static FuseConfig fuse(Section s) {
    FuseConfig d = FuseConfig.DEFAULT;
    return new FuseConfig(s.string("dir", d.dir()), s.bool("allow-other", d.allowOther()), s.bool("debug", d.debug()));
  }

  private static HttpConfig http(Section s) {
    HttpConfig d = HttpConfig.DEFAULT;
    return new HttpConfig(
        s.string("addr", d.addr()),
        s.duration("snapshot-timeout", d.snapshotTimeout()),
        Extensions.token(s));
  }

  private static ProxyConfig proxy(Section s) {
    ProxyConfig d = ProxyConfig.DEFAULT;
    return new ProxyConfig(
        s.string("addr", d.addr()),
        s.string("target", d.target()),
        s.string("db", d.db()),
        s.duration("max-lag", d.maxLag()),
        s.bool("debug", d.debug()),
        s.strings("passthrough", d.passthrough()),
        s.strings("always-forward", d.alwaysForward()),
        s.duration("primary-redirect-timeout", d.primaryRedirectTimeout()),
        s.duration("read-timeout", d.readTimeout()),
        s.duration("read-header-timeout", d.readHeaderTimeout()),
        s.duration("write-timeout", d.writeTimeout()),
        s.duration("idle-timeout", d.idleTimeout()));
  }

  private static LeaseConfig lease(Section s) {
    LeaseConfig d = LeaseConfig.DEFAULT;
    return new LeaseConfig(
        leaseType(s),
        s.string("hostname", d.hostname()),
        s.string("advertise-url", d.advertiseUrl()),
        s.bool("candidate", d.candidate()),
        s.bool("promote", d.promote()),
        s.duration("reconnect-delay", d.reconnectDelay()),
        s.duration("demote-delay", d.demoteDelay()),
        s.strings("databases", d.databases()),
        s.section("consul", ConfigBinder::consul),
        s.section("etcd", Extensions::etcd));
  }

  /** An empty type is left for validation, which reports it as missing; a wrong one is reported here. */
  private static LeaseType leaseType(Section s) {
    String name = s.string("type", "");
    if (name.isEmpty()) {
      return null;
    }
    return LeaseType.fromConfigName(name).orElseGet(() -> {
      s.error("type", "lease.type must be " + LeaseType.names() + ", got \"" + name + "\"");
      s.valueUnknown("type");
      return null;
    });
  }

  private static ConsulConfig consul(Section s) {
    ConsulConfig d = ConsulConfig.DEFAULT;
    return new ConsulConfig(
        s.string("url", d.url()),
        s.string("key", d.key()),
        s.duration("ttl", d.ttl()),
        s.duration("lock-delay", d.lockDelay()));
  }

  private static BackupConfig backup(Section s) {
    BackupConfig d = BackupConfig.DEFAULT;
    return new BackupConfig(
        s.string("type", d.type()),
        s.string("path", d.path()),
        s.string("url", d.url()),
        s.string("cluster", d.cluster()),
        s.string("auth-token", d.authToken()));
  }

  private static LogConfig log(Section s) {
    LogConfig d = LogConfig.DEFAULT;
    return new LogConfig(s.string("format", d.format()), s.bool("timestamp", d.timestamp()), s.bool("debug",
        d.debug()));
  }

  private static TracingConfig tracing(Section s) {
    TracingConfig d = TracingConfig.DEFAULT;
    return new TracingConfig(
        s.bool("enabled", d.enabled()),
        s.string("path", d.path()),
        s.integer("max-size", d.maxSize()),
        s.integer("max-count", d.maxCount()),
        s.bool("compress", d.compress()));
  }
}
