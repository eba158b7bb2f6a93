package dev.litefs.core.fuse;

import jnr.ffi.Pointer;
import jnr.ffi.Struct;
import ru.serce.jnrfuse.struct.FuseFileInfo;
import ru.serce.jnrfuse.struct.FuseOperations;

/**
 * The two fixes jnr-fuse 0.5.8's struct declarations need (ADR 0002): {@code flag_nullpath_ok} in
 * {@code struct fuse_operations}, declared only as padding, so operations on an open file that was unlinked
 * (with {@code hard_remove}) still reach us; and the {@code direct_io}/{@code keep_cache} bits of
 * {@code struct fuse_file_info}, declared over the wrong bytes. Both are set in the structs' memory at
 * offsets checked against libfuse2's x86-64 layout.
 */
final class FuseStructs {
  static final int OPERATIONS_SIZE = 360;
  static final int FILE_INFO_SIZE = 40;
  static final int OPERATIONS_FLAGS_OFFSET = 304;
  static final int FILE_INFO_FLAGS_OFFSET = 20;
  private static final int NULLPATH_OK = 1;
  private static final int DIRECT_IO = 1;
  private static final int KEEP_CACHE = 2;

  private FuseStructs() {}

  /**
   * Fails unless the structs have libfuse2's sizes, so the offsets below are right.
   *
   * @throws IllegalStateException naming both sizes
   */
  static void checkLayout(FuseOperations ops, FuseFileInfo sample) {
    int opsSize = Struct.size(ops);
    int fiSize = Struct.size(sample);
    if (opsSize != OPERATIONS_SIZE || fiSize != FILE_INFO_SIZE) {
      throw new IllegalStateException("unexpected libfuse2 struct layout: fuse_operations is " + opsSize
          + " bytes (expected " + OPERATIONS_SIZE + "), fuse_file_info is " + fiSize + " bytes (expected "
          + FILE_INFO_SIZE + "); this jnr-fuse or platform is not supported");
    }
  }

  /** Lets operations on an open, unlinked file arrive with a null path instead of failing with ENOENT. */
  static void setNullPathOk(FuseOperations ops) {
    Pointer m = Struct.getMemory(ops);
    m.putInt(OPERATIONS_FLAGS_OFFSET, m.getInt(OPERATIONS_FLAGS_OFFSET) | NULLPATH_OK);
  }

  /** Marks an open file: served around the page cache (virtual files) or keeping its cache across opens. */
  static void setCaching(FuseFileInfo fi, boolean directIo, boolean keepCache) {
    Pointer m = Struct.getMemory(fi);
    int w = m.getInt(FILE_INFO_FLAGS_OFFSET) & ~(DIRECT_IO | KEEP_CACHE);
    if (directIo) {
      w |= DIRECT_IO;
    }
    if (keepCache) {
      w |= KEEP_CACHE;
    }
    m.putInt(FILE_INFO_FLAGS_OFFSET, w);
  }
}
