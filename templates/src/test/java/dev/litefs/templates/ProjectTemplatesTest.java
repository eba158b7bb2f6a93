package dev.litefs.templates;

import static org.assertj.core.api.Assertions.assertThat;

import dev.litefs.templates.FlyProject.EngineMode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What is rendered; whether it is valid litefs.yml and TOML is checked in litefs-core, which has the parsers. */
class ProjectTemplatesTest {
  @Test
  void managedModeRendersFlyTomlLitefsYmlAndADockerfile() {
    List<RenderedFile> files = ProjectTemplates.render(new FlyProject("my-app", "ord", EngineMode.MANAGED));

    assertThat(files).extracting(RenderedFile::path).containsExactly("fly.toml", "litefs.yml", "Dockerfile");
    assertThat(files).noneMatch(RenderedFile::executable);
  }

  @Test
  void sidecarModeAddsTheExecutableLauncherScript() {
    List<RenderedFile> files = ProjectTemplates.render(new FlyProject("my-app", "ord", EngineMode.SIDECAR));

    assertThat(files).extracting(RenderedFile::path)
        .containsExactly("fly.toml", "litefs.yml", "Dockerfile", "docker/litefs");
    assertThat(files.get(3).executable()).isTrue();
    assertThat(files.get(3).content()).startsWith("#!/bin/sh\n");
  }

  @Test
  void everyPlaceholderIsFilledInEveryFile() {
    for (EngineMode mode : EngineMode.values()) {
      for (RenderedFile file : ProjectTemplates.render(new FlyProject("my-app", "ams", mode))) {
        assertThat(file.content()).as(file.path()).doesNotContain("{{").doesNotContain("}}");
      }
    }
  }

  @Test
  void bothImagesStartTheEngineWithTheSameJvmOptions() {
    for (EngineMode mode : EngineMode.values()) {
      String dockerfile = ProjectTemplates.render(new FlyProject("my-app", "ord", mode)).get(2).content();
      assertThat(dockerfile).as(mode.name())
          .contains("LITEFS_JAVA_OPTS=\"" + ProjectTemplates.ENGINE_JAVA_OPTIONS + "\"");
    }
  }

  @Test
  void theVersionIsTheBuildsNotAnUnfilteredProperty() {
    assertThat(ProjectTemplates.version()).matches("\\d+\\.\\d+\\.\\d+.*");
  }

  @Test
  void theSidecarImageFetchesTheEngineJarOfThisVersion() {
    String dockerfile = ProjectTemplates.render(new FlyProject("my-app", "ord", EngineMode.SIDECAR)).get(2).content();

    assertThat(dockerfile).contains("ARG LITEFS_VERSION=" + ProjectTemplates.version() + "\n")
        .contains("dev.litefs:litefs-core:${LITEFS_VERSION}:jar:cli");
  }
}
