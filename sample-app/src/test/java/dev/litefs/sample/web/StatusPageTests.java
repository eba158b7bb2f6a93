package dev.litefs.sample.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.litefs.sample.jobs.JobStats;
import dev.litefs.sample.resource.Resource;
import dev.litefs.spring.test.TestLiteFs;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The status page's content, rendered without a server. */
class StatusPageTests {

  @Test
  void aReplicaShowsItsPrimaryPositionsAndQueue() {
    TestLiteFs replica = TestLiteFs.replicaOf("node1", "app.db").setPosition("app.db", 0x2a);
    String html = StatusPage.render(replica, false, 0, new JobStats(1, 2, 3, 4), List.of());
    assertThat(html)
        .contains("<strong id=\"node\">node2</strong>, the <strong id=\"role\">replica</strong>")
        .contains("Primary: <strong id=\"primary\">node1</strong>")
        .contains("<tr><td>app.db</td><td>000000000000002a</td>")
        .contains("<strong id=\"worker\">not running here</strong>")
        .contains("1 ready, 2 claimed, 3 done, 4 dead")
        .contains("<p>None yet.</p>");
  }

  @Test
  void aReplicaWithoutAKnownPrimarySaysSo() {
    String html = StatusPage.render(TestLiteFs.replicaOf(null, "app.db"), false, 0, new JobStats(0, 0, 0, 0),
        List.of());
    assertThat(html).contains("Primary: <strong id=\"primary\">none known</strong>");
  }

  @Test
  void whatTheSourceSentIsEscaped() {
    Resource hostile = new Resource("x", "<script>alert(1)</script>", "body", Instant.EPOCH, "node1", null, null,
        null, null);
    String html = StatusPage.render(TestLiteFs.primary("app.db"), true, 0, new JobStats(0, 0, 0, 0),
        List.of(hostile));
    assertThat(html).doesNotContain("<script>").contains("&lt;script&gt;alert(1)&lt;/script&gt;")
        .contains("<td>pending</td>");
  }
}
