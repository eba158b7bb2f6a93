package dev.litefs.spring.testing;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.springframework.boot.loader.tools.Library;
import org.springframework.boot.loader.tools.LibraryScope;
import org.springframework.boot.loader.tools.Repackager;

/**
 * Packs a main class and this JVM's class path into a Spring Boot executable jar, as the Spring Boot Maven
 * plugin's {@code repackage} does: the libraries nested in {@code BOOT-INF/lib}, started by Boot's
 * {@code JarLauncher}. What a Dockerfile runs with {@code java -jar app.jar}.
 */
public final class ExecutableJar {
  private ExecutableJar() {}

  /** Writes {@code dir/app.jar}, whose Start-Class is {@code mainClass}, and returns it. */
  public static Path build(Path dir, Class<?> mainClass) throws IOException {
    Files.createDirectories(dir);
    Path classes = codeSource(mainClass);
    Path plain = dir.resolve("app-plain.jar");
    jar(classes, plain, mainClass.getName());
    List<File> libraries = new ArrayList<>();
    int n = 0;
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path p = Path.of(entry);
      if (p.equals(classes) || !Files.exists(p)) {
        continue;
      }
      if (Files.isDirectory(p)) {
        Path packed = dir.resolve("classes-" + (n++) + ".jar");
        jar(p, packed, null);
        libraries.add(packed.toFile());
      } else {
        libraries.add(p.toFile());
      }
    }
    Repackager repackager = new Repackager(plain.toFile());
    repackager.setMainClass(mainClass.getName());
    repackager.setIncludeRelevantJarModeJars(false);
    repackager.setBackupSource(false);
    Path app = dir.resolve("app.jar");
    repackager.repackage(app.toFile(), callback -> {
      for (File f : libraries) {
        callback.library(new Library(f, LibraryScope.COMPILE));
      }
    });
    return app;
  }

  private static Path codeSource(Class<?> type) {
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void jar(Path dir, Path jar, String mainClass) throws IOException {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    if (mainClass != null) {
      manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, mainClass);
    }
    try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, manifest);
        Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
        String name = dir.relativize(f).toString().replace(File.separatorChar, '/');
        if (name.equals("META-INF/MANIFEST.MF")) {
          continue;
        }
        j.putNextEntry(new JarEntry(name));
        Files.copy(f, j);
        j.closeEntry();
      }
    }
  }
}
