package dev.litefs.core.ltx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** TXIDs, checksums, positions and file names format and parse exactly as LiteFS's do. */
class ValueTypesTest {
  @Test
  void txidsAreSixteenLowerCaseHexDigits() {
    assertThat(Txid.of(0x27).toString()).isEqualTo("0000000000000027");
    assertThat(Txid.parse("00000000000000ff")).isEqualTo(Txid.of(255));
    assertThat(Txid.parse("00000000000000FF")).isEqualTo(Txid.of(255));
    assertThatThrownBy(() -> Txid.parse("ff")).hasMessage("invalid transaction id (expected 16 hex digits): \"ff\"");
    assertThatThrownBy(() -> Txid.parse("000000000000000g"))
        .hasMessage("invalid transaction id (expected 16 hex digits): \"000000000000000g\"");
  }

  @Test
  void txidsCompareUnsigned() {
    assertThat(Txid.of(-1).compareTo(Txid.of(1))).isPositive();
  }

  @Test
  void positionsAreTxidSlashChecksum() {
    Pos p = Pos.parse("0000000000000003/8000000000000000");
    assertThat(p.txid()).isEqualTo(Txid.of(3));
    assertThat(p.postApplyChecksum()).isEqualTo(Checksum.EMPTY);
    assertThat(p.toString()).isEqualTo("0000000000000003/8000000000000000");
    assertThatThrownBy(() -> Pos.parse("3/8000000000000000"))
        .hasMessage("invalid position (expected 16 hex digits/16 hex digits): \"3/8000000000000000\"");
  }

  @Test
  void untrustedTextInErrorsIsEscapedAndCapped() {
    assertThatThrownBy(() -> Pos.parse("a\r\nSet-Cookie: x"))
        .hasMessage("invalid position (expected 16 hex digits/16 hex digits): \"a\\x0d\\x0aSet-Cookie: x\"");
    assertThatThrownBy(() -> Txid.parse("x".repeat(100))).hasMessageEndingWith("...\"");
  }

  @Test
  void checksumsCarryAFlagBit() {
    assertThat(Checksum.EMPTY.isValid()).isTrue();
    assertThat(Checksum.of(1).isValid()).isFalse();
    assertThat(Checksum.parse("9cd7233f9fca3667").toString()).isEqualTo("9cd7233f9fca3667");
  }

  @Test
  void fileNamesAreMinDashMaxDotLtx() {
    LtxFileName n = LtxFileName.parse("0000000000000001-0000000000000005.ltx");
    assertThat(n).isEqualTo(new LtxFileName(Txid.of(1), Txid.of(5)));
    assertThat(n.toString()).isEqualTo("0000000000000001-0000000000000005.ltx");
    assertThat(LtxFileName.matches("0000000000000001-0000000000000005.ltx.tmp")).isFalse();
    assertThat(LtxFileName.matches("0000000000000001-000000000000000A.ltx")).isFalse();
    assertThatThrownBy(() -> LtxFileName.parse("x.ltx")).hasMessage("invalid LTX file name: \"x.ltx\"");
  }
}
