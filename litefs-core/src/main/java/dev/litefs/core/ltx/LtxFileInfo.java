package dev.litefs.core.ltx;

/** The header and trailer of an LTX file that decoded and verified. */
public record LtxFileInfo(LtxHeader header, LtxTrailer trailer) {
  /** The position a database is at once this file is applied. */
  public Pos postApplyPos() {
    return new Pos(header.maxTxid(), trailer.postApplyChecksum());
  }
}
