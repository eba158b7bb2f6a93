package dev.litefs.spring.boot.autoconfigure;

import dev.litefs.spring.testing.AppProcess;
import dev.litefs.spring.testing.FreePorts;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Properties of {@link ManagedTestApp} nodes in managed mode on loopback, each in its own directory. */
final class ManagedCluster {
  private ManagedCluster() {}

  /** A node's settings: its directory, mount, data and node API port; the lease settings are added by callers. */
  static Map<String, String> node(Path dir, String hostname, int apiPort) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("litefs.mode", "managed");
    p.put("litefs.hostname", hostname);
    p.put("litefs.databases", "app.db");
    p.put("litefs.mount-dir", dir.resolve("mnt").toString());
    p.put("litefs.managed.data.dir", dir.resolve("data").toString());
    p.put("litefs.managed.http.addr", "127.0.0.1:" + apiPort);
    // The answers a replica gives on Fly.io: what these tests look at.
    p.put("litefs.replay.mode", "fly");
    return p;
  }

  static URI api(int port) {
    return URI.create("http://127.0.0.1:" + port);
  }

  /** A static primary named {@code hostname}. */
  static Map<String, String> staticPrimary(Path dir, String hostname, int apiPort) {
    Map<String, String> p = node(dir, hostname, apiPort);
    p.put("litefs.managed.lease.type", "static");
    p.put("litefs.managed.lease.candidate", "true");
    p.put("litefs.managed.lease.advertise-url", api(apiPort).toString());
    return p;
  }

  /** A static replica: as in LiteFS, its lease names the primary's hostname and URL. */
  static Map<String, String> staticReplica(Path dir, String hostname, String primary, int primaryApiPort) {
    Map<String, String> p = node(dir, hostname, FreePorts.next());
    p.put("litefs.managed.lease.type", "static");
    p.put("litefs.managed.lease.candidate", "false");
    p.put("litefs.managed.lease.hostname", primary);
    p.put("litefs.managed.lease.advertise-url", api(primaryApiPort).toString());
    return p;
  }

  /** A candidate of an etcd lease with the given TTL. */
  static Map<String, String> etcdCandidate(Path dir, String hostname, int apiPort, URI etcd, String ttl) {
    Map<String, String> p = node(dir, hostname, apiPort);
    p.put("litefs.managed.lease.type", "etcd");
    p.put("litefs.managed.lease.candidate", "true");
    p.put("litefs.managed.lease.advertise-url", api(apiPort).toString());
    p.put("litefs.managed.lease.etcd.endpoints", etcd.toString());
    p.put("litefs.managed.lease.etcd.key", "litefs/managed-it/primary");
    p.put("litefs.managed.lease.etcd.ttl", ttl);
    return p;
  }

  static AppProcess start(String name, Path dir, Map<String, String> properties) throws IOException {
    return AppProcess.start(name, dir, ManagedTestApp.class, properties);
  }
}
