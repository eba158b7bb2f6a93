package dev.litefs.core.fuse;

import java.time.Instant;
import jnr.posix.FileStat;
import jnr.posix.NanosecondFileStat;
import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;

/** Fills FUSE attributes from backing files and for virtual files, with LiteFS's modes. */
final class Attributes {
  static final POSIX POSIX = POSIXFactory.getNativePOSIX();
  private static final int UID = POSIX.getuid();
  private static final int GID = POSIX.getgid();

  private Attributes() {}

  static void directory(ru.serce.jnrfuse.struct.FileStat st, boolean writable) {
    st.st_mode.set(ru.serce.jnrfuse.struct.FileStat.S_IFDIR | (writable ? 0777 : 0555));
    st.st_nlink.set(2);
    st.st_uid.set(UID);
    st.st_gid.set(GID);
  }

  static void virtual(ru.serce.jnrfuse.struct.FileStat st, int mode, long size, Instant mtime) {
    st.st_mode.set(ru.serce.jnrfuse.struct.FileStat.S_IFREG | mode);
    st.st_nlink.set(1);
    st.st_size.set(size);
    st.st_uid.set(UID);
    st.st_gid.set(GID);
    st.st_blksize.set(4096);
    setTime(st.st_mtim, mtime);
    setTime(st.st_ctim, mtime);
    setTime(st.st_atim, mtime);
  }

  /** Copies a backing file's attributes, with {@code mode} as the permission bits. */
  static void backing(ru.serce.jnrfuse.struct.FileStat st, FileStat s, int mode) {
    st.st_mode.set(ru.serce.jnrfuse.struct.FileStat.S_IFREG | mode);
    st.st_nlink.set(1);
    st.st_size.set(s.st_size());
    st.st_uid.set(UID);
    st.st_gid.set(GID);
    st.st_blksize.set(4096);
    st.st_blocks.set(s.blocks());
    st.st_ino.set(s.ino());
    long mns = s instanceof NanosecondFileStat n ? n.mTimeNanoSecs() : 0;
    long cns = s instanceof NanosecondFileStat n ? n.cTimeNanoSecs() : 0;
    long ans = s instanceof NanosecondFileStat n ? n.aTimeNanoSecs() : 0;
    st.st_mtim.tv_sec.set(s.mtime());
    st.st_mtim.tv_nsec.set(mns);
    st.st_ctim.tv_sec.set(s.ctime());
    st.st_ctim.tv_nsec.set(cns);
    st.st_atim.tv_sec.set(s.atime());
    st.st_atim.tv_nsec.set(ans);
  }

  /** Stats a backing file; returns {@code null} if it does not exist. */
  static FileStat stat(String path) {
    FileStat s = POSIX.allocateStat();
    return POSIX.lstat(path, s) == 0 ? s : null;
  }

  /** Stats an open backing file. */
  static FileStat fstat(int fd) {
    FileStat s = POSIX.allocateStat();
    return POSIX.fstat(fd, s) == 0 ? s : null;
  }

  private static void setTime(ru.serce.jnrfuse.struct.Timespec t, Instant i) {
    t.tv_sec.set(i.getEpochSecond());
    t.tv_nsec.set(i.getNano());
  }
}
