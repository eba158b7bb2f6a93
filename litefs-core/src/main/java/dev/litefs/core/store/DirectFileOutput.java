package dev.litefs.core.store;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Writes a new file from a thread of its own, bypassing the page cache ({@code O_DIRECT}) where the file system
 * allows it. A replica receiving a snapshot writes every byte twice (the LTX file for its history, the new
 * database file), and the kernel's copy of each into the page cache was a fifth of the machine's CPU during a
 * 1 GiB transfer; the history file is not read again unless the node restarts, so it need not be cached. The
 * caller fills aligned buffers; the writer writes them in order and hands them back. The first write error is
 * thrown by the caller's next call, and by {@link #close()}, which waits until every byte is in the file and
 * sets its exact size (direct writes are whole blocks).
 */
final class DirectFileOutput extends OutputStream {
  private static final int BUFFER_BYTES = 1024 * 1024;
  private static final int BUFFERS = 4;

  private final Path file;
  private final FileChannel ch;
  private final boolean direct;
  private final boolean sync;
  /** What direct writes' buffers, offsets and lengths must be multiples of: the file system's block size. */
  private final int alignment;
  private final BlockingQueue<ByteBuffer> full = new ArrayBlockingQueue<>(BUFFERS);
  private final BlockingQueue<ByteBuffer> empty = new ArrayBlockingQueue<>(BUFFERS);
  private final Thread writer;
  private volatile IOException failure;
  private ByteBuffer current;
  private long size;
  private boolean closed;

  /**
   * Opens {@code file} (which must exist and be empty) and starts the writer thread; with {@code sync},
   * {@link #close()} syncs the file too.
   */
  DirectFileOutput(Path file, boolean sync) throws IOException {
    this.file = file;
    this.sync = sync;
    long block = Files.getFileStore(file).getBlockSize();
    FileChannel c = null;
    if (block > 0 && block <= BUFFER_BYTES && Long.bitCount(block) == 1) {
      try {
        c = FileChannel.open(file, StandardOpenOption.WRITE, com.sun.nio.file.ExtendedOpenOption.DIRECT);
      } catch (IOException | UnsupportedOperationException e) {
        // A file system that refuses O_DIRECT: through the page cache, still from the writer thread.
      }
    }
    this.direct = c != null;
    this.ch = direct ? c : FileChannel.open(file, StandardOpenOption.WRITE);
    this.alignment = direct ? (int) block : 1;
    for (int i = 0; i < BUFFERS; i++) {
      empty.add(ByteBuffer.allocateDirect(BUFFER_BYTES + alignment).alignedSlice(alignment));
    }
    this.writer = new Thread(this::writeAll, "litefs-file-writer");
    writer.setDaemon(true);
    writer.start();
  }

  /** Whether the file is written with {@code O_DIRECT} (not through the page cache). */
  boolean bypassesPageCache() {
    return direct;
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    if (closed) {
      throw new IOException("cannot write " + file + ": closed");
    }
    while (len > 0) {
      if (current == null) {
        current = take();
      }
      int n = Math.min(len, current.remaining());
      current.put(b, off, n);
      off += n;
      len -= n;
      size += n;
      if (!current.hasRemaining()) {
        handOver();
      }
    }
  }

  /** Writes what is left, waits for the writer, sets the file's size, syncs it if asked and closes it. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    try {
      if (current != null && current.position() > 0) {
        if (direct) {
          // A direct write is whole blocks: pad the last one, and cut the file to its size below.
          int padded = (current.position() + alignment - 1) / alignment * alignment;
          while (current.position() < padded) {
            current.put((byte) 0);
          }
        }
        handOver();
      } else if (current != null) {
        empty.add(current);
        current = null;
      }
      for (int i = 0; i < BUFFERS; i++) {
        take(); // every buffer back: nothing is queued or being written
      }
      if (ch.size() != size) {
        ch.truncate(size);
      }
      if (sync) {
        ch.force(true);
      }
    } finally {
      abort();
    }
  }

  /** Stops the writer without waiting for what is queued (the file is being discarded) and closes the file. */
  void abort() throws IOException {
    closed = true;
    writer.interrupt();
    try {
      writer.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    ch.close();
  }

  private void handOver() throws IOException {
    check();
    current.flip();
    full.add(current);
    current = null;
  }

  private ByteBuffer take() throws IOException {
    while (true) {
      check();
      try {
        ByteBuffer b = empty.poll(100, TimeUnit.MILLISECONDS);
        if (b != null) {
          return b;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while writing " + file);
      }
      if (!writer.isAlive()) {
        check();
        throw new IOException("cannot write " + file + ": its writer stopped");
      }
    }
  }

  private void check() throws IOException {
    IOException e = failure;
    if (e != null) {
      throw new IOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  private void writeAll() {
    try {
      while (true) {
        ByteBuffer b = full.take();
        while (b.hasRemaining()) {
          ch.write(b);
        }
        b.clear();
        empty.add(b);
      }
    } catch (InterruptedException e) {
      // close() or abort(): nothing is queued, or the file is being discarded.
    } catch (IOException e) {
      failure = e;
    }
  }
}
