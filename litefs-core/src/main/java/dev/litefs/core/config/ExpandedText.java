package dev.litefs.core.config;

/**
 * A file's text after environment expansion, with the line of the original file that each of its lines came
 * from, so that errors found in the expanded text point at the line the user wrote even when a value held line
 * breaks or a {@code ${...}} spanned lines.
 */
record ExpandedText(String text, int[] sourceLines) {
  /** The text unchanged: every line is its own source. */
  static ExpandedText unexpanded(String text) {
    int[] lines = new int[(int) text.chars().filter(c -> c == '\n').count() + 1];
    for (int i = 0; i < lines.length; i++) {
      lines[i] = i + 1;
    }
    return new ExpandedText(text, lines);
  }

  /** Returns the 1-based source line of 1-based line {@code expandedLine} of the text; 0 stays 0 (unknown). */
  int sourceLine(int expandedLine) {
    if (expandedLine <= 0) {
      return 0;
    }
    return sourceLines[Math.min(expandedLine, sourceLines.length) - 1];
  }
}
