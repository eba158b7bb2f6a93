package dev.litefs.spring.boot.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a {@link LiteFsStartupException} into a description of the problem and the action that fixes it. */
final class LiteFsStartupFailureAnalyzer extends AbstractFailureAnalyzer<LiteFsStartupException> {

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, LiteFsStartupException cause) {
    return new FailureAnalysis(cause.getMessage(), cause.action(), cause);
  }
}
