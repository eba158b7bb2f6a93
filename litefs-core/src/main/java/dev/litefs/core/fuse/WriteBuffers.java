package dev.litefs.core.fuse;

import java.util.concurrent.atomic.AtomicReference;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/**
 * The native buffer a {@link MountSession} gathers pages in, kept for the next session. Allocating it per apply
 * (128 KiB of native memory, freed later by the garbage collector) took about 70 µs of a replica's 0.3 ms apply.
 * Sessions run one at a time per stream, so one spare is kept; a session that finds none (two at once) allocates.
 */
final class WriteBuffers {
  private static final Runtime RT = Runtime.getSystemRuntime();

  private final long size;
  private final AtomicReference<Pointer> spare = new AtomicReference<>();

  WriteBuffers(long size) {
    this.size = size;
  }

  /** The spare buffer, or a new one; {@code size} bytes, contents undefined. */
  Pointer take() {
    Pointer p = spare.getAndSet(null);
    return p != null ? p : Memory.allocateDirect(RT, size);
  }

  /** Keeps {@code p} for the next {@link #take()}, unless a spare is kept already. */
  void giveBack(Pointer p) {
    spare.compareAndSet(null, p);
  }
}
