package dev.litefs.spring.boot.autoconfigure;

import dev.litefs.core.cli.LiteFsCommand;
import java.io.IOException;
import java.io.InputStream;
import sun.misc.Signal;

/**
 * The engine process of managed mode: {@code litefs} ({@link LiteFsCommand}) that also stops when the
 * application that started it dies. Not API: the starter runs it with the application's own class path.
 *
 * <p>The application holds the write end of this process's stdin and never writes to it, so end-of-file on
 * stdin means the application is gone, even after a SIGKILL that ran none of its shutdown code. The engine then
 * gets SIGTERM, its normal stop: it releases the lease (another candidate takes over at once instead of after the
 * TTL) and unmounts. Without this an orphaned engine would keep the lease and the mount of a dead application.
 */
public final class ManagedEngineMain {

  private ManagedEngineMain() {}

  /** Runs {@code litefs} with {@code args} ({@code mount -config FILE ...}). */
  public static void main(String[] args) {
    Thread watch = new Thread(() -> stopWhenParentGoes(System.in), "litefs-parent-watch");
    watch.setDaemon(true);
    watch.start();
    LiteFsCommand.main(args);
  }

  private static void stopWhenParentGoes(InputStream stdin) {
    try {
      byte[] discard = new byte[256];
      while (stdin.read(discard) >= 0) {
        // The application never writes; anything read is ignored.
      }
    } catch (IOException e) {
      // A broken pipe is the same news as end-of-file.
    }
    System.err.println("WARN ManagedEngineMain - the application that started this engine has exited; stopping");
    Signal.raise(new Signal("TERM"));
  }
}
