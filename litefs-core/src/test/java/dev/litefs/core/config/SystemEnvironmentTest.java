package dev.litefs.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SystemEnvironmentTest {
  private final SystemEnvironment environment = new SystemEnvironment();

  @Test
  void readsTheProcessEnvironment() {
    assertThat(environment.apply("PATH")).isEqualTo(System.getenv("PATH"));
  }

  @Test
  void returnsNullForAnUnsetVariable() {
    assertThat(environment.apply("LITEFS_JAVA_TEST_SURELY_UNSET")).isNull();
  }

  @Test
  void alwaysHasAHostnameAsLiteFsSetsOneWhenUnset() {
    assertThat(environment.apply("HOSTNAME")).isNotBlank();
  }
}
