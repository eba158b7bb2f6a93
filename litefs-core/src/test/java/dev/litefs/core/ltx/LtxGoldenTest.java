package dev.litefs.core.ltx;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.litefs.core.testing.Vectors;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every LTX file captured from LiteFS v0.5.14 decodes, verifies, re-encodes and replays exactly. */
class LtxGoldenTest {
  @TempDir Path tmp;

  static Stream<Arguments> allFiles() {
    List<Arguments> args = new ArrayList<>();
    for (String run : Vectors.runs()) {
      for (String db : Vectors.databases()) {
        for (Path f : Vectors.ltxFiles(run, db)) {
          args.add(Arguments.of(run, db, f));
        }
      }
    }
    return args.stream();
  }

  static Stream<Arguments> runsAndDatabases() {
    List<Arguments> args = new ArrayList<>();
    for (String run : Vectors.runs()) {
      for (String db : Vectors.databases()) {
        args.add(Arguments.of(run, db));
      }
    }
    return args.stream();
  }

  record Decoded(LtxHeader header, List<Integer> pgnos, List<byte[]> pages, LtxTrailer trailer) {}

  static Decoded decode(Path f) throws IOException {
    LtxDecoder d = new LtxDecoder(new ByteArrayInputStream(Files.readAllBytes(f)), f.toString());
    List<Integer> pgnos = new ArrayList<>();
    List<byte[]> pages = new ArrayList<>();
    byte[] buf = new byte[d.header().pageSize()];
    for (int pgno; (pgno = d.decodePage(buf)) != 0; ) {
      pgnos.add(pgno);
      pages.add(buf.clone());
    }
    return new Decoded(d.header(), pgnos, pages, d.finish());
  }

