package dev.litefs.core.cli;

import dev.litefs.core.config.ExecEntry;
import dev.litefs.core.fuse.Libc;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the {@code exec} list as LiteFS does: every command but the last in turn, each of which must exit 0;
 * the last in the background for the node's lifetime. {@code if-candidate} commands are skipped on nodes
 * that cannot become primary. Children share the engine's environment, stdout and stderr.
 */
final class ExecSupervisor {
  private static final Logger log = LoggerFactory.getLogger(ExecSupervisor.class);

  private volatile Process child;

  /** A command of the list that did not succeed. */
  static final class ExecFailedException extends Exception {
    private static final long serialVersionUID = 1L;

    ExecFailedException(String message) {
      super(message);
    }
  }

  /**
   * Runs all but the last command and starts the last.
   *
   * @return the last command's process, if the list has one
   * @throws ExecFailedException if a command before the last fails or cannot start
   */
  Optional<Process> start(List<ExecEntry> exec, boolean candidate) throws ExecFailedException {
    List<ExecEntry> runnable = exec.stream().filter(e -> candidate || !e.ifCandidate()).toList();
    for (int i = 0; i < runnable.size(); i++) {
      ExecEntry e = runnable.get(i);
      Process p = launch(e.cmd());
      if (i == runnable.size() - 1) {
        child = p;
        return Optional.of(p);
      }
      int code = waitFor(p);
      if (code != 0) {
        throw new ExecFailedException("exec command \"" + e.cmd() + "\" exited with status " + code);
      }
    }
    return Optional.empty();
  }

  private static Process launch(String cmd) throws ExecFailedException {
    List<String> words;
    try {
      words = ShellWords.split(cmd);
    } catch (IllegalArgumentException e) {
      throw new ExecFailedException(e.getMessage());
    }
    if (words.isEmpty()) {
      throw new ExecFailedException("empty exec command");
    }
    log.info("starting exec command: {}", cmd);
    try {
      return new ProcessBuilder(words).inheritIO().start();
    } catch (IOException e) {
      throw new ExecFailedException("cannot start exec command \"" + cmd + "\": " + e.getMessage());
    }
  }

  private static int waitFor(Process p) {
    while (true) {
      try {
        return p.waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Sends {@code signal} (SIGTERM, SIGINT) to the running background command, if any. */
  void forward(int signal) {
    Process p = child;
    if (p != null && p.isAlive()) {
      log.info("forwarding signal {} to exec command (pid {})", signal, p.pid());
      Libc.INSTANCE.kill((int) p.pid(), signal);
    }
  }
}
