package dev.litefs.core.fuse;

/**
 * An open file of the mount, keyed by its FUSE file handle. Real files carry the backing file's descriptor;
 * virtual ones ({@code -pos}, {@code -lock}, {@code .lag}, {@code .primary}) have none.
 */
record OpenFile(MountName name, int fd, MountedDatabase db) {
  boolean isVirtual() {
    return fd < 0;
  }
}
