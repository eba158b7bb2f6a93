package dev.litefs.core.ltx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** One test per rule of {@link LtxHeader#validate()}, named for the rule, asserting its message. */
class LtxHeaderTest {
  static LtxHeader.Builder valid() {
    return LtxHeader.builder(4096, 2, Txid.of(2), Txid.of(2)).preApplyChecksum(Checksum.of(0x8e59b0f9c947193fL));
  }

  static void assertInvalid(LtxHeader.Builder b, String message) {
    assertThatThrownBy(() -> b.build().validate()).isInstanceOf(LtxException.class).hasMessage(message);
  }

  @Test
  void aValidHeaderPasses() {
    assertThatCode(() -> valid().build().validate()).doesNotThrowAnyException();
  }

  @Test
  void unknownFlagBitsAreInvalid() {
    assertInvalid(valid().flags(0x2), "invalid flags: 0x00000002");
  }

  @Test
  void pageSizeMustBeAPowerOfTwoFrom512To65536() {
    assertInvalid(valid().pageSize(1000), "invalid page size: 1000");
    assertInvalid(valid().pageSize(256), "invalid page size: 256");
    assertInvalid(valid().pageSize(131072), "invalid page size: 131072");
    assertThatCode(() -> valid().pageSize(65536).build().validate()).doesNotThrowAnyException();
  }

  @Test
  void commitAbove2To31PagesIsRefused() {
    assertInvalid(valid().commit(-1), "commit size too large: 4294967295 pages");
  }

  @Test
  void minTxidIsRequired() {
    assertInvalid(valid().minTxid(Txid.ZERO), "minimum transaction id required");
  }

  @Test
  void maxTxidIsRequired() {
    assertInvalid(valid().maxTxid(Txid.ZERO), "maximum transaction id required");
  }

  @Test
  void txidsMustBeInOrder() {
    assertInvalid(valid().minTxid(Txid.of(3)), "transaction ids out of order: (0000000000000003,0000000000000002)");
  }

  @Test
  void walOffsetCannotBeNegative() {
    assertInvalid(valid().wal(-1, 10, 0, 0), "wal offset cannot be negative: -1");
  }

  @Test
  void walSizeCannotBeNegative() {
    assertInvalid(valid().wal(32, -1, 0, 0), "wal size cannot be negative: -1");
  }

  @Test
  void saltRequiresWalOffset() {
    assertInvalid(valid().wal(0, 0, 1, 0), "wal offset required if salt exists");
  }

  @Test
  void saltRequiresWalSize() {
    assertInvalid(valid().wal(32, 0, 0, 1), "wal size required if salt exists");
  }

  @Test
  void walOffsetRequiresWalSize() {
    assertInvalid(valid().wal(32, 0, 0, 0), "wal size required if wal offset exists");
  }

  @Test
  void walSizeRequiresWalOffset() {
    assertInvalid(valid().wal(0, 4120, 0, 0), "wal offset required if wal size exists");
  }

  @Test
  void snapshotsHaveNoPreApplyChecksum() {
    assertInvalid(valid().minTxid(Txid.of(1)),
        "pre-apply checksum must be zero on snapshots, got 8e59b0f9c947193f");
  }

  @Test
  void nonSnapshotsNeedAPreApplyChecksum() {
    assertInvalid(valid().preApplyChecksum(Checksum.NONE), "pre-apply checksum required on non-snapshot files");
  }

  @Test
  void preApplyChecksumMustCarryTheFlag() {
    assertInvalid(valid().preApplyChecksum(Checksum.of(0x1234)), "invalid pre-apply checksum format: 0000000000001234");
  }

  @Test
  void encodingAndDecodingRoundTrip() throws LtxException {
    LtxHeader h = valid().compressed(true).timestamp(1795675759054L).wal(32, 8240, 0xeb0bc346, 0x6cb51b18)
        .nodeId(0x2aac37bff5ae9551L).build();
    assertThat(LtxHeader.decode(h.encode(), 0)).isEqualTo(h);
  }

  @Test
  void aWrongMagicIsNotAnLtxFile() {
    byte[] b = valid().build().encode();
    b[3] = '3';
    assertThatThrownBy(() -> LtxHeader.decode(b, 0)).hasMessage("invalid LTX file: magic is \"LTX3\", expected \"LTX1\"");
  }

  @Test
  void reservedBytesMustBeZero() {
    byte[] b = valid().build().encode();
    b[96] = (byte) 0xff;
    assertThatThrownBy(() -> LtxHeader.decode(b, 0)).hasMessage("invalid LTX file: reserved header byte 96 is not zero");
  }
}
