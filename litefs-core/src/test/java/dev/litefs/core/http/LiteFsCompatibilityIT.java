package dev.litefs.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.litefs.core.ltx.LtxDecoder;
import dev.litefs.core.ltx.LtxFileInfo;
import dev.litefs.core.replication.StreamFrame;
import dev.litefs.core.replication.StreamReader;
import dev.litefs.core.testing.Await;
import dev.litefs.core.testing.MountedNode;
import dev.litefs.core.testing.Vectors;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.transport.HttpClientTransportOverHTTP2;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Wire compatibility with LiteFS v0.5.14, against the captures in testdata/vectors: a primary seeded with
 * the captured data directory answers the captured /stream requests with the captured frames (stored files
 * byte for byte, snapshots with the same pages and checksums), and a replica fed a captured stream ends at
 * the captured databases and positions.
 */
class LiteFsCompatibilityIT {
  @TempDir Path tmp;

  /** A data directory with the primary's captured LTX files, databases and cluster ID. */
  Path seed(Path dir) throws IOException {
    Path dbs = dir.resolve("data/dbs");
    for (String db : Vectors.databases()) {
      Path target = Files.createDirectories(dbs.resolve(db).resolve("ltx"));
      for (Path f : Vectors.ltxFiles("lz4", db)) {
        Files.copy(f, target.resolve(f.getFileName()));
      }
      Path database = Vectors.path("ltx/lz4/" + db + "/database");
      if (Files.exists(database)) {
        Files.copy(database, dbs.resolve(db).resolve("database"));
      }
    }
    Files.copy(Vectors.path("misc/lz4/clusterid"), dir.resolve("data/clusterid"));
    return dir;
  }

  record Frames(Map<String, List<Object>> perDatabase, boolean ready) {}

  /** Frames up to the first heartbeat after Ready, grouped by database (LiteFS orders databases by map iteration). */
  static Frames read(InputStream in) throws IOException {
    StreamReader r = new StreamReader(in);
    Map<String, List<Object>> per = new LinkedHashMap<>();
    boolean ready = false;
    for (StreamFrame f; (f = r.next()) != null; ) {
      if (f instanceof StreamFrame.Ltx l) {
        byte[] body = r.ltxBody().readAllBytes();
        LtxFileInfo info = LtxDecoder.verify(new ByteArrayInputStream(body), l.db());
        per.computeIfAbsent(l.db(), k -> new ArrayList<>()).add(info.header().isSnapshot()
            ? "snapshot " + info.header().minTxid() + "-" + info.header().maxTxid() + " commit " + info.header().commit()
                + " post " + info.trailer().postApplyChecksum()
            : ByteBuffer.wrap(body));
      } else if (f instanceof StreamFrame.Hwm h) {
        per.computeIfAbsent(h.db(), k -> new ArrayList<>()).add(h);
      } else if (f instanceof StreamFrame.DropDb d) {
        per.computeIfAbsent(d.db(), k -> new ArrayList<>()).add(d);
      } else if (f instanceof StreamFrame.Ready) {
        ready = true;
      } else if (f instanceof StreamFrame.Heartbeat && ready) {
        break;
      }
    }
    return new Frames(per, ready);
  }

  @ParameterizedTest
  @ValueSource(strings = {"fresh", "delete-from-tx2", "wal-from-tx3", "shrink-from-tx2", "drop-from-tx2", "multi",
      "delete-badchk", "ahead", "unknown-db"})
  void ourPrimaryAnswersTheCapturedRequestsWithTheCapturedFrames(String name) throws Exception {
    try (MountedNode primary = MountedNode.primary(seed(tmp.resolve("p")))) {
      byte[] request = Files.readAllBytes(Vectors.path("stream/lz4/" + name + ".req-body"));
      String filter = switch (name) {
        case "delete-from-tx2", "delete-badchk", "ahead" -> "?filter=delete.db";
        case "wal-from-tx3" -> "?filter=wal.db";
        case "shrink-from-tx2" -> "?filter=shrink.db";
        case "drop-from-tx2" -> "?filter=drop.db";
        case "multi" -> "?filter=delete.db,wal.db";
        case "unknown-db" -> "?filter=nosuch.db";
        default -> "";
      };
      org.eclipse.jetty.client.HttpClient h2c = new org.eclipse.jetty.client.HttpClient(
          new HttpClientTransportOverHTTP2(new HTTP2Client()));
      h2c.start();
      try {
        InputStreamResponseListener listener = new InputStreamResponseListener();
        h2c.POST(primary.url() + "/stream" + filter).headers(h -> h.put("Litefs-Id", "00000000000000AA"))
            .body(new BytesRequestContent(request)).send(listener);
        Response response = listener.get(30, TimeUnit.SECONDS);
        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.getHeaders().get("Litefs-Cluster-Id")).isEqualTo("LFSC8568A63E44D7D042");
        Frames ours = read(listener.getInputStream());
        Frames theirs = read(Files.newInputStream(Vectors.path("stream/lz4/" + name + ".resp-body")));
        assertThat(ours.ready()).isTrue();
        assertThat(ours.perDatabase()).isEqualTo(theirs.perDatabase());
      } finally {
        h2c.stop();
      }
    }
  }

  @Test
  void ourReplicaAppliesACapturedStreamToTheCapturedDatabases() throws Exception {
    byte[] captured = Files.readAllBytes(Vectors.path("stream/lz4/fresh.resp-body"));
    Server fake = new Server();
    HttpConfiguration config = new HttpConfiguration();
    ServerConnector connector = new ServerConnector(fake, new HttpConnectionFactory(config),
        new HTTP2CServerConnectionFactory(config));
    connector.setHost("127.0.0.1");
    fake.addConnector(connector);
    fake.setHandler(new Handler.Abstract() {
      @Override
      public boolean handle(org.eclipse.jetty.server.Request request, org.eclipse.jetty.server.Response response,
          Callback callback) {
        // What LiteFS's primary sent: its headers, then the captured frames.
        response.setStatus(200);
        response.getHeaders().put("Litefs-Cluster-Id", "LFSC8568A63E44D7D042");
        response.getHeaders().put("Litefs-Id", "2AAC37BFF5AE9551");
        response.write(true, ByteBuffer.wrap(captured), callback);
        return true;
      }
    });
    fake.start();
    try (MountedNode replica = MountedNode.start(tmp.resolve("r"), "lease:\n  type: static\n  candidate: false\n"
        + "  hostname: \"node1\"\n  advertise-url: \"http://127.0.0.1:" + connector.getLocalPort() + "\"\n")) {
      for (String db : List.of("delete.db", "wal.db", "shrink.db")) {
        String pos = Files.readString(Vectors.path("pos/" + db + "-pos.tx" + (db.equals("wal.db") ? 5 : 4)));
        Await.until(db + " at the captured position", Duration.ofSeconds(30),
            () -> Files.exists(replica.path(db)) && Files.readString(replica.path(db + "-pos")).equals(pos));
        assertThat(Files.readAllBytes(replica.data().resolve("dbs/" + db + "/database")))
            .isEqualTo(Files.readAllBytes(Vectors.path("ltx/lz4-replica/" + db + "/database")));
      }
      assertThat(Files.readString(replica.path("drop.db-pos"))).isEqualTo("0000000000000003/8000000000000000\n");
      assertThat(Files.readString(replica.data().resolve("clusterid"))).isEqualTo("LFSC8568A63E44D7D042\n");
      try (Stream<Path> s = Files.list(replica.mount())) {
        assertThat(s.map(p -> p.getFileName().toString())).doesNotContain("drop.db");
      }
    } finally {
      fake.stop();
    }
  }
}
