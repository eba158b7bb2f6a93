package dev.litefs.templates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.litefs.templates.FlyProject.EngineMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FlyProjectTest {
  @ParameterizedTest
  @ValueSource(strings = {"a", "my-app", "app2", "0day", "a23456789012345678901234567890123456789012345678901234567890123"})
  void acceptsFlyAppNames(String app) {
    assertThat(new FlyProject(app, "ord", EngineMode.MANAGED).app()).isEqualTo(app);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "My-App", "-app", "app-", "my_app", "my.app", "app\"x", "a234567890123456789012345678901234567890123456789012345678901234"})
  void rejectsAppNamesThatAreNotOneLowercaseDnsLabel(String app) {
    assertThatThrownBy(() -> new FlyProject(app, "ord", EngineMode.MANAGED))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("invalid app name \"")
        .hasMessageContaining("lowercase letters, digits and dashes");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "or", "ordx", "ORD", "o1d", "us"})
  void rejectsRegionsThatAreNotThreeLowercaseLetters(String region) {
    assertThatThrownBy(() -> new FlyProject("app", region, EngineMode.SIDECAR))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("invalid region \"" + region + "\"")
        .hasMessageContaining("three-letter lowercase code");
  }

  @org.junit.jupiter.api.Test
  void showsControlCharactersOfABadNameAsEscapes() {
    assertThatThrownBy(() -> new FlyProject("a\nb\u00e9", "ord", EngineMode.MANAGED))
        .hasMessageStartingWith("invalid app name \"a\\u000ab\\u00e9\"");
  }
}
