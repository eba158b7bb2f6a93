package dev.litefs.core.config;

import java.util.Objects;

/**
 * One command of the {@code exec} list, run by {@code litefs mount} once the node is ready.
 *
 * @param cmd the command line, split into arguments shell-style when it runs
 * @param ifCandidate run the command only on nodes that may become primary ({@code if-candidate}), as for
 *     migrations
 */
public record ExecEntry(String cmd, boolean ifCandidate) {
  public ExecEntry {
    Objects.requireNonNull(cmd, "cmd");
  }
}
