package dev.litefs.core.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The golden vectors captured from a real LiteFS v0.5.14 cluster, under {@code testdata/vectors}. */
public final class Vectors {
  private Vectors() {}

  /** The root of the vectors directory. */
  public static Path root() {
    String prop = System.getProperty("litefs.testdata");
    if (prop != null && Files.isDirectory(Paths.get(prop, "vectors"))) {
      return Paths.get(prop, "vectors");
    }
    for (Path p = Paths.get("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("testdata/vectors"))) {
        return p.resolve("testdata/vectors");
      }
    }
    throw new IllegalStateException("testdata/vectors not found above " + Paths.get("").toAbsolutePath());
  }

  /** A file or directory under the vectors root. */
  public static Path path(String relative) {
    return root().resolve(relative);
  }

  /** The LTX files of one database of one run ("lz4", "raw", "lz4-replica", "raw-replica"), in TXID order. */
  public static List<Path> ltxFiles(String run, String db) {
    try (Stream<Path> s = Files.list(path("ltx/" + run + "/" + db))) {
      return s.filter(p -> p.getFileName().toString().endsWith(".ltx")).sorted().collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The runs that hold LTX files. */
  public static List<String> runs() {
    return List.of("lz4", "raw", "lz4-replica", "raw-replica");
  }

  /** The databases of the workload. */
  public static List<String> databases() {
    return List.of("delete.db", "wal.db", "shrink.db", "drop.db");
  }
}
