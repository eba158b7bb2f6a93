package dev.litefs.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectFileOutputTest {
  @TempDir Path dir;

  @Test
  void writesEveryByteInOrderAndCutsTheFileToItsSize() throws IOException {
    Path file = Files.createFile(dir.resolve("f"));
    byte[] data = randomBytes(3 * 1024 * 1024 + 123);
    writeInOddPieces(file, data);
    assertThat(Files.readAllBytes(file)).isEqualTo(data);
  }

  @Test
  void aFileSmallerThanOneBlockKeepsItsSize() throws IOException {
    Path file = Files.createFile(dir.resolve("f"));
    byte[] data = randomBytes(100);
    writeInOddPieces(file, data);
    assertThat(Files.readAllBytes(file)).isEqualTo(data);
  }

  @Test
  void anExt4FileIsWrittenPastThePageCache() throws IOException {
    assumeTrue(Files.getFileStore(dir).type().equals("ext4"), "a temporary directory on ext4");
    try (DirectFileOutput out = new DirectFileOutput(Files.createFile(dir.resolve("f")), false)) {
      assertThat(out.bypassesPageCache()).isTrue();
    }
  }

  @Test
  void nothingWrittenLeavesTheFileEmpty() throws IOException {
    Path file = Files.createFile(dir.resolve("f"));
    new DirectFileOutput(file, true).close();
    assertThat(file).isEmptyFile();
  }

  @Test
  void writingAfterAnAbortFails() throws IOException {
    Path file = Files.createFile(dir.resolve("f"));
    DirectFileOutput out = new DirectFileOutput(file, false);
    out.write(randomBytes(5000));
    out.abort();
    assertThatThrownBy(() -> out.write(randomBytes(2 * 1024 * 1024)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(file.toString());
  }

  /** Writes {@code data} in pieces of 1 to about 70,000 bytes, so they straddle the buffers' edges. */
  private static void writeInOddPieces(Path file, byte[] data) throws IOException {
    Random sizes = new Random(7);
    try (DirectFileOutput out = new DirectFileOutput(file, true)) {
      for (int off = 0; off < data.length; ) {
        int n = Math.min(data.length - off, 1 + sizes.nextInt(70_000));
        out.write(data, off, n);
        off += n;
      }
    }
  }

  private static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    new Random(n).nextBytes(b);
    return b;
  }
}
