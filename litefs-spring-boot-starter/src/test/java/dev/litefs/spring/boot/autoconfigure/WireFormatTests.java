package dev.litefs.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.litefs.core.ltx.Pos;
import dev.litefs.core.ltx.Txid;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The starter's readers of LiteFS's mount files and events, against the golden captures and bad input. */
class WireFormatTests {

  @Test
  void everyGoldenEventLineParses() throws IOException {
    try (Stream<Path> files = Files.walk(Vectors.dir().resolve("events"))) {
      List<Path> ndjson = files.filter(p -> p.toString().endsWith(".ndjson")).toList();
      assertThat(ndjson).hasSizeGreaterThanOrEqualTo(5);
      for (Path file : ndjson) {
        for (String line : Files.readAllLines(file)) {
          assertThat(LiteFsEvent.parse(line)).as("%s: %s", file.getFileName(), line).isNotInstanceOf(LiteFsEvent.Other.class);
        }
      }
    }
  }

  @Test
  void goldenInitAndTxEventsCarryRoleAndPosition() throws IOException {
    List<String> replica = Files.readAllLines(Vectors.dir().resolve("events/lz4/events-replica.ndjson"));
    assertThat(LiteFsEvent.parse(replica.get(0))).isEqualTo(new LiteFsEvent.Role(true, false, "node1"));
    assertThat(LiteFsEvent.parse(replica.get(1)))
        .isEqualTo(new LiteFsEvent.Tx("delete.db", Pos.parse("0000000000000001/8e59b0f9c947193f")));
    List<String> primary = Files.readAllLines(Vectors.dir().resolve("events/lz4/events-primary.ndjson"));
    assertThat(LiteFsEvent.parse(primary.get(0))).isEqualTo(new LiteFsEvent.Role(true, true, null));
    List<String> down = Files.readAllLines(Vectors.dir().resolve("events/raw/events-replica-primary-down.ndjson"));
    assertThat(LiteFsEvent.parse(down.get(1))).isEqualTo(new LiteFsEvent.Role(false, false, null));
  }

