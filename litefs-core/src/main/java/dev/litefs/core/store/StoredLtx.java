package dev.litefs.core.store;

import dev.litefs.core.ltx.LtxException;
import dev.litefs.core.ltx.LtxFileInfo;
import dev.litefs.core.ltx.LtxHeader;
import dev.litefs.core.ltx.LtxTrailer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One transaction's LTX file as the history holds it: the bytes of a commit-log record, already checked
 * against the record's CRC-32C (so they are the bytes that were encoded, or received and verified, when it
 * was recorded), or a standalone file, which whoever reads it must verify.
 */
public final class StoredLtx {
  private final byte[] bytes;
  private final Path file;

  private StoredLtx(byte[] bytes, Path file) {
    this.bytes = bytes;
    this.file = file;
  }

  static StoredLtx logged(byte[] bytes) {
    return new StoredLtx(bytes, null);
  }

  static StoredLtx file(Path file) {
    return new StoredLtx(null, file);
  }

  /** The logged record's bytes, or {@code null} for a standalone file. */
  public byte[] bytes() {
    return bytes;
  }

  /** The standalone file, or {@code null} for a logged record. */
  public Path file() {
    return file;
  }

  /**
   * The header and trailer of a logged record, decoded without verifying the rest again (its CRC-32C
   * matched).
   *
   * @throws LtxException if the bytes are not an LTX file (cannot happen for a record that checked out)
   */
  public LtxFileInfo loggedInfo() throws LtxException {
    if (bytes.length < LtxHeader.SIZE + LtxTrailer.SIZE) {
      throw new LtxException("invalid LTX file: " + bytes.length + " bytes in the commit log record");
    }
    return new LtxFileInfo(LtxHeader.decode(bytes, 0), LtxTrailer.decode(bytes, bytes.length - LtxTrailer.SIZE));
  }

  /** Opens the bytes, wherever they are. */
  public InputStream open() throws IOException {
    return bytes != null ? new ByteArrayInputStream(bytes) : Files.newInputStream(file);
  }
}
