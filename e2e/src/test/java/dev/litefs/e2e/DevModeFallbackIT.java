package dev.litefs.e2e;

import static dev.litefs.e2e.Http.describe;
import static dev.litefs.e2e.Http.header;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code bin/litefs-demo} where FUSE is missing (simulated by pointing it at a FUSE device that does not exist):
 * one node in dev mode behind the same edge and stub source, said plainly, and stopped cleanly by Ctrl-C.
 */
class DevModeFallbackIT {

  @Test
  void withoutFuseOneNodeRunsInDevModeAndSaysSo() throws Exception {
    try (Demo demo = Demo.start("dev-fallback", Map.of("LITEFS_DEMO_FUSE_DEVICE", "/nonexistent/fuse"))) {
      assertThat(demo.output())
          .contains("ONE node in dev mode instead of the 3-node cluster: /nonexistent/fuse is missing")
          .contains("ONE NODE IN DEV MODE, not a cluster")
          .doesNotContain("starting etcd");

      HttpResponse<String> miss = Http.get(demo.edge("/resources/dev-1"));
      assertThat(miss.statusCode()).as(describe(miss)).isEqualTo(200);
      assertThat(header(miss, "X-Node")).isEqualTo("node1");
      assertThat(header(miss, "X-Resource-Origin")).isEqualTo("source");
      HttpResponse<String> hit = Http.get(demo.edge("/resources/dev-1"));
      assertThat(header(hit, "X-Resource-Origin")).as(describe(hit)).isEqualTo("database");

      JsonNode status = Http.json(Http.get(demo.edge("/status")));
      assertThat(status.get("mode").asText()).isEqualTo("dev");
      assertThat(status.get("role").asText()).isEqualTo("primary");
      assertThat(status.get("workerRunning").asBoolean()).isTrue();

      String signal = demo.interruptSignal();
      assertThat(demo.interrupt()).as(demo.output()).isEqualTo(signal.equals("INT") ? 130 : 143);
      assertThat(demo.output()).contains("stopped: nothing is left running or mounted");
      assertThat(demo.leftovers()).isEmpty();
    }
  }
}
