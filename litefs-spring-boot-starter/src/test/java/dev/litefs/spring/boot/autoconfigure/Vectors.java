package dev.litefs.spring.boot.autoconfigure;

import java.nio.file.Path;

/** The golden captures of a real LiteFS 0.5.14 run, in testdata/vectors. */
final class Vectors {
  private Vectors() {}

  static Path dir() {
    String root = System.getProperty("litefs.testdata");
    Path base = root != null ? Path.of(root) : Path.of("..", "testdata");
    return base.resolve("vectors");
  }
}
