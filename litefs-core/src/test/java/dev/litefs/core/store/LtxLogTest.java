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
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commit log on its own: records survive a reopen; whatever a crash tore is cut off, never read. A log
 * that is not closed is what a killed process leaves.
 */
class LtxLogTest {
  @TempDir Path dir;

  static byte[] record(long txid, int payloadSize) {
    byte[] b = new byte[LtxLog.HEADER_SIZE + payloadSize];
    for (int i = LtxLog.HEADER_SIZE; i < b.length; i++) {
      b[i] = (byte) (txid * 31 + i);
    }
    return b;
  }

  static byte[] payload(long txid) {
    byte[] r = record(txid, 100 + (int) txid);
    return Arrays.copyOfRange(r, LtxLog.HEADER_SIZE, r.length);
  }

  static LtxFileName name(long txid) {
    return LtxFileName.of(Txid.of(txid));
  }

  static void append(LtxLog log, long from, long to) throws IOException {
    for (long t = from; t <= to; t++) {
      byte[] r = record(t, 100 + (int) t);
      log.append(Txid.of(t), r, r.length);
    }
  }

  static long bytes(long from, long to) {
    long n = 0;
    for (long t = from; t <= to; t++) {
      n += LtxLog.HEADER_SIZE + 100 + t;
    }
    return n;
  }

