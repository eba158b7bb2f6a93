package dev.litefs.core.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.litefs.core.ltx.LtxDecoder;
import dev.litefs.core.ltx.LtxFileInfo;
import dev.litefs.core.ltx.Pos;
import dev.litefs.core.testing.Vectors;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every {@code /stream} request and response captured from LiteFS decodes, and re-encodes byte for byte. */
class StreamGoldenTest {
  static final ObjectMapper JSON = new ObjectMapper();

  static Stream<Arguments> captures() throws IOException {
    List<Arguments> args = new ArrayList<>();
    for (String run : List.of("lz4", "raw")) {
      JsonNode expected = JSON.readTree(Vectors.path("expected/stream-" + run + ".json").toFile());
      expected.fieldNames().forEachRemaining(name -> args.add(Arguments.of(run, name, expected.get(name))));
    }
    return args.stream();
  }

  record Decoded(List<StreamFrame> frames, List<byte[]> ltxBodies) {}

  static Decoded decode(byte[] body) throws IOException {
    StreamReader r = new StreamReader(new ByteArrayInputStream(body));
    List<StreamFrame> frames = new ArrayList<>();
    List<byte[]> bodies = new ArrayList<>();
    for (StreamFrame f; (f = r.next()) != null; ) {
      frames.add(f);
      if (f instanceof StreamFrame.Ltx) {
        bodies.add(r.ltxBody().readAllBytes());
      }
    }
    return new Decoded(frames, bodies);
  }

  @ParameterizedTest(name = "{0}/{1}")
  @MethodSource("captures")
  void requestPositionMapsRoundTrip(String run, String name, JsonNode expected) throws IOException {
    byte[] req = Files.readAllBytes(Vectors.path("stream/" + run + "/" + name + ".req-body"));
    SortedMap<String, Pos> map = PosMap.read(new ByteArrayInputStream(req));
    List<String> got = new ArrayList<>();
    map.forEach((db, pos) -> got.add(db + "@" + pos));
    List<String> want = new ArrayList<>();
    expected.get("request_posmap").forEach(e -> want.add(e.get(0).asText() + "@" + e.get(1).asText() + "/" + e.get(2).asText()));
    assertThat(got).isEqualTo(want);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PosMap.write(out, map);
    assertThat(out.toByteArray()).isEqualTo(req);
  }

  @ParameterizedTest(name = "{0}/{1}")
  @MethodSource("captures")
  void responseFramesDecodeAsCaptured(String run, String name, JsonNode expected) throws IOException {
    byte[] body = Files.readAllBytes(Vectors.path("stream/" + run + "/" + name + ".resp-body"));
    Decoded d = decode(body);
    JsonNode frames = expected.get("frames");
    assertThat(d.frames).hasSize(frames.size());
    int ltx = 0;
    for (int i = 0; i < frames.size(); i++) {
      JsonNode e = frames.get(i);
      StreamFrame f = d.frames.get(i);
      switch (e.get("type").asInt()) {
        case 1 -> {
          assertThat(f).isEqualTo(new StreamFrame.Ltx(e.get("db").asText()));
          byte[] file = d.ltxBodies.get(ltx++);
          assertThat(file).hasSize(e.get("ltx_len").asInt());
          LtxFileInfo info = LtxDecoder.verify(new ByteArrayInputStream(file), name);
          JsonNode l = e.get("ltx");
          assertThat(info.header().minTxid().value()).isEqualTo(l.get("minTXID").asLong());
          assertThat(info.header().maxTxid().value()).isEqualTo(l.get("maxTXID").asLong());
          assertThat(info.header().commit()).isEqualTo(l.get("commit").asInt());
          assertThat(info.trailer().postApplyChecksum().toString()).isEqualTo(l.get("post").asText());
          assertThat(info.trailer().fileChecksum().toString()).isEqualTo(l.get("fileChecksum").asText());
        }
        case 2 -> assertThat(f).isEqualTo(new StreamFrame.Ready());
        case 3 -> assertThat(f).isEqualTo(new StreamFrame.End());
        case 4 -> assertThat(f).isEqualTo(new StreamFrame.DropDb(e.get("db").asText()));
        case 6 -> assertThat(f).isEqualTo(new StreamFrame.Hwm(dev.litefs.core.ltx.Txid.parse(e.get("txid").asText()), e.get("db").asText()));
        case 7 -> assertThat(f).isEqualTo(new StreamFrame.Heartbeat(e.get("timestamp_ms").asLong()));
        default -> throw new AssertionError("unexpected type in capture: " + e);
      }
    }
  }

