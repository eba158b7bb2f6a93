package dev.litefs.templates;

import java.util.Objects;

/**
 * One file of a rendered project.
 *
 * @param path where it goes, relative to the project directory, with {@code /} as separator
 * @param content its text
 * @param executable whether it must be executable (a script copied into the image)
 */
public record RenderedFile(String path, String content, boolean executable) {
  public RenderedFile {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(content, "content");
  }
}
