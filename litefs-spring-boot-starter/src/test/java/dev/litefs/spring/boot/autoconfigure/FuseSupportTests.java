package dev.litefs.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What managed mode checks before it starts the engine. */
class FuseSupportTests {
  @TempDir
  Path tmp;

  /** A machine with everything: a device file, an executable fusermount and libfuse.so.2, under {@code dir}. */
  static FuseSupport complete(Path dir) {
    try {
      Path root = Files.createDirectories(dir.resolve("fuse-root"));
      Path dev = root.resolve("fuse");
      Files.writeString(dev, "");
      Path bin = Files.createDirectories(root.resolve("bin"));
      Path fusermount = bin.resolve("fusermount");
      Files.writeString(fusermount, "#!/bin/sh\n");
      Files.setPosixFilePermissions(fusermount, PosixFilePermissions.fromString("rwxr-xr-x"));
      Path lib = Files.createDirectories(root.resolve("lib"));
      Files.writeString(lib.resolve("libfuse.so.2"), "");
      return new FuseSupport(dev, List.of(bin), List.of(lib));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void aMachineWithTheDeviceFusermountAndLibfuse2MissesNothing() {
    assertThat(complete(tmp).missing()).isEmpty();
  }

  @Test
  void eachMissingPieceIsNamedWithThePackageThatBringsIt() {
    FuseSupport none = new FuseSupport(tmp.resolve("fuse"), List.of(tmp), List.of(tmp));
    assertThat(none.missing()).hasSize(3);
    assertThat(String.join("\n", none.missing())).contains("/fuse (the FUSE device").contains("fusermount command (package fuse3)")
        .contains("libfuse.so.2 (package libfuse2)");
  }

  @Test
  void aFusermountThatIsNotExecutableDoesNotCount() throws IOException {
    Path bin = Files.createDirectories(tmp.resolve("bin"));
    Files.writeString(bin.resolve("fusermount"), "");
    Files.setPosixFilePermissions(bin.resolve("fusermount"), PosixFilePermissions.fromString("rw-r--r--"));
    assertThat(new FuseSupport(tmp, List.of(bin), List.of(tmp)).missing()).anyMatch(m -> m.contains("fusermount"));
  }
}