  @ParameterizedTest(name = "{0}/{1}")
  @MethodSource("captures")
  void reEncodingTheFramesReproducesFileBackedStreamsByteForByte(String run, String name, JsonNode expected)
      throws IOException {
    byte[] body = Files.readAllBytes(Vectors.path("stream/" + run + "/" + name + ".resp-body"));
    Decoded d = decode(body);
    byte[] fromStreams = reEncode(d, false);
    // Logged transactions are sent from their bytes in memory; the wire must not tell the two apart.
    assertThat(reEncode(d, true)).isEqualTo(fromStreams);
    boolean snapshotsChunkedPerWrite = false;
    for (JsonNode e : expected.get("frames")) {
      snapshotsChunkedPerWrite |= e.has("chunks") && e.get("chunks").size() > 1;
    }
    if (snapshotsChunkedPerWrite) {
      assertThat(decode(fromStreams).frames).isEqualTo(d.frames);
    } else {
      assertThat(fromStreams).isEqualTo(body);
    }
  }

  private static byte[] reEncode(Decoded d, boolean ltxFromBytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    StreamWriter w = new StreamWriter(out);
    int ltx = 0;
    for (StreamFrame f : d.frames) {
      if (f instanceof StreamFrame.Ltx l) {
        byte[] b = d.ltxBodies.get(ltx++);
        if (ltxFromBytes) {
          w.writeLtx(l.db(), b);
        } else {
          w.writeLtx(l.db(), new ByteArrayInputStream(b));
        }
      } else if (f instanceof StreamFrame.Ready) {
        w.writeReady();
      } else if (f instanceof StreamFrame.End) {
        w.writeEnd();
      } else if (f instanceof StreamFrame.DropDb dd) {
        w.writeDropDb(dd.db());
      } else if (f instanceof StreamFrame.Hwm h) {
        w.writeHwm(h.txid(), h.db());
      } else if (f instanceof StreamFrame.Heartbeat h) {
        w.writeHeartbeat(h.timestamp());
      }
    }
    return out.toByteArray();
  }

  @Test
  void aStreamCutInsideAFrameIsAnError() throws IOException {
    byte[] body = Files.readAllBytes(Vectors.path("stream/lz4/delete-from-tx2.resp-body"));
    byte[] cut = java.util.Arrays.copyOf(body, 200);
    StreamReader r = new StreamReader(new ByteArrayInputStream(cut));
    assertThat(r.next()).isInstanceOf(StreamFrame.Ltx.class);
    assertThatThrownBy(() -> r.ltxBody().readAllBytes()).isInstanceOf(EOFException.class)
        .hasMessageContaining("inside an LTX chunk");
  }

  @Test
  void unknownFrameTypesAndHugeLengthsAreRefused() {
    assertThatThrownBy(() -> new StreamReader(new ByteArrayInputStream(new byte[] {0, 0, 0, 9})).next())
        .isInstanceOf(StreamProtocolException.class).hasMessage("invalid stream frame type: 9");
    byte[] hugeName = {0, 0, 0, 4, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff};
    assertThatThrownBy(() -> new StreamReader(new ByteArrayInputStream(hugeName)).next())
        .isInstanceOf(StreamProtocolException.class).hasMessage("drop frame database name length 4294967295 exceeds 4096");
    byte[] hugeMap = {0x7f, 0, 0, 0};
    assertThatThrownBy(() -> PosMap.read(new ByteArrayInputStream(hugeMap)))
        .isInstanceOf(StreamProtocolException.class).hasMessage("position map count 2130706432 exceeds 100000");
  }

  @Test
  void aTruncatedPositionMapSaysUnexpectedEof() {
    // LiteFS answers "unexpected EOF" to the body "xy" (vectors/http/stream-bad-posmap).
    assertThatThrownBy(() -> PosMap.read(new ByteArrayInputStream("xy".getBytes())))
        .isInstanceOf(EOFException.class).hasMessageStartingWith("unexpected EOF");
  }

  @Test
  void chunkedWritesRoundTripPastOneChunk() throws IOException {
    byte[] big = new byte[200_000];
    new java.util.Random(1).nextBytes(big);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    StreamWriter w = new StreamWriter(out);
    try (var o = w.beginLtx("big.db")) {
      o.write(big, 0, 70_000);
      o.write(big, 70_000, big.length - 70_000);
    }
    w.writeReady();
    w.writeLtx("big.db", big);
    Decoded d = decode(out.toByteArray());
    assertThat(d.frames).containsExactly(new StreamFrame.Ltx("big.db"), new StreamFrame.Ready(),
        new StreamFrame.Ltx("big.db"));
    assertThat(d.ltxBodies.get(0)).isEqualTo(big);
    assertThat(d.ltxBodies.get(1)).isEqualTo(big);
  }
}
