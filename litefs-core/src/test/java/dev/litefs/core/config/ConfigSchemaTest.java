package dev.litefs.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The schema is strict: unknown keys, wrong types and broken YAML are errors naming the key and the line. */
class ConfigSchemaTest {
  @TempDir Path dir;

  private java.util.List<String> problems(String yaml) {
    return ConfigFiles.loadProblems(dir, yaml);
  }

  @Test
  void rejectsUnknownKeyNamingPathAndLine() {
    assertThat(problems("""
        lease:
          type: consul
          consul:
            urll: "http://localhost:8500"
            key: k
        """)).containsExactly(
        "litefs.yml:4: unknown key \"lease.consul.urll\"; lease.consul has url, key, ttl, lock-delay");
  }

  @Test
  void rejectsUnknownKeyAtTheTopLevel() {
    assertThat(problems("lease: {type: static}\nexit-on-eror: false\n")).containsExactly(
        "litefs.yml:2: unknown key \"exit-on-eror\"; the top level has exit-on-error, skip-sync, strict-verify, "
            + "exec, data, fuse, http, proxy, lease, backup, log, tracing");
  }

  @Test
  void rejectsUnknownKeyInASection() {
    assertThat(problems("lease: {type: static}\nfuse:\n  dir: /litefs\n  allow_other: true\n")).containsExactly(
        "litefs.yml:4: unknown key \"fuse.allow_other\"; fuse has dir, allow-other, debug");
  }

  @Test
  void rejectsUnknownKeyInAnExecItem() {
    assertThat(problems("lease: {type: static}\nexec:\n  - cmd: a\n  - cmd: b\n    if_candidate: true\n"))
        .containsExactly("litefs.yml:5: unknown key \"exec[1].if_candidate\"; exec[1] has cmd, if-candidate");
  }

  @Test
  void reportsEveryUnknownKeyAtOnce() {
    assertThat(problems("lease: {type: static, hostnme: a}\ndata: {dri: /x}\n")).hasSize(2)
        .anySatisfy(p -> assertThat(p).startsWith("litefs.yml:1: unknown key \"lease.hostnme\""))
        .anySatisfy(p -> assertThat(p).startsWith("litefs.yml:2: unknown key \"data.dri\""));
  }

  @Test
  void rejectsDuplicateKeysAsGoDoes() {
    assertThat(problems("lease:\n  type: static\n  type: consul\n"))
        .containsExactly("litefs.yml:3: duplicate key \"lease.type\" (first at line 2)");
  }

  @Test
  void rejectsANonBooleanNamingKeyAndLine() {
    assertThat(problems("lease:\n  type: static\n  candidate: maybe\n"))
        .containsExactly("litefs.yml:3: lease.candidate must be true or false, got \"maybe\"");
  }

  @ParameterizedTest
  @ValueSource(strings = {"yes", "on", "Y", "TRUE", "True", "\"yes\""})
  void acceptsTheBooleansGoAcceptsForBoolFields(String value) {
    assertThat(ConfigFiles.load(dir, "lease: {type: static}\nskip-sync: " + value + "\n").skipSync()).isTrue();
  }

  @Test
  void rejectsADurationWithoutUnit() {
    assertThat(problems("lease: {type: static}\ndata:\n  retention: 10\n")).containsExactly(
        "litefs.yml:3: data.retention must be a duration such as 10s, 1m30s or 500ms, got \"10\" (missing unit)");
  }

  @Test
  void rejectsADurationWithAnUnknownUnit() {
    assertThat(problems("lease: {type: static}\ndata:\n  retention: 10 minutes\n")).containsExactly(
        "litefs.yml:3: data.retention must be a duration such as 10s, 1m30s or 500ms, got \"10 minutes\" "
            + "(unknown unit \" minutes\")");
  }

  @Test
  void rejectsANonIntegerNamingKeyAndLine() {
    assertThat(problems("lease: {type: static}\ntracing:\n  max-size: 64MB\n"))
        .containsExactly("litefs.yml:3: tracing.max-size must be a whole number, got \"64MB\"");
  }

