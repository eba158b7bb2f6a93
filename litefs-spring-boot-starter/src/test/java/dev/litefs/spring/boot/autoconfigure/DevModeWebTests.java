package dev.litefs.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.litefs.spring.LiteFs;
import dev.litefs.spring.LiteFsMode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The same application in dev mode: no mount, always primary, no replication and so no TXID cookie. */
@SpringBootTest(classes = WebTestApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DevModeWebTests {

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) throws IOException {
    Path dir = Files.createTempDirectory("litefs-dev-web");
    registry.add("litefs.mount-dir", () -> dir.resolve("no-mount").toString());
    registry.add("litefs.dev.dir", () -> dir.resolve("dev").toString());
    registry.add("litefs.databases", () -> "app.db");
    Files.createDirectories(dir.resolve("no-mount"));
  }

  @LocalServerPort
  int port;

  @Autowired
  LiteFs liteFs;

  @Test
  void primaryOnlyHandlersAndSeedingGetsRunInDevModeWithoutACookie() {
    assertThat(liteFs.mode()).isEqualTo(LiteFsMode.DEV);
    HttpResponse<String> post = WebTestApp.send("POST", "http://127.0.0.1:" + port + "/items", "x");
    assertThat(post.statusCode()).isEqualTo(200);
    assertThat(post.body()).startsWith("created ");
    assertThat(post.headers().firstValue("Set-Cookie")).isEmpty();
    HttpResponse<String> seed = WebTestApp.send("GET", "http://127.0.0.1:" + port + "/items/missing", null);
    assertThat(seed.statusCode()).isEqualTo(200);
    assertThat(seed.body()).startsWith("seeded ");
  }
}