  static byte[] encode(Decoded d, LtxHeader header) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    LtxEncoder e = new LtxEncoder(out, header);
    for (int i = 0; i < d.pgnos.size(); i++) {
      e.encodePage(d.pgnos.get(i), d.pages.get(i), 0);
    }
    e.finish(d.trailer.postApplyChecksum());
    return out.toByteArray();
  }

  @ParameterizedTest(name = "{0}/{1}/{2}")
  @MethodSource("allFiles")
  void decodesAndVerifiesEveryCapturedFile(String run, String db, Path f) throws IOException {
    Decoded d = decode(f);
    assertThat(d.header.pageSize()).isEqualTo(4096);
    assertThat(d.header.isCompressed()).isEqualTo(run.startsWith("lz4"));
    assertThat(LtxFileName.parse(f.getFileName().toString()))
        .isEqualTo(new LtxFileName(d.header.minTxid(), d.header.maxTxid()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("expectedRuns")
  void headersPagesAndTrailersMatchTheIndependentDecoder(String run) throws IOException {
    JsonNode expected = new ObjectMapper().readTree(Vectors.path("expected/ltx-" + run + ".json").toFile());
    int checked = 0;
    for (String db : Vectors.databases()) {
      for (JsonNode e : expected.get(db)) {
        if (!e.has("file")) {
          continue; // the summary entry of the replay
        }
        Decoded d = decode(Vectors.path("ltx/" + run + "/" + db + "/" + e.get("file").asText()));
        LtxHeader h = d.header;
        assertThat(h.flags()).isEqualTo(e.get("flags").asInt());
        assertThat(h.commit()).isEqualTo(e.get("commit").asInt());
        assertThat(h.minTxid().value()).isEqualTo(e.get("minTXID").asLong());
        assertThat(h.maxTxid().value()).isEqualTo(e.get("maxTXID").asLong());
        assertThat(h.timestamp()).isEqualTo(e.get("timestamp").asLong());
        assertThat(h.preApplyChecksum().toString()).isEqualTo(e.get("preApplyChecksum").asText());
        assertThat(h.walOffset()).isEqualTo(e.get("walOffset").asLong());
        assertThat(h.walSize()).isEqualTo(e.get("walSize").asLong());
        assertThat(Hex.format8(h.walSalt1())).isEqualTo(e.get("walSalt1").asText());
        assertThat(Hex.format8(h.walSalt2())).isEqualTo(e.get("walSalt2").asText());
        assertThat(Hex.format16(h.nodeId())).isEqualTo(e.get("nodeID").asText());
        List<Integer> pages = new ArrayList<>();
        e.get("pages").forEach(p -> pages.add(p.asInt()));
        assertThat(d.pgnos).isEqualTo(pages);
        assertThat(d.trailer.postApplyChecksum().toString()).isEqualTo(e.get("post").asText());
        assertThat(d.trailer.fileChecksum().toString()).isEqualTo(e.get("fileChecksum").asText());
        checked++;
      }
    }
    assertThat(checked).isEqualTo(16);
  }

  static Stream<String> expectedRuns() {
    return Stream.of("lz4", "raw");
  }

  @ParameterizedTest(name = "{0}/{1}/{2}")
  @MethodSource("allFiles")
  void reEncodingReproducesTheFile(String run, String db, Path f) throws IOException {
    byte[] original = Files.readAllBytes(f);
    Decoded d = decode(f);
    byte[] again = encode(d, d.header);
    if (!d.header.isCompressed()) {
      assertThat(again).isEqualTo(original);
    } else {
      // LZ4 output depends on the compressor; header, trailer (so the file checksum) and pages must match.
      assertThat(java.util.Arrays.copyOf(again, 100)).isEqualTo(java.util.Arrays.copyOf(original, 100));
      assertThat(java.util.Arrays.copyOfRange(again, again.length - 16, again.length))
          .isEqualTo(java.util.Arrays.copyOfRange(original, original.length - 16, original.length));
      Decoded back = decode(writeTemp(again));
      assertThat(back.pgnos).isEqualTo(d.pgnos);
      for (int i = 0; i < d.pages.size(); i++) {
        assertThat(back.pages.get(i)).isEqualTo(d.pages.get(i));
      }
    }
  }

  @Test
  void compressedAndPlainRunsHoldTheSamePages() throws IOException {
    for (String db : Vectors.databases()) {
      List<Path> lz4 = Vectors.ltxFiles("lz4", db);
      List<Path> raw = Vectors.ltxFiles("raw", db);
      assertThat(lz4).hasSameSizeAs(raw);
      for (int i = 0; i < lz4.size(); i++) {
        Decoded a = decode(lz4.get(i));
        Decoded b = decode(raw.get(i));
        assertThat(a.pgnos).isEqualTo(b.pgnos);
        for (int p = 0; p < a.pages.size(); p++) {
          assertThat(a.pages.get(p)).isEqualTo(b.pages.get(p));
        }
        assertThat(a.trailer.postApplyChecksum()).isEqualTo(b.trailer.postApplyChecksum());
      }
    }
  }

  @ParameterizedTest(name = "{0}/{1}")
  @MethodSource("runsAndDatabases")
  void replayingInOrderReproducesTheCapturedDatabase(String run, String db) throws IOException {
    Path target = tmp.resolve(db);
    Pos pos = LtxApplier.apply(target, Vectors.ltxFiles(run, db));
    Path captured = Vectors.path("ltx/" + run + "/" + db + "/database");
    if (db.equals("drop.db")) {
      assertThat(target).doesNotExist();
      assertThat(captured).doesNotExist();
      assertThat(pos.toString()).isEqualTo("0000000000000003/8000000000000000");
    } else {
      assertThat(Files.readAllBytes(target)).isEqualTo(Files.readAllBytes(captured));
      String posFile = Files.readString(Vectors.path("pos/" + db + "-pos.tx" + pos.txid().value()));
      assertThat(pos + "\n").isEqualTo(posFile);
    }
  }

  @ParameterizedTest(name = "{0}/{1}")
  @MethodSource("runsAndDatabases")
  void compactingAllFilesGivesASnapshotOfTheFinalDatabase(String run, String db) throws IOException {
    List<Path> files = Vectors.ltxFiles(run, db);
    List<java.io.InputStream> ins = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (Path f : files) {
      ins.add(new ByteArrayInputStream(Files.readAllBytes(f)));
      names.add(f.toString());
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    LtxFileInfo info = LtxCompactor.compact(ins, names, out, true);
    assertThat(info.header().isSnapshot()).isTrue();
    assertThat(info.header().nodeId()).isZero();
    Decoded last = decode(files.get(files.size() - 1));
    assertThat(info.header().maxTxid()).isEqualTo(last.header.maxTxid());
    assertThat(info.trailer().postApplyChecksum()).isEqualTo(last.trailer.postApplyChecksum());
    Path snapshot = writeTemp(out.toByteArray());
    Path target = tmp.resolve("compacted-" + db);
    LtxApplier.apply(target, List.of(snapshot));
    Path captured = Vectors.path("ltx/" + run + "/" + db + "/database");
    if (Files.exists(captured)) {
      assertThat(Files.readAllBytes(target)).isEqualTo(Files.readAllBytes(captured));
    } else {
      assertThat(target).doesNotExist();
    }
  }

  private Path writeTemp(byte[] b) throws IOException {
    Path p = Files.createTempFile(tmp, "ltx", ".ltx");
    Files.write(p, b);
    return p;
  }
}
