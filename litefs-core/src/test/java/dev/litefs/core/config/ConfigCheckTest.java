package dev.litefs.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --validate} checks a file as written, reading no environment variable: a value built from a variable
 * is accepted as written, one built from a comparison must be valid whether it is true or false.
 */
class ConfigCheckTest {
  @TempDir Path dir;

  @Test
  void acceptsTheFlyIoPatternWithEveryVariableUnset() {
    assertThat(ConfigFiles.check(dir, """
        fuse:
          dir: "${LITEFS_DIR}"
        data:
          dir: "/var/lib/litefs"
        lease:
          type: "consul"
          advertise-url: "http://${FLY_ALLOC_ID}.vm.${FLY_APP_NAME}.internal:20202"
          candidate: ${FLY_REGION == PRIMARY_REGION}
          promote: true
          consul:
            url: "${FLY_CONSUL_URL}"
            key: "${FLY_APP_NAME}/primary"
            ttl: ${CONSUL_TTL}
        exec:
          - cmd: "${MIGRATE_CMD}"
            if-candidate: true
          - cmd: "java -jar app.jar"
        """)).isEmpty();
  }

  @Test
  void acceptsAValueThatOnlyTheEnvironmentCanMakeValid() {
    assertThat(ConfigFiles.check(dir, "lease:\n  type: ${LEASE_TYPE}\nfuse:\n  dir: $DIR\ndata:\n  dir: $DIR\n"))
        .isEmpty();
  }

  @Test
  void checksWhatDoesNotDependOnTheEnvironment() {
    assertThat(ConfigFiles.check(dir, "lease:\n  type: static\n  hostname: $HOST\n  candidate: perhaps\n"))
        .containsExactly("litefs.yml:4: lease.candidate must be true or false, got \"perhaps\"");
  }

  @Test
  void rejectsAComparisonWhereADurationBelongs() {
    assertThat(ConfigFiles.check(dir, "lease:\n  type: static\n  reconnect-delay: ${A == B}\n")).containsExactly(
        "litefs.yml:3: lease.reconnect-delay must be a duration such as 10s, 1m30s or 500ms, got \"${…}\" "
            + "(a ${A == B} comparison expands to true or false)");
  }

  @Test
  void skipsTheCandidateRuleWhenCandidateIsAComparison() {
    assertThat(ConfigFiles.check(dir, """
        lease:
          type: consul
          consul: {key: k}
          candidate: ${FLY_REGION == PRIMARY_REGION}
          databases: [a.db]
        """)).isEmpty();
  }

  @Test
  void rejectsBadExpansionSyntax() {
    assertThat(ConfigFiles.check(dir, "lease:\n  type: static\n  hostname: ${HOST\n"))
        .containsExactly("litefs.yml:3: unterminated \"${\" (no closing \"}\")");
    assertThat(ConfigFiles.check(dir, "lease:\n  type: static\n  candidate: ${A = B}\n")).singleElement().asString()
        .startsWith("litefs.yml:3: invalid expansion \"${A = B}\"");
  }

  @Test
  void stillRejectsUnknownKeysAndMissingKeys() {
    assertThat(ConfigFiles.check(dir, "lease:\n  typ: ${TYPE}\n")).containsExactly(
        "litefs.yml:1: lease.type is required: static, consul or etcd",
        "litefs.yml:2: unknown key \"lease.typ\"; lease has type, hostname, advertise-url, candidate, promote, "
            + "reconnect-delay, demote-delay, databases, consul, etcd");
  }

  @Test
  void readsNoEnvironmentVariable() {
    Path file = ConfigFiles.write(dir, "lease:\n  type: static\n  candidate: ${X == Y}\n  hostname: $HOST\n");
    ConfigLoader loader = new ConfigLoader(name -> {
      throw new AssertionError("looked up " + name);
    });

    assertThat(loader.check(file, true)).isEmpty();
  }

  @Test
  void withoutExpansionChecksTheTextLiterally() {
    Path file = ConfigFiles.write(dir, "lease:\n  type: static\n  candidate: ${X == Y}\n");

    assertThat(ConfigFiles.relative(dir, ConfigFiles.loader(Map.of()).check(file, false)))
        .containsExactly("litefs.yml:3: lease.candidate must be true or false, got \"${X == Y}\"");
  }
}