  @Test
  void rejectsAnIntegerOutOfRange() {
    assertThat(problems("lease: {type: static}\ntracing:\n  max-count: 99999999999\n"))
        .containsExactly("litefs.yml:3: tracing.max-count must be a whole number, got \"99999999999\" (out of range)");
  }

  @Test
  void rejectsAListWhereAStringBelongs() {
    assertThat(problems("lease: {type: static}\nfuse:\n  dir: [/a, /b]\n"))
        .containsExactly("litefs.yml:3: fuse.dir must be a string, got a list");
  }

  @Test
  void rejectsAStringWhereAListBelongs() {
    assertThat(problems("lease:\n  type: static\n  candidate: false\n  advertise-url: http://p:20202\n"
        + "  databases: my.db\n"))
        .containsExactly("litefs.yml:5: lease.databases must be a list of strings, got a string");
  }

  @Test
  void rejectsAScalarWhereASectionBelongs() {
    assertThat(problems("lease: static\n")).containsExactly("litefs.yml:1: lease must be a mapping of keys, got a "
        + "string");
  }

  @Test
  void rejectsAnUnknownLeaseType() {
    assertThat(problems("lease:\n  type: zookeeper\n"))
        .containsExactly("litefs.yml:2: lease.type must be static, consul or etcd, got \"zookeeper\"");
  }

  @Test
  void rejectsExecThatIsAMapping() {
    assertThat(problems("lease: {type: static}\nexec:\n  cmd: run\n"))
        .containsExactly("litefs.yml:2: exec must be a command or a list of {cmd, if-candidate}, got a mapping");
  }

  @Test
  void rejectsExecListItemsThatAreStrings() {
    assertThat(problems("lease: {type: static}\nexec:\n  - run me\n"))
        .containsExactly("litefs.yml:3: exec[0] must be a mapping of keys, got a string");
  }

  @Test
  void rejectsAnEmptyExecCommand() {
    assertThat(problems("lease: {type: static}\nexec: \"\"\n"))
        .containsExactly("litefs.yml:2: exec must be a command, got an empty string");
  }

  @Test
  void rejectsAnExecItemWithoutCmd() {
    assertThat(problems("lease: {type: static}\nexec:\n  - if-candidate: true\n"))
        .containsExactly("litefs.yml:3: exec[0].cmd must be a command, got an empty string");
  }

  @Test
  void reportsYamlSyntaxErrorsWithTheirLine() {
    assertThat(problems("lease:\n  type: static\ndata: [1, 2\nfuse: {}\n"))
        .containsExactly("litefs.yml:4: invalid YAML: expected ',' or ']', but got : (while parsing a flow "
            + "sequence)");
  }

  @Test
  void rejectsTabIndentation() {
    assertThat(problems("lease:\n  type: static\n\thostname: x\n")).singleElement().asString()
        .startsWith("litefs.yml:3: invalid YAML: found character '\\t(TAB)' that cannot start any token");
  }

  @Test
  void rejectsAliasesWhichJacksonCannotResolve() {
    assertThat(problems("lease:\n  type: &t static\n  hostname: *t\n"))
        .containsExactly("litefs.yml:3: YAML aliases (*t) are not supported; repeat the value");
  }

  @Test
  void rejectsAnEmptyFile() {
    assertThat(problems("# nothing here\n")).containsExactly("litefs.yml: the file is empty; it needs at least "
        + "lease.type");
  }

  @Test
  void rejectsATopLevelThatIsNotAMapping() {
    assertThat(problems("- a\n- b\n")).containsExactly("litefs.yml:1: the top level must be a mapping of keys, got "
        + "a list");
  }

  @Test
  void readsOnlyTheFirstDocumentAsGoDoes() {
    assertThat(ConfigFiles.load(dir, "lease: {type: static}\n---\nnonsense: true\n").lease().type())
        .isEqualTo(LeaseType.STATIC);
  }

  @Test
  void readsAnyScalarAsAStringAsGoDoes() {
    LiteFsConfig c = ConfigFiles.load(dir, "lease: {type: static, hostname: 12345, advertise-url: 'http://x'}\n"
        + "proxy: {db: yes}\n");

    assertThat(c.lease().hostname()).isEqualTo("12345");
    assertThat(c.proxy().db()).isEqualTo("yes");
  }
}
