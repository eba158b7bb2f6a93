package dev.litefs.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EdgeConfigTest {
  @Test
  void parsesTheDemosCommandLine() {
    EdgeConfig config = EdgeConfig.parse("--listen", "127.0.0.1:8080", "--node", "node1=http://127.0.0.1:8081",
        "--node", "node2=http://127.0.0.1:8082", "--node", "node3=http://127.0.0.1:8083",
        "--region", "node1=ord", "--region", "node2=ord", "--region", "node3=lhr");

    assertThat(config.listen().getPort()).isEqualTo(8080);
    assertThat(config.nodes()).containsExactly(
        new Node("node1", URI.create("http://127.0.0.1:8081"), "ord"),
        new Node("node2", URI.create("http://127.0.0.1:8082"), "ord"),
        new Node("node3", URI.create("http://127.0.0.1:8083"), "lhr"));
    assertThat(config.maxReplays()).isEqualTo(5);
    assertThat(config.retryWindow()).isEqualTo(Duration.ofSeconds(2));
    assertThat(config.maxReplayBody()).isEqualTo(1024 * 1024);
    assertThat(config.app()).isEmpty();
  }

  @Test
  void acceptsOneDashAndEqualsSignsAndDefaultsTheRest() {
    EdgeConfig config = EdgeConfig.parse("-node=a=http://localhost:9000/", "-app", "my-app", "--max-replays=2",
        "--retry-window", "500ms");

    assertThat(config.listen().getPort()).isEqualTo(8080);
    assertThat(config.nodes()).containsExactly(new Node("a", URI.create("http://localhost:9000"), "dev"));
    assertThat(config.app()).isEqualTo(Optional.of("my-app"));
    assertThat(config.maxReplays()).isEqualTo(2);
    assertThat(config.retryWindow()).isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void needsANode() {
    assertThatThrownBy(() -> EdgeConfig.parse("--listen", "127.0.0.1:8080"))
        .hasMessage("no node: give each node with --node ID=http://host:port");
  }

  @Test
  void rejectsARegionForANodeThatIsNotThere() {
    assertThatThrownBy(() -> EdgeConfig.parse("--node", "a=http://h:1", "--region", "b=ord"))
        .hasMessage("--region b names no --node");
  }

  @Test
  void rejectsWhatItCannotUseSayingWhatItTakes() {
    assertThatThrownBy(() -> EdgeConfig.parse("--node", "a=https://h:1"))
        .hasMessage("node URL https://h:1 must be http://host:port, with no path");
    assertThatThrownBy(() -> EdgeConfig.parse("--node", "a=http://h:1/app"))
        .hasMessage("node URL http://h:1/app must be http://host:port, with no path");
    assertThatThrownBy(() -> EdgeConfig.parse("--node", "a b=http://h:1"))
        .hasMessage("node ID a b is not letters, digits, '.', '_' and '-'");
    assertThatThrownBy(() -> EdgeConfig.parse("--node", "a=http://h:1", "--region", "a=Chicago"))
        .hasMessage("region Chicago is not a three-letter lowercase code such as ord");
    assertThatThrownBy(() -> EdgeConfig.parse("--node", "a=http://h:1", "--node", "a=http://h:2"))
        .hasMessage("--node a is given twice");
    assertThatThrownBy(() -> EdgeConfig.parse("--node", "a=http://h:1", "--listen", "8080"))
        .hasMessage("--listen takes HOST:PORT, such as 127.0.0.1:8080, got 8080");
    assertThatThrownBy(() -> EdgeConfig.parse("--node", "a=http://h:1", "--max-replays", "0"))
        .hasMessage("--max-replays takes a positive whole number, got 0");
    assertThatThrownBy(() -> EdgeConfig.parse("--nodes", "a=http://h:1"))
        .hasMessage("unknown option --nodes; see --help");
    assertThatThrownBy(() -> EdgeConfig.parse("--node"))
        .hasMessage("--node needs a value");
    assertThatThrownBy(() -> EdgeConfig.parse("a=http://h:1"))
        .hasMessage("unexpected argument a=http://h:1; options start with --, see --help");
  }
}
