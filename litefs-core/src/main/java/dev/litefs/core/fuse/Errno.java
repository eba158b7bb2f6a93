package dev.litefs.core.fuse;

/** The errno values the mount answers with (negated when returned to libfuse). */
final class Errno {
  static final int EPERM = jnr.constants.platform.Errno.EPERM.intValue();
  static final int ENOENT = jnr.constants.platform.Errno.ENOENT.intValue();
  static final int EIO = jnr.constants.platform.Errno.EIO.intValue();
  static final int EBADF = jnr.constants.platform.Errno.EBADF.intValue();
  static final int EACCES = jnr.constants.platform.Errno.EACCES.intValue();
  static final int EEXIST = jnr.constants.platform.Errno.EEXIST.intValue();
  static final int EISDIR = jnr.constants.platform.Errno.EISDIR.intValue();
  static final int EINVAL = jnr.constants.platform.Errno.EINVAL.intValue();
  static final int ENOSYS = jnr.constants.platform.Errno.ENOSYS.intValue();
  static final int ENOTSUP = jnr.constants.platform.Errno.ENOTSUP.intValue();

  private Errno() {}
}
