package dev.litefs.spring.boot.autoconfigure;

/**
 * The LiteFS configuration cannot work on this machine. Carries what is wrong and what to do about it;
 * {@link LiteFsStartupFailureAnalyzer} prints both instead of a stack trace.
 */
final class LiteFsStartupException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String action;

  LiteFsStartupException(String description, String action) {
    super(description);
    this.action = action;
  }

  String action() {
    return action;
  }
}
