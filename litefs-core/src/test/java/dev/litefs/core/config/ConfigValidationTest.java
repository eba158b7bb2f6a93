package dev.litefs.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One test per validation rule, each asserting the whole message: the key, the line and what to do. */
class ConfigValidationTest {
  @TempDir Path dir;

  private List<String> problems(String yaml) {
    return ConfigFiles.loadProblems(dir, yaml);
  }

  @Test
  void requiresFuseDir() {
    assertThat(problems("lease: {type: static}\nfuse:\n  dir: \"\"\n"))
        .containsExactly("litefs.yml:3: fuse.dir is required");
  }

  @Test
  void requiresDataDir() {
    assertThat(problems("lease: {type: static}\ndata:\n  dir: \"\"\n"))
        .containsExactly("litefs.yml:3: data.dir is required");
  }

  @Test
  void requiresDifferentFuseAndDataDirs() {
    assertThat(problems("lease: {type: static}\nfuse:\n  dir: /var/lib/litefs/\n"))
        .containsExactly("litefs.yml:3: fuse.dir and data.dir must be different directories, both are "
            + "\"/var/lib/litefs\"");
  }

  @Test
  void requiresLeaseTypeWithoutALineWhenTheSectionIsAbsent() {
    assertThat(problems("fuse:\n  dir: /litefs\n"))
        .containsExactly("litefs.yml: lease.type is required: static, consul or etcd");
  }

  @Test
  void requiresLeaseTypeAtTheLeaseSectionLine() {
    assertThat(problems("fuse:\n  dir: /litefs\nlease:\n  candidate: true\n"))
        .containsExactly("litefs.yml:3: lease.type is required: static, consul or etcd");
  }

  @Test
  void rejectsDatabaseFilterOnCandidates() {
    assertThat(problems("lease:\n  type: consul\n  consul: {key: k}\n  databases: [a.db]\n"))
        .containsExactly("litefs.yml:4: lease.databases (a replication filter) is not allowed on a candidate; "
            + "set lease.candidate: false on nodes that replicate only some databases");
  }

  @Test
  void acceptsDatabaseFilterOnNonCandidates() {
    assertThat(problems("lease:\n  type: consul\n  consul: {key: k}\n  candidate: false\n  databases: [a.db]\n"))
        .isEmpty();
  }

  @Test
  void requiresTheAdvertiseUrlOfTheStaticPrimaryOnReplicas() {
    assertThat(problems("lease:\n  type: static\n  candidate: false\n"))
        .containsExactly("litefs.yml:1: lease.advertise-url is required with a static lease on a replica "
            + "(lease.candidate: false): it is the primary's URL");
  }

  @Test
  void rejectsAnAdvertiseUrlThatIsNotHttp() {
    assertThat(problems("lease:\n  type: static\n  advertise-url: \"myhost:20202\"\n"))
        .containsExactly("litefs.yml:3: lease.advertise-url must be an http:// or https:// URL, got "
            + "\"myhost:20202\"");
  }

  @Test
  void acceptsAdvertiseUrlsWithUnderscoredHosts() {
    assertThat(problems("lease:\n  type: static\n  advertise-url: \"http://litefs_1:20202\"\n")).isEmpty();
  }

  @Test
  void requiresTheConsulKey() {
    assertThat(problems("lease:\n  type: consul\n  consul:\n    url: http://localhost:8500\n"))
        .containsExactly("litefs.yml:3: lease.consul.key is required with lease.type: consul");
  }

  @Test
  void rejectsAConsulUrlThatIsNotHttp() {
    assertThat(problems("lease:\n  type: consul\n  consul:\n    url: consul:8500\n    key: k\n"))
        .containsExactly("litefs.yml:4: lease.consul.url must be an http:// or https:// URL, got \"consul:8500\"");
  }

  @Test
  void allowsAnEmptyConsulUrlWhichMeansTheLocalAgent() {
    assertThat(problems("lease:\n  type: consul\n  consul: {key: k}\n")).isEmpty();
  }

  @Test
  void rejectsAnUnknownLogFormat() {
    assertThat(problems("lease: {type: static}\nlog:\n  format: xml\n"))
        .containsExactly("litefs.yml:3: log.format must be text or json, got \"xml\"");
  }

  @Test
  void requiresEtcdEndpoints() {
    assertThat(problems("lease:\n  type: etcd\n  etcd:\n    key: k\n"))
        .containsExactly("litefs.yml:3: lease.etcd.endpoints is required with lease.type: etcd: a list of URLs "
            + "such as http://127.0.0.1:2379");
  }

  @Test
  void rejectsEtcdEndpointsThatAreNotUrlsNamingTheItemAndItsLine() {
    assertThat(problems("lease:\n  type: etcd\n  etcd:\n    key: k\n    endpoints:\n      - http://a:2379\n"
        + "      - b:2379\n      - \"\"\n")).containsExactly(
        "litefs.yml:7: lease.etcd.endpoints[1] must be an http:// or https:// URL, got \"b:2379\"",
        "litefs.yml:8: lease.etcd.endpoints[2] must be an http:// or https:// URL, got \"\"");
  }

  @Test
  void requiresTheEtcdKey() {
    assertThat(problems("lease:\n  type: etcd\n  etcd:\n    endpoints: [http://a:2379]\n"))
        .containsExactly("litefs.yml:3: lease.etcd.key is required with lease.type: etcd");
  }

  @Test
  void requiresAPositiveEtcdTtl() {
    assertThat(problems("lease:\n  type: etcd\n  etcd:\n    endpoints: [http://a:2379]\n    key: k\n    ttl: 0s\n"))
        .containsExactly("litefs.yml:6: lease.etcd.ttl must be positive");
  }

  @Test
  void requiresAWholeSecondEtcdTtl() {
    assertThat(problems("lease:\n  type: etcd\n  etcd:\n    endpoints: [http://a:2379]\n    key: k\n"
        + "    ttl: 1500ms\n"))
        .containsExactly("litefs.yml:6: lease.etcd.ttl must be a whole number of seconds (etcd counts leases in "
            + "seconds)");
  }

  @Test
  void ignoresEtcdSettingsUnlessTheLeaseIsEtcd() {
    assertThat(problems("lease:\n  type: static\n  etcd:\n    ttl: 0s\n")).isEmpty();
  }

  @Test
  void rejectsATokenWithSpaces() {
    assertThat(problems("lease: {type: static}\nhttp:\n  token: \"two words\"\n"))
        .containsExactly("litefs.yml:3: http.token must be printable ASCII without spaces");
  }

  @Test
  void reportsEveryBrokenRuleAtOnceInFileOrder() {
    assertThat(problems("log: {format: xml}\nfuse: {dir: \"\"}\nlease: {type: consul}\n")).containsExactly(
        "litefs.yml:1: log.format must be text or json, got \"xml\"",
        "litefs.yml:2: fuse.dir is required",
        "litefs.yml:3: lease.consul.key is required with lease.type: consul");
  }

  @Test
  void reportsAMistypedValueOnceNotAgainByTheRules() {
    assertThat(problems("lease:\n  type: consul\n  consul: {key: k}\n  candidate: maybe\n  databases: [a.db]\n"))
        .containsExactly("litefs.yml:4: lease.candidate must be true or false, got \"maybe\"");
    assertThat(problems("lease: static\n"))
        .containsExactly("litefs.yml:1: lease must be a mapping of keys, got a string");
  }
}
