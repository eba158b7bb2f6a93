package dev.litefs.spring.boot.autoconfigure;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.jspecify.annotations.Nullable;

/**
 * The command line of managed mode's engine process: a second JVM on the application's own class path (the
 * starter depends on litefs-core, so the engine's classes are there), with its own memory flags.
 *
 * <p>A Spring Boot executable jar keeps its libraries nested in {@code BOOT-INF/lib}, which {@code java -cp
 * app.jar} cannot see; there the engine is started through Boot's {@code PropertiesLauncher} with
 * {@code -Dloader.main}, which reads the nested jars as {@code java -jar} does.
 */
final class EngineCommand {
  /** The engine's main class. */
  static final String MAIN = ManagedEngineMain.class.getName();

  /** Spring Boot's launcher that runs any main class ({@code loader.main}) from an executable archive. */
  static final String PROPERTIES_LAUNCHER = "org.springframework.boot.loader.launch.PropertiesLauncher";

  /**
   * The engine's JVM flags when neither {@code litefs.managed.jvm-options} nor {@code LITEFS_JAVA_OPTS} is set:
   * the Dockerfile templates' (about 100 MB at most).
   */
  static final String DEFAULT_JVM_OPTIONS = dev.litefs.templates.ProjectTemplates.ENGINE_JAVA_OPTIONS;

  private EngineCommand() {}

  /**
   * Builds {@code java <jvm options> <logging> <class path and main> <engine args>}.
   *
   * @param classPath the application's {@code java.class.path}
   */
  static List<String> build(Path java, List<String> jvmOptions, List<String> loggingOptions, String classPath,
      List<String> engineArgs) {
    List<String> cmd = new ArrayList<>();
    cmd.add(java.toString());
    cmd.addAll(jvmOptions);
    cmd.addAll(loggingOptions);
    cmd.add("-cp");
    cmd.add(classPath);
    if (isBootArchive(classPath)) {
      cmd.add("-Dloader.main=" + MAIN);
      cmd.add(PROPERTIES_LAUNCHER);
    } else {
      cmd.add(MAIN);
    }
    cmd.addAll(engineArgs);
    return cmd;
  }

  /** The flags: {@code litefs.managed.jvm-options}, else {@code LITEFS_JAVA_OPTS}, else the defaults; split at spaces. */
  static List<String> jvmOptions(@Nullable String property, @Nullable String environment) {
    String chosen = property != null ? property
        : environment != null && !environment.isBlank() ? environment : DEFAULT_JVM_OPTIONS;
    return Arrays.stream(chosen.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
  }

  /** The java launcher: {@code litefs.managed.java}, else the one running this application. */
  static Path java(@Nullable Path configured) {
    return configured != null ? configured : Path.of(System.getProperty("java.home"), "bin", "java");
  }

  /**
   * Returns {@code true} when the class path is one Spring Boot executable archive (a jar, or one unpacked into a
   * directory) whose libraries only Boot's launchers can load. A plain jar whose manifest lists its libraries
   * ({@code Class-Path}, as Boot's {@code extract} layout does) needs no launcher.
   */
  static boolean isBootArchive(String classPath) {
    if (classPath.isEmpty() || classPath.contains(File.pathSeparator)) {
      return false;
    }
    Path entry = Path.of(classPath);
    try {
      if (Files.isDirectory(entry)) {
        Path manifest = entry.resolve("META-INF/MANIFEST.MF");
        if (Files.isDirectory(entry.resolve("BOOT-INF/lib"))) {
          return true;
        }
        if (!Files.isRegularFile(manifest)) {
          return false;
        }
        try (InputStream in = Files.newInputStream(manifest)) {
          return isBootLauncher(new Manifest(in));
        }
      }
      if (Files.isRegularFile(entry)) {
        try (JarFile jar = new JarFile(entry.toFile())) {
          Manifest manifest = jar.getManifest();
          return manifest != null && isBootLauncher(manifest);
        }
      }
    } catch (IOException e) {
      return false;
    }
    return false;
  }

  private static boolean isBootLauncher(Manifest manifest) {
    String main = manifest.getMainAttributes().getValue("Main-Class");
    return main != null && main.startsWith("org.springframework.boot.loader.");
  }
}
