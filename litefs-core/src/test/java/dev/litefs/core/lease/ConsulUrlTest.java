package dev.litefs.core.lease;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code lease.consul.url} is taken apart as LiteFS takes it apart. */
class ConsulUrlTest {
  @Test
  void thePasswordIsTheTokenAndThePathThePrefix() {
    ConsulUrl url = ConsulUrl.parse(URI.create("https://:t0ken@consul.internal:8500/my-app"));

    assertThat(url.base()).isEqualTo(URI.create("https://consul.internal:8500"));
    assertThat(url.token()).contains("t0ken");
    assertThat(url.keyPrefix()).isEqualTo("my-app");
    assertThat(url.nodeName()).isEqualTo("my-app/litefs");
    assertThat(url.key("primary")).isEqualTo("my-app/primary");
  }

  @Test
  void aPlusInTheTokenIsAPlusAndEscapesAreDecoded() {
    assertThat(ConsulUrl.parse(URI.create("http://user:a+b%2Fc@h/")).token()).contains("a+b/c");
  }

  @Test
  void noPasswordOrAnEmptyOneMeansNoToken() {
    assertThat(ConsulUrl.parse(URI.create("http://user@h:8500")).token()).isEmpty();
    assertThat(ConsulUrl.parse(URI.create("http://user:@h:8500")).token()).isEmpty();
  }

  @Test
  void withoutAPathThereIsNoPrefixAndNoCatalogNode() {
    ConsulUrl url = ConsulUrl.parse(URI.create("http://127.0.0.1:8500"));

    assertThat(url.keyPrefix()).isEmpty();
    assertThat(url.nodeName()).isEmpty();
    assertThat(url.key("/app/primary")).isEqualTo("app/primary");
  }

  @Test
  void slashesAreJoinedAsGosPathJoinDoes() {
    assertThat(ConsulUrl.parse(URI.create("http://h//a/b/")).key("primary/")).isEqualTo("a/b/primary");
  }

  @Test
  void settingsNeverPrintTheToken() {
    ConsulSettings settings = new ConsulSettings(URI.create("https://:t0ken@consul.internal/my-app"), "primary");

    assertThat(settings.toString()).doesNotContain("t0ken").contains("https://***@consul.internal/my-app");
  }

  @Test
  void durationsAreSentInGoSyntax() {
    assertThat(ConsulClient.goDuration(Duration.ofSeconds(10))).isEqualTo("10s");
    assertThat(ConsulClient.goDuration(Duration.ofMillis(1500))).isEqualTo("1500ms");
  }
}
