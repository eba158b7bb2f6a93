package dev.litefs.core.fuse;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Pointer;

/**
 * The libc calls the mount needs, bound with jnr-ffi so reads and writes go straight between the kernel's
 * FUSE buffers and the backing files, and so the engine can take open-file-description locks (which Java's
 * {@code FileChannel.lock} cannot: it takes process-wide POSIX locks).
 */
public interface Libc {
  int O_RDONLY = 0;
  int O_WRONLY = 1;
  int O_RDWR = 2;
  int O_ACCMODE = 3;
  int O_CREAT = 0100;
  int O_EXCL = 0200;
  int O_NOCTTY = 0400;
  int O_TRUNC = 01000;
  int O_CLOEXEC = 02000000;
  int F_OFD_GETLK = 36;
  int F_OFD_SETLK = 37;
  int F_OFD_SETLKW = 38;
  short F_RDLCK = 0;
  short F_WRLCK = 1;
  short F_UNLCK = 2;
  int SIGINT = 2;
  int SIGKILL = 9;
  int SIGTERM = 15;
  long SYS_GETTID = 186;

  Libc INSTANCE = LibraryLoader.create(Libc.class).load("c");

  int open(String path, int flags, int mode);

  int close(int fd);

  long pread(int fd, Pointer buf, long n, long off);

  long pwrite(int fd, Pointer buf, long n, long off);

  int ftruncate(int fd, long len);

  int fsync(int fd);

  int fdatasync(int fd);

  int fcntl(int fd, int cmd, Pointer flock);

  int kill(int pid, int sig);

  long syscall(long n);

  /** The calling thread's errno after a failed call. */
  static int errno() {
    return jnr.ffi.Runtime.getSystemRuntime().getLastError();
  }

  /** The calling thread's kernel thread id: what a FUSE request from this thread carries as its pid. */
  static int gettid() {
    return (int) INSTANCE.syscall(SYS_GETTID);
  }
}
