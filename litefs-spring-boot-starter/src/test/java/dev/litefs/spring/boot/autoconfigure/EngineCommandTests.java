package dev.litefs.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine's command line: its JVM flags and how it finds its classes. */
class EngineCommandTests {
  @TempDir
  Path tmp;

  Path jar(String name, String mainClass) throws IOException {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, mainClass);
    Path jar = tmp.resolve(name);
    try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, manifest)) {
      j.flush();
    }
    return jar;
  }

  @Test
  void thePropertyWinsOverLiteFsJavaOptsWhichWinsOverTheDefaults() {
    assertThat(EngineCommand.jvmOptions("-Xmx32m  -Dx=1", "-Xmx96m")).containsExactly("-Xmx32m", "-Dx=1");
    assertThat(EngineCommand.jvmOptions(null, " -Xmx96m -XX:+UseSerialGC ")).containsExactly("-Xmx96m", "-XX:+UseSerialGC");
    assertThat(EngineCommand.jvmOptions(null, "  ")).contains("-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
    assertThat(EngineCommand.jvmOptions("", "-Xmx96m")).as("set empty: no flags at all").isEmpty();
  }

  @Test
  void onAPlainClassPathTheEngineMainRunsDirectly() {
    List<String> cmd = EngineCommand.build(Path.of("/usr/bin/java"), List.of("-Xmx64m"), List.of("-Dlog=x"),
        "/app/classes:/app/lib/a.jar", List.of("mount", "-config", "/etc/litefs.yml"));

    assertThat(cmd).containsExactly("/usr/bin/java", "-Xmx64m", "-Dlog=x", "-cp", "/app/classes:/app/lib/a.jar",
        EngineCommand.MAIN, "mount", "-config", "/etc/litefs.yml");
  }

  @Test
  void fromASpringBootExecutableJarTheEngineRunsThroughThePropertiesLauncher() throws IOException {
    Path app = jar("app.jar", "org.springframework.boot.loader.launch.JarLauncher");

    List<String> cmd = EngineCommand.build(Path.of("java"), List.of(), List.of(), app.toString(), List.of("mount"));

    assertThat(cmd).containsExactly("java", "-cp", app.toString(), "-Dloader.main=" + EngineCommand.MAIN,
        "org.springframework.boot.loader.launch.PropertiesLauncher", "mount");
  }

  @Test
  void aPlainJarWhoseManifestListsItsLibrariesNeedsNoLauncher() throws IOException {
    assertThat(EngineCommand.isBootArchive(jar("app.jar", "com.example.App").toString())).isFalse();
  }

  @Test
  void anUnpackedBootJarIsRecognisedByItsLibraries() throws IOException {
    Files.createDirectories(tmp.resolve("app/BOOT-INF/lib"));
    assertThat(EngineCommand.isBootArchive(tmp.resolve("app").toString())).isTrue();
    assertThat(EngineCommand.isBootArchive(tmp.toString() + ":" + tmp.resolve("app"))).isFalse();
  }

  @Test
  void theLogShowsTheCommandWithALongClassPathShortened() {
    String cp = "/app/lib/a.jar:".repeat(20);
    assertThat(ManagedEngine.describe(List.of("java", "-Xmx64m", "-cp", cp, EngineCommand.MAIN, "mount")))
        .isEqualTo("java -Xmx64m -cp <the application's class path> " + EngineCommand.MAIN + " mount");
    assertThat(ManagedEngine.describe(List.of("java", "-cp", "app.jar", "x"))).isEqualTo("java -cp app.jar x");
  }

  @Test
  void theDefaultJavaIsTheOneRunningTheApplication() {
    assertThat(EngineCommand.java(null)).isEqualTo(Path.of(System.getProperty("java.home"), "bin", "java"));
    assertThat(EngineCommand.java(Path.of("/opt/jdk/bin/java"))).isEqualTo(Path.of("/opt/jdk/bin/java"));
  }
}