  List<String> segments() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".log")).sorted().toList();
    }
  }

  @Test
  void recordsAreReadBackAfterReopenFromASegmentNamedForItsTxids() throws IOException {
    try (LtxLog log = LtxLog.open(dir, 1 << 20)) {
      append(log, 5, 9);
    }
    assertThat(segments()).containsExactly("0000000000000005-0000000000000009.log");
    assertThat(Files.size(dir.resolve(segments().get(0)))).as("without preallocated zeros").isEqualTo(bytes(5, 9));
    try (LtxLog log = LtxLog.open(dir, 1 << 20)) {
      assertThat(log.names()).containsExactly(name(5), name(6), name(7), name(8), name(9));
      assertThat(log.last()).contains(name(9));
      assertThat(log.read(name(7))).hasValueSatisfying(b -> assertThat(b).isEqualTo(payload(7)));
      assertThat(log.read(name(10))).isEmpty();
      assertThat(log.read(name(4))).isEmpty();
    }
  }

  @Test
  void theZerosWrittenAheadOfTheRecordsAreDroppedAfterACrash() throws IOException {
    LtxLog crashed = LtxLog.open(dir, 1 << 20);
    append(crashed, 1, 3);
    crashed.sync();
    Path seg = dir.resolve(segments().get(0));
    assertThat(Files.size(seg)).as("preallocated").isGreaterThan(bytes(1, 3));
    try (LtxLog log = LtxLog.open(dir, 1 << 20)) {
      assertThat(log.names()).containsExactly(name(1), name(2), name(3));
      assertThat(segments()).containsExactly("0000000000000001-0000000000000003.log");
      assertThat(Files.size(dir.resolve(segments().get(0)))).isEqualTo(bytes(1, 3));
    }
  }

  @Test
  void aRecordTornByACrashIsCutOffAndAppendsContinueAfterTheLastGoodOne() throws IOException {
    LtxLog crashed = LtxLog.open(dir, 1 << 20);
    append(crashed, 1, 3);
    crashed.sync();
    Path seg = dir.resolve(segments().get(0));
    try (FileChannel ch = FileChannel.open(seg, StandardOpenOption.WRITE)) {
      ch.truncate(bytes(1, 3) - 10);
    }
    try (LtxLog log = LtxLog.open(dir, 1 << 20)) {
      assertThat(log.names()).containsExactly(name(1), name(2));
      append(log, 3, 4);
    }
    assertThat(segments()).containsExactly("0000000000000001-0000000000000002.log",
        "0000000000000003-0000000000000004.log");
    try (LtxLog log = LtxLog.open(dir, 1 << 20)) {
      assertThat(log.names()).containsExactly(name(1), name(2), name(3), name(4));
      assertThat(log.read(name(3))).hasValueSatisfying(b -> assertThat(b).isEqualTo(payload(3)));
      assertThat(log.read(name(2))).hasValueSatisfying(b -> assertThat(b).isEqualTo(payload(2)));
    }
  }

  @Test
  void aFlippedByteEndsTheLogBeforeItsRecord() throws IOException {
    LtxLog crashed = LtxLog.open(dir, 1 << 20);
    append(crashed, 1, 4);
    crashed.sync();
    Path seg = dir.resolve(segments().get(0));
    byte[] all = Files.readAllBytes(seg);
    all[(int) bytes(1, 2) + LtxLog.HEADER_SIZE + 50] ^= 1;
    Files.write(seg, all);
    try (LtxLog log = LtxLog.open(dir, 1 << 20)) {
      assertThat(log.names()).containsExactly(name(1), name(2));
      assertThat(log.read(name(3))).isEmpty();
    }
  }

  @Test
  void aRecordThatDoesNotFollowThePreviousTxidEndsTheLog() throws IOException {
    LtxLog crashed = LtxLog.open(dir, 1 << 20);
    append(crashed, 1, 2);
    crashed.sync();
    // A later record's bytes right after them, as an out-of-order write-back could leave a gap behind.
    Path other = dir.resolve("other");
    try (LtxLog log = LtxLog.open(other, 1 << 20)) {
      append(log, 4, 4);
    }
    byte[] rec4 = Files.readAllBytes(other.resolve("0000000000000004-0000000000000004.log"));
    try (FileChannel ch = FileChannel.open(dir.resolve(segments().get(0)), StandardOpenOption.WRITE)) {
      ch.write(java.nio.ByteBuffer.wrap(rec4), bytes(1, 2));
    }
    try (LtxLog log = LtxLog.open(dir, 1 << 20)) {
      assertThat(log.names()).containsExactly(name(1), name(2));
    }
  }

  @Test
  void aFullSegmentIsFollowedByANewOne() throws IOException {
    try (LtxLog log = LtxLog.open(dir, 1000)) {
      append(log, 1, 20);
    }
    List<String> segs = segments();
    assertThat(segs.size()).isGreaterThanOrEqualTo(3);
    assertThat(segs.get(0)).startsWith("0000000000000001-");
    for (String n : segs) {
      assertThat(Files.size(dir.resolve(n))).isLessThanOrEqualTo(1000);
    }
    try (LtxLog log = LtxLog.open(dir, 1000)) {
      assertThat(log.names()).hasSize(20);
      assertThat(log.read(name(2))).hasValueSatisfying(b -> assertThat(b).isEqualTo(payload(2)));
      assertThat(log.read(name(20))).hasValueSatisfying(b -> assertThat(b).isEqualTo(payload(20)));
    }
  }

  @Test
  void aTxidThatDoesNotFollowTheLastStartsANewSegment() throws IOException {
    try (LtxLog log = LtxLog.open(dir, 1 << 20)) {
      append(log, 1, 3);
      append(log, 10, 11);
    }
    assertThat(segments()).containsExactly("0000000000000001-0000000000000003.log",
        "000000000000000a-000000000000000b.log");
    try (LtxLog log = LtxLog.open(dir, 1 << 20)) {
      assertThat(log.names()).containsExactly(name(1), name(2), name(3), name(10), name(11));
    }
  }

  @Test
  void aDiscardedRecordIsNeitherReadNorFoundAfterReopen() throws IOException {
    LtxLog crashed = LtxLog.open(dir, 1 << 20);
    append(crashed, 1, 3);
    crashed.discardLast();
    assertThat(crashed.last()).contains(name(2));
    assertThat(crashed.read(name(3))).isEmpty();
    crashed.sync();
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
      log.endSegment();
      FileTime old = FileTime.from(Instant.now().minusSeconds(3600));
      for (String n : segments()) {
        Files.setLastModifiedTime(dir.resolve(n), old);
      }
      String newest = segments().get(segments().size() - 1);
      int deleted = log.deleteOlderThan(Instant.now().minusSeconds(60));
      assertThat(segments()).containsExactly(newest);
      assertThat(deleted).isEqualTo(20 - log.names().size());
      assertThat(log.last()).contains(name(20));
      assertThat(log.read(name(1))).isEmpty();
    }
  }

  @Test
  void cuttingBeforeATxidDropsItAndEverythingAfter() throws IOException {
    try (LtxLog log = LtxLog.open(dir, 600)) {
      append(log, 1, 9);
      log.truncateBefore(Txid.of(4));
      assertThat(log.last()).contains(name(3));
      append(log, 4, 4);
    }
    try (LtxLog log = LtxLog.open(dir, 600)) {
      assertThat(log.names()).containsExactly(name(1), name(2), name(3), name(4));
      assertThat(log.read(name(3))).hasValueSatisfying(b -> assertThat(b).isEqualTo(payload(3)));
    }
  }

  @Test
  void aSegmentWithoutOneCompleteRecordIsRemovedAtOpen() throws IOException {
    try (LtxLog log = LtxLog.open(dir, 1 << 20)) {
      append(log, 1, 1);
    }
    Files.write(dir.resolve("0000000000000002.log"), new byte[] {1, 2, 3});
    try (LtxLog log = LtxLog.open(dir, 1 << 20)) {
      assertThat(log.names()).containsExactly(name(1));
      append(log, 2, 2);
    }
    try (LtxLog log = LtxLog.open(dir, 1 << 20)) {
      assertThat(log.names()).containsExactly(name(1), name(2));
    }
  }
}
