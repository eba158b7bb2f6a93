package dev.litefs.core.replication;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The chunked body of an LTX frame written as an encoder produces it (snapshots). */
class StreamWriterTest {
  @Test
  void aBodyWrittenInPiecesOfAnySizeIsReadBackWholeInChunksOfAtMost65535Bytes() throws IOException {
    byte[] body = new byte[700_000];
    new Random(7).nextBytes(body);
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    StreamWriter w = new StreamWriter(wire);
    int[] pieces = {1, 3, 100, 65_535, 300_000, 4, 1};
    int off = 0;
    try (OutputStream out = w.beginLtx("app.db")) {
      for (int i = 0; off < body.length; i++) {
        int n = Math.min(pieces[i % pieces.length], body.length - off);
        out.write(body, off, n);
        off += n;
        if (i == 3) {
          out.flush();
        }
      }
    }
    w.writeEnd();

    StreamReader r = new StreamReader(new ByteArrayInputStream(wire.toByteArray()));
    assertThat(r.next()).isInstanceOf(StreamFrame.Ltx.class);
    assertThat(r.ltxBody().readAllBytes()).isEqualTo(body);
    assertThat(r.next()).isInstanceOf(StreamFrame.End.class);

    DataInputStream chunks = new DataInputStream(new ByteArrayInputStream(wire.toByteArray()));
    chunks.skipNBytes(4 + 8 + 4 + "app.db".length());
    List<Integer> lengths = new ArrayList<>();
    for (int n; (n = chunks.readUnsignedShort()) != 0; ) {
      lengths.add(n);
      chunks.skipNBytes(n);
    }
    assertThat(lengths).allMatch(n -> n > 0 && n <= StreamWriter.MAX_CHUNK);
    assertThat(lengths.stream().mapToInt(Integer::intValue).sum()).isEqualTo(body.length);
  }
}
