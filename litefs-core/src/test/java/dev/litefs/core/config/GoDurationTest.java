package dev.litefs.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GoDurationTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "10s, PT10S",
    "1m30s, PT1M30S",
    "500ms, PT0.5S",
    "1h, PT1H",
    "1.5h, PT1H30M",
    ".5s, PT0.5S",
    "1.s, PT1S",
    "0, PT0S",
    "-2s, PT-2S",
    "+3s, PT3S",
    "2h45m10.5s, PT2H45M10.5S",
    "100us, PT0.0001S",
    "100µs, PT0.0001S",
    "100μs, PT0.0001S",
    "7ns, PT0.000000007S",
    "0.000000001s, PT0.000000001S",
  })
  void parsesGoDurations(String text, Duration expected) {
    assertThat(GoDuration.parse(text)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "\"{0}\" -> {1}")
  @CsvSource(delimiter = '|', value = {
    "10|missing unit",
    "''|not a duration",
    "s|not a duration",
    ".s|not a duration",
    "-|not a duration",
    "1x|unknown unit \"x\"",
    "1 s|unknown unit \" s\"",
    "1S|unknown unit \"S\"",
    "10000000000000000000h|out of range",
    "3000000h|out of range",
  })
  void rejectsWhatGoRejects(String text, String reason) {
    assertThatThrownBy(() -> GoDuration.parse(text)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage(reason);
  }
}
