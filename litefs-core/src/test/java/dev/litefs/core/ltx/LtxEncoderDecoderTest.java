package dev.litefs.core.ltx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The encoder's and decoder's rules for pages and trailers, each with its message. */
class LtxEncoderDecoderTest {
  static final int PS = 512;

  static byte[] page(int seed) {
    byte[] p = new byte[PS];
    Arrays.fill(p, (byte) seed);
    return p;
  }

  static LtxEncoder encoder(ByteArrayOutputStream out, Txid min, int commit, boolean compress) throws IOException {
    LtxHeader h = LtxHeader.builder(PS, commit, min, min).compressed(compress)
        .preApplyChecksum(min.value() == 1 ? Checksum.NONE : Checksum.EMPTY).build();
    return new LtxEncoder(out, h);
  }

  static Checksum checksumOf(int... pgnos) {
    long x = 0;
    for (int p : pgnos) {
      x ^= PageChecksums.page(p, page(p), 0, PS);
    }
    return Checksum.of(x | Checksum.FLAG);
  }

  /** A valid snapshot of pages 1..n, each filled with its page number. */
  static byte[] snapshot(int n, boolean compress) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    LtxEncoder e = encoder(out, Txid.of(1), n, compress);
    int[] all = new int[n];
    for (int i = 1; i <= n; i++) {
      e.encodePage(i, page(i), 0);
      all[i - 1] = i;
    }
    e.finish(checksumOf(all));
    return out.toByteArray();
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void aSnapshotRoundTrips(boolean compress) throws IOException {
    byte[] file = snapshot(3, compress);
    LtxDecoder d = new LtxDecoder(new ByteArrayInputStream(file), "snap");
    byte[] buf = new byte[PS];
    for (int i = 1; i <= 3; i++) {
      assertThat(d.decodePage(buf)).isEqualTo(i);
      assertThat(buf).isEqualTo(page(i));
    }
    assertThat(d.decodePage(buf)).isZero();
    assertThat(d.finish().postApplyChecksum()).isEqualTo(checksumOf(1, 2, 3));
  }

  @Test
  void pageNumberZeroIsRefused() throws IOException {
    LtxEncoder e = encoder(new ByteArrayOutputStream(), Txid.of(2), 3, false);
    assertThatThrownBy(() -> e.encodePage(0, page(0), 0)).hasMessage("page number required");
  }

  @Test
  void pagesPastTheCommitAreRefused() throws IOException {
    LtxEncoder e = encoder(new ByteArrayOutputStream(), Txid.of(2), 3, false);
    assertThatThrownBy(() -> e.encodePage(4, page(4), 0)).hasMessage("page number 4 out-of-bounds for commit size 3");
  }

  @Test
  void theLockPageIsNeverEncoded() throws IOException {
    int lock = PageChecksums.lockPage(PS);
    assertThat(lock).isEqualTo(2097153);
    assertThat(PageChecksums.lockPage(4096)).isEqualTo(262145);
    LtxEncoder e = encoder(new ByteArrayOutputStream(), Txid.of(2), lock + 5, false);
    assertThatThrownBy(() -> e.encodePage(lock, page(1), 0)).hasMessage("cannot encode lock page: pgno=2097153");
  }

  @Test
  void nonSnapshotPagesMustAscend() throws IOException {
    LtxEncoder e = encoder(new ByteArrayOutputStream(), Txid.of(2), 9, false);
    e.encodePage(5, page(5), 0);
    assertThatThrownBy(() -> e.encodePage(5, page(5), 0)).hasMessage("out-of-order page numbers: 5,5");
    assertThatThrownBy(() -> e.encodePage(3, page(3), 0)).hasMessage("out-of-order page numbers: 5,3");
  }

  @Test
  void snapshotPagesMustBeSequential() throws IOException {
    LtxEncoder e = encoder(new ByteArrayOutputStream(), Txid.of(1), 9, false);
    e.encodePage(1, page(1), 0);
    assertThatThrownBy(() -> e.encodePage(3, page(3), 0))
        .hasMessage("nonsequential page numbers in snapshot transaction: 1,3");
  }

  @Test
  void aSnapshotMustHoldEveryPage() throws IOException {
    LtxEncoder e = encoder(new ByteArrayOutputStream(), Txid.of(1), 3, false);
    e.encodePage(1, page(1), 0);
    assertThatThrownBy(() -> e.finish(checksumOf(1)))
        .hasMessage("snapshot transaction file must contain all pages: last page 1 of 3");
  }

  @Test
  void aDeletedDatabaseHasTheEmptyChecksum() throws IOException {
    LtxEncoder e = encoder(new ByteArrayOutputStream(), Txid.of(3), 0, false);
    assertThatThrownBy(() -> e.finish(Checksum.of(0x8000000000000001L)))
        .hasMessage("post-apply checksum must be empty for zero-length database, got 8000000000000001");
  }

