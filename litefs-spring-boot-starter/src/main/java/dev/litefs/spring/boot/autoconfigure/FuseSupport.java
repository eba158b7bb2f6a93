package dev.litefs.spring.boot.autoconfigure;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Whether this machine can run the engine's FUSE mount: {@code /dev/fuse}, the {@code fusermount} command (from
 * fuse3, used to mount and unmount) and libfuse2's {@code libfuse.so.2} (what jnr-fuse binds to). Checked before
 * managed mode starts the engine, so a missing piece is named at once instead of in the engine's log.
 */
final class FuseSupport {
  private final Path devFuse;
  private final List<Path> binDirs;
  private final List<Path> libDirs;

  FuseSupport(Path devFuse, List<Path> binDirs, List<Path> libDirs) {
    this.devFuse = devFuse;
    this.binDirs = List.copyOf(binDirs);
    this.libDirs = List.copyOf(libDirs);
  }

  /** This machine: {@code PATH}, {@code LD_LIBRARY_PATH}, the usual library directories and ld.so.conf.d's. */
  static FuseSupport system() {
    return new FuseSupport(Path.of("/dev/fuse"), split(System.getenv("PATH")), libraryDirs());
  }

  /** Returns what is missing, one description per piece; empty when the engine can mount. */
  List<String> missing() {
    List<String> missing = new ArrayList<>();
    if (!Files.exists(devFuse)) {
      missing.add(devFuse + " (the FUSE device; in a container: --device /dev/fuse --cap-add SYS_ADMIN)");
    }
    if (binDirs.stream().noneMatch(d -> Files.isExecutable(d.resolve("fusermount")))) {
      missing.add("the fusermount command (package fuse3) on the PATH");
    }
    if (libDirs.stream().noneMatch(d -> Files.exists(d.resolve("libfuse.so.2")))) {
      missing.add("libfuse.so.2 (package libfuse2)");
    }
    return missing;
  }

  private static List<Path> split(@Nullable String pathList) {
    List<Path> dirs = new ArrayList<>();
    if (pathList != null) {
      for (String s : pathList.split(File.pathSeparator)) {
        if (!s.isBlank()) {
          dirs.add(Path.of(s));
        }
      }
    }
    return dirs;
  }

  private static List<Path> libraryDirs() {
    Set<Path> dirs = new LinkedHashSet<>(split(System.getenv("LD_LIBRARY_PATH")));
    for (String base : new String[] {"/lib", "/usr/lib", "/lib64", "/usr/lib64", "/usr/local/lib"}) {
      Path dir = Path.of(base);
      dirs.add(dir);
      // Debian's multiarch directories (/usr/lib/x86_64-linux-gnu) and the like.
      try (Stream<Path> subdirs = Files.list(dir)) {
        subdirs.filter(p -> p.getFileName().toString().contains("-linux")).forEach(dirs::add);
      } catch (IOException | RuntimeException e) {
        // A directory that does not exist holds no library.
      }
    }
    try (Stream<Path> confs = Files.list(Path.of("/etc/ld.so.conf.d"))) {
      confs.filter(p -> p.toString().endsWith(".conf")).forEach(conf -> {
        try {
          Files.readAllLines(conf).stream().map(String::strip).filter(l -> l.startsWith("/")).map(Path::of)
              .forEach(dirs::add);
        } catch (IOException | RuntimeException e) {
          // An unreadable file names no directory.
        }
      });
    } catch (IOException | RuntimeException e) {
      // No ld.so.conf.d: the directories above are all there is.
    }
    return new ArrayList<>(dirs);
  }
}
