package dev.litefs.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.litefs.core.ltx.LtxFileName;
import dev.litefs.core.ltx.Txid;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commit log on its own: records survive a reopen; whatever a crash tore is cut off, never read. */
class LtxLogTest {
  @TempDir Path dir;

  static byte[] record(long txid, int payloadSize) {
    byte[] b = new byte[LtxLog.HEADER_SIZE + payloadSize];
    for (int i = LtxLog.HEADER_SIZE; i < b.length; i++) {
      b[i] = (byte) (txid * 31 + i);
    }
    return b;
  }

  static byte[] payload(long txid, int payloadSize) {
    byte[] r = record(txid, payloadSize);
    return java.util.Arrays.copyOfRange(r, LtxLog.HEADER_SIZE, r.length);
  }

  static LtxFileName name(long txid) {
    return LtxFileName.of(Txid.of(txid));
  }

  void append(LtxLog log, long from, long to) throws IOException {
    for (long t = from; t <= to; t++) {
      byte[] r = record(t, 100 + (int) t);
      log.append(Txid.of(t), Txid.of(t), r, r.length);
    }
  }

  List<Path> segments() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      List<Path> l = new ArrayList<>(s.filter(p -> p.toString().endsWith(".log")).sorted().toList());
      return l;
    }
  }

  @Test
  void recordsAreReadBackAfterReopen() throws IOException {
    try (LtxLog log = LtxLog.open(dir, 1 << 20)) {
      append(log, 5, 9);
      log.sync();
    }
    try (LtxLog log = LtxLog.open(dir, 1 << 20)) {
      assertThat(log.names()).containsExactly(name(5), name(6), name(7), name(8), name(9));
      assertThat(log.last()).contains(name(9));
      assertThat(log.read(name(7))).hasValueSatisfying(b -> assertThat(b).isEqualTo(payload(7, 107)));
      assertThat(log.read(name(10))).isEmpty();
      assertThat(log.read(name(4))).isEmpty();
    }
  }

  @Test
  void aRecordTornByACrashIsCutOffAndAppendsContinueBeforeIt() throws IOException {
    try (LtxLog log = LtxLog.open(dir, 1 << 20)) {
      append(log, 1, 3);
      log.sync();
    }
    Path seg = segments().get(0);
    long size = Files.size(seg);
    try (FileChannel ch = FileChannel.open(seg, StandardOpenOption.WRITE)) {
      ch.truncate(size - 10);
    }
    try (LtxLog log = LtxLog.open(dir, 1 << 20)) {
      assertThat(log.names()).containsExactly(name(1), name(2));
      assertThat(Files.size(seg)).isEqualTo(size - (LtxLog.HEADER_SIZE + 103));
      append(log, 3, 4);
      log.sync();
    }
    try (LtxLog log = LtxLog.open(dir, 1 << 20)) {
      assertThat(log.names()).containsExactly(name(1), name(2), name(3), name(4));
      assertThat(log.read(name(3))).hasValueSatisfying(b -> assertThat(b).isEqualTo(payload(3, 103)));
    }
  }

  @Test
  void theZerosWrittenAheadOfTheRecordsAreDroppedAfterACrash() throws IOException {
    LtxLog crashed = LtxLog.open(dir, 1 << 20);
    append(crashed, 1, 3);
    crashed.sync();
    Path seg = segments().get(0);
    assertThat(Files.size(seg)).as("preallocated").isGreaterThan(3L * (LtxLog.HEADER_SIZE + 103));
    // No close: what a killed process leaves.
    try (LtxLog log = LtxLog.open(dir, 1 << 20)) {
      assertThat(log.names()).containsExactly(name(1), name(2), name(3));
      assertThat(Files.size(seg)).isEqualTo(3L * LtxLog.HEADER_SIZE + 101 + 102 + 103);
    }
  }

  @Test
  void aFlippedByteEndsTheLogBeforeItsRecord() throws IOException {
    try (LtxLog log = LtxLog.open(dir, 1 << 20)) {
      append(log, 1, 4);
      log.sync();
    }
    Path seg = segments().get(0);
    long third = 2L * LtxLog.HEADER_SIZE + 101 + 102;
    byte[] all = Files.readAllBytes(seg);
    all[(int) third + LtxLog.HEADER_SIZE + 50] ^= 1;
    Files.write(seg, all);
    try (LtxLog log = LtxLog.open(dir, 1 << 20)) {
      assertThat(log.names()).containsExactly(name(1), name(2));
      assertThat(Files.size(seg)).isEqualTo(third);
    }
  }

  @Test
  void aRecordThatDoesNotFollowThePreviousTxidEndsTheLog() throws IOException {
    try (LtxLog log = LtxLog.open(dir, 1 << 20)) {
      append(log, 1, 2);
      log.sync();
    }
    // Bytes of a later record copied after a gap (what an out-of-order write-back could leave).
    Path seg = segments().get(0);
    byte[] r = record(4, 10);
    try (LtxLog other = LtxLog.open(dir.resolve("other"), 1 << 20)) {
      other.append(Txid.of(4), Txid.of(4), r, r.length);
      other.sync();
    }
    byte[] rec4 = Files.readAllBytes(dir.resolve("other").resolve("0000000000000004.log"));
    Files.write(seg, rec4, StandardOpenOption.APPEND);
    try (LtxLog log = LtxLog.open(dir, 1 << 20)) {
      assertThat(log.names()).containsExactly(name(1), name(2));
    }
  }

  @Test
  void aFullSegmentIsFollowedByANewOneNamedForItsFirstTxid() throws IOException {
    try (LtxLog log = LtxLog.open(dir, 1000)) {
      append(log, 1, 20);
      log.sync();
    }
    List<Path> segs = segments();
    assertThat(segs.size()).isGreaterThanOrEqualTo(3);
    assertThat(segs.get(0).getFileName().toString()).isEqualTo("0000000000000001.log");
    for (Path p : segs) {
      assertThat(Files.size(p)).isLessThanOrEqualTo(1000);
    }
    try (LtxLog log = LtxLog.open(dir, 1000)) {
      assertThat(log.names()).hasSize(20);
      assertThat(log.read(name(2))).hasValueSatisfying(b -> assertThat(b).isEqualTo(payload(2, 102)));
      assertThat(log.read(name(20))).hasValueSatisfying(b -> assertThat(b).isEqualTo(payload(20, 120)));
    }
  }

  @Test
  void aTxidThatDoesNotFollowTheLastStartsANewSegment() throws IOException {
    try (LtxLog log = LtxLog.open(dir, 1 << 20)) {
      append(log, 1, 3);
      append(log, 10, 11);
      log.sync();
    }
    assertThat(segments()).extracting(p -> p.getFileName().toString())
        .containsExactly("0000000000000001.log", "000000000000000a.log");
    try (LtxLog log = LtxLog.open(dir, 1 << 20)) {
      assertThat(log.names()).containsExactly(name(1), name(2), name(3), name(10), name(11));
    }
  }

  @Test
  void aDiscardedRecordIsNeitherReadNorFoundAfterReopen() throws IOException {
    try (LtxLog log = LtxLog.open(dir, 1 << 20)) {
      append(log, 1, 3);
      log.discardLast();
      assertThat(log.last()).contains(name(2));
      log.sync();
    }
    try (LtxLog log = LtxLog.open(dir, 1 << 20)) {
      assertThat(log.names()).containsExactly(name(1), name(2));
      append(log, 3, 3);
      assertThat(log.last()).contains(name(3));
    }
  }

  @Test
  void retentionDeletesOldSegmentsButNeverTheNewest() throws IOException {
    try (LtxLog log = LtxLog.open(dir, 1000)) {
      append(log, 1, 20);
      log.sync();
      FileTime old = FileTime.from(Instant.now().minusSeconds(3600));
      for (Path p : segments()) {
        Files.setLastModifiedTime(p, old);
      }
      int n = segments().size();
      int deleted = log.deleteOlderThan(Instant.now().minusSeconds(60));
      assertThat(segments()).hasSize(1);
      assertThat(deleted).isGreaterThan(n - 2);
      assertThat(log.last()).contains(name(20));
      assertThat(log.read(name(1))).isEmpty();
    }
  }

  @Test
  void cuttingBeforeATxidDropsItAndEverythingAfter() throws IOException {
    try (LtxLog log = LtxLog.open(dir, 1 << 20)) {
      append(log, 1, 5);
      log.truncateBefore(Txid.of(4));
      assertThat(log.last()).contains(name(3));
      append(log, 4, 4);
      log.sync();
    }
    try (LtxLog log = LtxLog.open(dir, 1 << 20)) {
      assertThat(log.names()).containsExactly(name(1), name(2), name(3), name(4));
    }
  }

  @Test
  void aSegmentWithoutOneCompleteRecordIsRemovedAtOpen() throws IOException {
    try (LtxLog log = LtxLog.open(dir, 1 << 20)) {
      append(log, 1, 1);
      log.sync();
    }
    Files.write(dir.resolve("0000000000000002.log"), new byte[] {1, 2, 3});
    try (LtxLog log = LtxLog.open(dir, 1 << 20)) {
      assertThat(log.names()).containsExactly(name(1));
      append(log, 2, 2);
      log.sync();
    }
    try (LtxLog log = LtxLog.open(dir, 1 << 20)) {
      assertThat(log.names()).containsExactly(name(1), name(2));
    }
  }
}