  @Test
  void thePostApplyChecksumMustCarryTheFlag() throws IOException {
    LtxEncoder e = encoder(new ByteArrayOutputStream(), Txid.of(3), 0, false);
    assertThatThrownBy(() -> e.finish(Checksum.of(5))).hasMessage("invalid post-apply checksum format: 0000000000000005");
  }

  @Test
  void aPageOfTheWrongSizeIsRefused() throws IOException {
    LtxEncoder e = encoder(new ByteArrayOutputStream(), Txid.of(2), 3, false);
    assertThatThrownBy(() -> e.encodePage(1, new byte[PS - 1], 0)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void aFlippedBitAnywhereFailsVerification() throws IOException {
    byte[] file = snapshot(2, false);
    for (int i = 0; i < file.length; i += 37) {
      byte[] bad = file.clone();
      bad[i] ^= 0x10;
      assertThatThrownBy(() -> LtxDecoder.verify(new ByteArrayInputStream(bad), "f"))
          .as("bit flip at byte %d", i).isInstanceOf(LtxException.class);
    }
  }

  @Test
  void theFileChecksumMismatchNamesBothValues() throws IOException {
    byte[] file = snapshot(2, false);
    LtxTrailer t = LtxTrailer.decode(file, file.length - 16);
    file[150] ^= 1;
    assertThatThrownBy(() -> LtxDecoder.verify(new ByteArrayInputStream(file), "x.ltx"))
        .isInstanceOf(ChecksumMismatchException.class)
        .hasMessageStartingWith("x.ltx: file checksum mismatch: trailer has " + t.fileChecksum() + ", computed ");
  }

  @Test
  void aSnapshotWhosePagesDisagreeWithItsPostApplyChecksumFails() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    LtxEncoder e = encoder(out, Txid.of(1), 1, false);
    e.encodePage(1, page(1), 0);
    e.finish(checksumOf(2));
    assertThatThrownBy(() -> LtxDecoder.verify(new ByteArrayInputStream(out.toByteArray()), "s.ltx"))
        .isInstanceOf(ChecksumMismatchException.class)
        .hasMessage("s.ltx: post-apply checksum in trailer (" + checksumOf(2)
            + ") does not match calculated checksum (" + checksumOf(1) + ")");
  }

  @Test
  void aTruncatedFileSaysWhereItEnded() throws IOException {
    byte[] file = Arrays.copyOf(snapshot(2, false), 300);
    assertThatThrownBy(() -> LtxDecoder.verify(new ByteArrayInputStream(file), "t.ltx"))
        .hasMessage("t.ltx: unexpected end of file reading page 1 (196 of 512 bytes)");
    assertThatThrownBy(() -> LtxDecoder.verify(new ByteArrayInputStream(new byte[10]), "h.ltx"))
        .hasMessage("h.ltx: unexpected end of file reading header (10 of 100 bytes)");
  }

  @Test
  void bytesAfterTheTrailerAreRefused() throws IOException {
    byte[] file = Arrays.copyOf(snapshot(1, false), snapshot(1, false).length + 1);
    assertThatThrownBy(() -> LtxDecoder.verify(new ByteArrayInputStream(file), "x"))
        .hasMessage("x: unexpected data after the trailer");
  }

  @Test
  void theDecoderRefusesPagesPastTheCommitOrOutOfOrder() throws IOException {
    byte[] file = snapshot(2, false);
    byte[] past = file.clone();
    past[100 + 3] = 9; // first page header says page 9
    assertThatThrownBy(() -> LtxDecoder.verify(new ByteArrayInputStream(past), "p"))
        .hasMessage("p: page number 9 out-of-bounds for commit size 2");
    byte[] swapped = file.clone();
    swapped[100 + 3] = 2; // snapshot starting at page 2
    assertThatThrownBy(() -> LtxDecoder.verify(new ByteArrayInputStream(swapped), "q"))
        .hasMessage("q: nonsequential page numbers in snapshot transaction: 0,2");
  }

  @Test
  void aMangledLz4FrameIsReportedAsSuch() throws IOException {
    byte[] file = snapshot(2, true);
    file[100] = 0; // the LZ4 magic
    assertThatThrownBy(() -> LtxDecoder.verify(new ByteArrayInputStream(file), "z"))
        .isInstanceOf(LtxException.class).hasMessageStartingWith("z: invalid LZ4 page block reading page header");
  }

  @Test
  void theTrailerNeedsBothChecksumsFlagged() {
    assertThatThrownBy(() -> new LtxTrailer(Checksum.NONE, Checksum.EMPTY).validate()).hasMessage("post-apply checksum required");
    assertThatThrownBy(() -> new LtxTrailer(Checksum.of(1), Checksum.EMPTY).validate())
        .hasMessage("invalid post-apply checksum format: 0000000000000001");
    assertThatThrownBy(() -> new LtxTrailer(Checksum.EMPTY, Checksum.NONE).validate()).hasMessage("file checksum required");
    assertThatThrownBy(() -> new LtxTrailer(Checksum.EMPTY, Checksum.of(2)).validate())
        .hasMessage("invalid file checksum format: 0000000000000002");
  }
}
