package dev.litefs.templates;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Renders the deployment files of a {@link FlyProject}. The placeholders every template may use:
 *
 * <ul>
 *   <li><code>{{app}}</code>: the Fly.io app name;
 *   <li><code>{{region}}</code>: the primary region;
 *   <li><code>{{litefs_version}}</code>: this litefs-java version, for the engine jar the sidecar image fetches;
 *   <li><code>{{engine_java_opts}}</code>: {@link #ENGINE_JAVA_OPTIONS}.
 * </ul>
 */
public final class ProjectTemplates {
  /** The fly.toml, rendered for both modes. */
  public static final String FLY_TOML = "fly.toml";
  /** The engine's config, the same for both modes. */
  public static final String LITEFS_YML = "litefs.yml";
  /** The image: managed mode, or the sidecar variant. */
  public static final String DOCKERFILE = "Dockerfile";
  /** The sidecar image's {@code litefs} command, copied to /usr/local/bin. */
  public static final String LAUNCHER = "docker/litefs";

  /**
   * The engine's JVM options, wherever litefs-java starts it: the Dockerfiles' {@code LITEFS_JAVA_OPTS}, the
   * starter's managed mode unless configured otherwise, and the replication benchmark. About 100 MB resident at
   * most (design.md measured 55-59 MB under write load); C1 only and the serial collector, which halve
   * replication's latency tails on two cores (docs/performance.md, "With the JVM options the engine ships with").
   */
  public static final String ENGINE_JAVA_OPTIONS = "-Xmx64m -Xss256k -XX:MaxMetaspaceSize=48m -XX:+UseSerialGC "
      + "-XX:TieredStopAtLevel=1 -XX:+ExitOnOutOfMemoryError";

  private ProjectTemplates() {}

  /** Returns the files for {@code project}, in the order they are best read: fly.toml first. */
  public static List<RenderedFile> render(FlyProject project) {
    Map<String, String> values = Map.of(
        "app", project.app(),
        "region", project.primaryRegion(),
        "litefs_version", version(),
        "engine_java_opts", ENGINE_JAVA_OPTIONS);
    RenderedFile flyToml = new RenderedFile(FLY_TOML, Template.load("fly.toml.tmpl").render(values), false);
    RenderedFile litefsYml = new RenderedFile(LITEFS_YML, Template.load("litefs.yml.tmpl").render(values), false);
    if (project.mode() == FlyProject.EngineMode.MANAGED) {
      return List.of(flyToml, litefsYml,
          new RenderedFile(DOCKERFILE, Template.load("Dockerfile.tmpl").render(values), false));
    }
    return List.of(flyToml, litefsYml,
        new RenderedFile(DOCKERFILE, Template.load("Dockerfile.sidecar.tmpl").render(values), false),
        new RenderedFile(LAUNCHER, Template.load("litefs.sh.tmpl").render(values), true));
  }

  /** Returns this build's version, such as {@code 0.1.0}, as Maven recorded it in the jar. */
  public static String version() {
    Properties props = new Properties();
    try (InputStream in = ProjectTemplates.class.getResourceAsStream("/dev/litefs/templates/version.properties")) {
      if (in == null) {
        throw new IllegalStateException("dev/litefs/templates/version.properties is missing from the classpath");
      }
      props.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read dev/litefs/templates/version.properties", e);
    }
    return props.getProperty("version");
  }
}