  @Test
  void malformedEventLinesAreRejectedWithoutQuotingThem() {
    for (String line : List.of("", "not json", "{", "[1,2]", "{\"type\":1}", "{\"data\":{}}",
        "{\"type\":\"init\",\"data\":{\"isPrimary\":\"PAYLOAD\"}}",
        "{\"type\":\"tx\",\"db\":\"a.db\",\"data\":{\"txID\":\"12\",\"postApplyChecksum\":\"8000000000000000\"}}",
        "{\"type\":\"tx\",\"db\":\"a.db\",\"data\":{\"txID\":\"000000000000000\u0661\",\"postApplyChecksum\":\"8000000000000000\"}}",
        "{\"type\":\"init\",\"data\":{\"isPrimary\":true}} PAYLOAD", "[".repeat(100), "x".repeat(10_000))) {
      assertThatIllegalArgumentException().as(line.length() > 40 ? line.substring(0, 40) : line)
          .isThrownBy(() -> LiteFsEvent.parse(line))
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("PAYLOAD"));
    }
  }

  @Test
  void unknownEventTypesAreKeptApart() {
    assertThat(LiteFsEvent.parse("{\"type\":\"somethingNew\",\"data\":{\"x\":[1,2.5,null,\"\\u0041\"]}}"))
        .isEqualTo(new LiteFsEvent.Other("somethingNew"));
  }

  @Test
  void goldenPositionFilesAreRead(@TempDir Path dir) throws IOException {
    try (Stream<Path> files = Files.list(Vectors.dir().resolve("pos"))) {
      for (Path f : files.filter(p -> p.getFileName().toString().contains("-pos.")).toList()) {
        Files.copy(f, dir.resolve("x.db-pos"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        String expected = Files.readString(f).strip();
        assertThat(new MountFiles(dir).readPosition("x.db")).as(f.getFileName().toString())
            .isEqualTo(Pos.parse(expected));
      }
    }
  }

  @Test
  void goldenPrimaryAndLagFilesAreRead(@TempDir Path dir) throws IOException {
    Files.copy(Vectors.dir().resolve("pos/replica.primary"), dir.resolve(".primary"));
    Files.copy(Vectors.dir().resolve("pos/replica.lag"), dir.resolve(".lag"));
    MountFiles files = new MountFiles(dir);
    assertThat(files.readPrimary()).isEqualTo(new MountFiles.PrimaryFile(true, java.util.Optional.of("node1")));
    assertThat(files.readLag()).contains(java.time.Duration.ofMillis(518));
    assertThat(MountFiles.isMount(dir)).isTrue();
  }

  @Test
  void missingFilesMeanNoPrimaryFileAndPositionZero(@TempDir Path dir) {
    MountFiles files = new MountFiles(dir);
    assertThat(files.readPrimary()).isEqualTo(MountFiles.PrimaryFile.ABSENT);
    assertThat(files.readPosition("app.db")).isEqualTo(Pos.ZERO);
    assertThat(files.readLag()).isEmpty();
    assertThat(MountFiles.isMount(dir)).isFalse();
  }

  @Test
  void lagBeforeTheFirstSyncIsUnknown(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve(".lag"), "+2147483647\n");
    assertThat(new MountFiles(dir).readLag()).isEmpty();
  }

  @Test
  void aPrimaryFileWithHeaderBreakingCharactersMeansAnUnknownPrimary(@TempDir Path dir) throws IOException {
    MountFiles files = new MountFiles(dir);
    for (String bad : List.of("evil\r\nSet-Cookie: a=b", "node1;state=x", "node 1", "nöde", "a/b", "x".repeat(300))) {
      Files.writeString(dir.resolve(".primary"), bad + "\n");
      assertThat(files.readPrimary()).as(bad).isEqualTo(new MountFiles.PrimaryFile(true, java.util.Optional.empty()));
    }
  }

  @Test
  void malformedPositionAndLagFilesAreIgnored(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("a.db-pos"), "zzzzzzzzzzzzzzzz/8000000000000000\n");
    Files.writeString(dir.resolve(".lag"), "soon\n");
    assertThat(new MountFiles(dir).readPosition("a.db")).isEqualTo(Pos.ZERO);
    assertThat(new MountFiles(dir).readLag()).isEmpty();
  }

  @Test
  void hostnamesAllowOnlyHeaderAndUrlSafeCharacters() {
    assertThat(Hostnames.isValid("3d8d9e3b1e2289")).isTrue();
    assertThat(Hostnames.isValid("node-1.internal_x")).isTrue();
    assertThat(Hostnames.isValid("127.0.0.1")).isTrue();
    for (String bad : new String[] {null, "", "a b", "a;b", "a=b", "a\"b", "a\nb", "a:8080", "é", "x".repeat(254)}) {
      assertThat(Hostnames.isValid(bad)).as(String.valueOf(bad)).isFalse();
    }
    assertThat(Hostnames.quote("a\r\n\"b\"")).isEqualTo("\"a\\u000d\\u000a\\\"b\\\"\"");
  }

  @Test
  void txidTokensRoundTripForOneAndSeveralDatabases() {
    List<Txid> one = List.of(Txid.of(0x27));
    assertThat(TxidText.formatToken(one)).isEqualTo("0000000000000027");
    assertThat(TxidText.parseToken("0000000000000027", 1)).isEqualTo(one);
    List<Txid> two = List.of(Txid.of(5), Txid.of(0xffffffffffffffffL));
    assertThat(TxidText.formatToken(two)).isEqualTo("0000000000000005.ffffffffffffffff");
    assertThat(TxidText.parseToken("0000000000000005.FFFFFFFFFFFFFFFF", 2)).isEqualTo(two);
  }

  @Test
  void malformedOrForeignTxidTokensAreRejected() {
    for (String bad : new String[] {null, "", "27", "000000000000002g", "0000000000000027 ", "000000000000002\u0667",
        "0000000000000005-0000000000000006", "0000000000000005.0000000000000006"}) {
      assertThat(TxidText.parseToken(bad, 1)).as(String.valueOf(bad)).isNull();
    }
    assertThat(TxidText.parseToken("0000000000000005", 2)).isNull();
  }
}
