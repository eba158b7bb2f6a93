package dev.litefs.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.litefs.core.config.ConfigLoader;
import dev.litefs.core.config.LeaseType;
import dev.litefs.core.config.LiteFsConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The litefs.yml managed mode writes, read back by the engine's own loader. */
class LiteFsYmlTests {
  @TempDir
  Path tmp;

  LiteFsConfig load(LiteFsManagedProperties managed, Path mountDir, String hostname) throws IOException {
    Path file = tmp.resolve("litefs.yml");
    Files.writeString(file, LiteFsYml.render(managed, mountDir, hostname));
    return new ConfigLoader(name -> null).load(file, false).config();
  }

  @Test
  void aStaticPrimaryGetsTheMountDirItsHostnameAndDefaultsForTheRest() throws IOException {
    LiteFsManagedProperties m = new LiteFsManagedProperties();
    m.getLease().setType("static");
    m.getLease().setAdvertiseUrl(URI.create("http://10.0.0.1:20202"));

    LiteFsConfig c = load(m, Path.of("/litefs"), "node-1");

    assertThat(c.fuse().dir()).isEqualTo("/litefs");
    assertThat(c.data().dir()).isEqualTo("/var/lib/litefs");
    assertThat(c.data().retention()).isEqualTo(Duration.ofMinutes(10));
    assertThat(c.http().addr()).isEqualTo(":20202");
    assertThat(c.http().token()).isEmpty();
    assertThat(c.lease().type()).isEqualTo(LeaseType.STATIC);
    assertThat(c.lease().hostname()).isEqualTo("node-1");
    assertThat(c.lease().advertiseUrl()).isEqualTo("http://10.0.0.1:20202");
    assertThat(c.lease().candidate()).isTrue();
    assertThat(c.lease().promote()).isFalse();
    assertThat(c.exec()).isEmpty();
  }

  @Test
  void aStaticReplicaNamesThePrimaryInItsLeaseAsLiteFsDoes() throws IOException {
    LiteFsManagedProperties m = new LiteFsManagedProperties();
    m.getLease().setType("STATIC");
    m.getLease().setCandidate(false);
    m.getLease().setHostname("primary-1");
    m.getLease().setAdvertiseUrl(URI.create("http://primary-1:20202"));

    LiteFsConfig c = load(m, Path.of("/litefs"), "replica-1");

    assertThat(c.lease().hostname()).isEqualTo("primary-1");
    assertThat(c.lease().candidate()).isFalse();
  }

  @Test
  void consulAndEtcdSettingsAreWrittenWithGoDurations() throws IOException {
    LiteFsManagedProperties m = new LiteFsManagedProperties();
    m.getLease().setType("consul");
    m.getLease().setPromote(true);
    m.getLease().getConsul().setUrl(URI.create("https://:secret@consul.example:8500"));
    m.getLease().getConsul().setKey("my-app/primary");
    m.getLease().getConsul().setTtl(Duration.ofSeconds(15));
    m.getLease().getConsul().setLockDelay(Duration.ofMillis(1500));
    LiteFsConfig consul = load(m, Path.of("/litefs"), "n");
    assertThat(consul.lease().consul().url()).isEqualTo("https://:secret@consul.example:8500");
    assertThat(consul.lease().consul().key()).isEqualTo("my-app/primary");
    assertThat(consul.lease().consul().ttl()).isEqualTo(Duration.ofSeconds(15));
    assertThat(consul.lease().consul().lockDelay()).isEqualTo(Duration.ofMillis(1500));
    assertThat(consul.lease().promote()).isTrue();

    m.getLease().setType("etcd");
    m.getLease().getEtcd().setEndpoints(List.of(URI.create("http://e1:2379"), URI.create("http://e2:2379")));
    m.getLease().getEtcd().setKey("/litefs/my-app");
    m.getLease().getEtcd().setTtl(Duration.ofSeconds(2));
    LiteFsConfig etcd = load(m, Path.of("/litefs"), "n");
    assertThat(etcd.lease().etcd().endpoints()).containsExactly("http://e1:2379", "http://e2:2379");
    assertThat(etcd.lease().etcd().key()).isEqualTo("/litefs/my-app");
    assertThat(etcd.lease().etcd().ttl()).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void valuesAreTakenLiterallyQuotesDollarsAndNewlinesIncluded() throws IOException {
    LiteFsManagedProperties m = new LiteFsManagedProperties();
    m.getLease().setType("static");
    m.getHttp().setToken("s3cr$t\"x");
    m.getData().setDir(Path.of("/var/lib/lite fs\n#x"));

    LiteFsConfig c = load(m, Path.of("/litefs"), "n");

    assertThat(c.http().token()).isEqualTo("s3cr$t\"x");
    assertThat(c.data().dir()).isEqualTo("/var/lib/lite fs\n#x");
  }

  @Test
  void debugTurnsOnTheEnginesDebugLog() throws IOException {
    LiteFsManagedProperties m = new LiteFsManagedProperties();
    m.getLease().setType("static");
    m.setDebug(true);
    assertThat(load(m, Path.of("/litefs"), "n").log().debug()).isTrue();
  }

  @Test
  void durationsUseGosSyntax() {
    assertThat(LiteFsYml.duration(Duration.ZERO)).isEqualTo("0s");
    assertThat(LiteFsYml.duration(Duration.ofSeconds(10))).isEqualTo("10s");
    assertThat(LiteFsYml.duration(Duration.ofMillis(1500))).isEqualTo("1500ms");
    assertThat(LiteFsYml.duration(Duration.ofNanos(1500))).isEqualTo("1500ns");
  }
}
