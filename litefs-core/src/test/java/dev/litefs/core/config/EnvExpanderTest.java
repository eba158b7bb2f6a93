package dev.litefs.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Expansion matches LiteFS's ExpandEnv (Go's os.Expand plus comparisons), and reports what LiteFS drops. */
class EnvExpanderTest {
  private static final Map<String, String> ENV = new HashMap<>(Map.of(
      "FLY_REGION", "ams",
      "PRIMARY_REGION", "ams",
      "OTHER_REGION", "fra",
      "APP", "my-app",
      "multi.part-name", "dotted"));

  static {
    ENV.put("EMPTY", "");
  }

  private final Problems problems = new Problems("litefs.yml");

  private String expand(String text) {
    return EnvExpander.expand(text, e -> e.evaluate(ENV::get), problems).text();
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
    "$APP|my-app",
    "${APP}|my-app",
    "${ APP }|my-app",
    "x-$APP-y|x-my-app-y",
    "$APP.internal|my-app.internal",
    "${APP}1|my-app1",
    "$UNSET|''",
    "${UNSET}|''",
    "${FLY_REGION == 'ams'}|true",
    "${FLY_REGION == 'fra'}|false",
    "${FLY_REGION != 'ams'}|false",
    "${FLY_REGION == \"ams\"}|true",
    "${FLY_REGION != \"fra\"}|true",
    "${FLY_REGION==PRIMARY_REGION}|true",
    "${ FLY_REGION == PRIMARY_REGION }|true",
    "${FLY_REGION == OTHER_REGION}|false",
    "${FLY_REGION != OTHER_REGION}|true",
    "${UNSET == EMPTY}|true",
    "${UNSET == ''}|true",
    "${APP == 'it''s'}|false",
    "${multi.part-name}|dotted",
  })
  void expandsEveryLiteFsForm(String text, String expected) {
    assertThat(expand(text)).isEqualTo(expected);
    assertThat(problems.errors()).isEmpty();
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
    "cost: 5$|cost: 5$",
    "a $ b|a $ b",
    "$/path|$/path",
    "$$x|x",
    "$1st|st",
    "${*}|''",
  })
  void treatsDollarsThatAreNotNamesAsGoDoes(String text, String expected) {
    assertThat(expand(text)).isEqualTo(expected);
    assertThat(problems.errors()).isEmpty();
  }

  @Test
  void reportsUnterminatedBraceWithItsLine() {
    expand("a: 1\nb: ${APP\n");

    assertThat(problems.errors()).extracting(ConfigProblem::toString)
        .containsExactly("litefs.yml:2: unterminated \"${\" (no closing \"}\")");
  }

  @Test
  void reportsEmptyBraces() {
    expand("a: ${}\n");

    assertThat(problems.errors()).extracting(ConfigProblem::toString)
        .containsExactly("litefs.yml:1: empty \"${}\"");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"${A = B}", "${A === B}", "${A:-x}", "${A == 'x}", "${A == x y}", "${ }"})
  void reportsBracesHoldingNeitherNameNorComparison(String text) {
    expand("x: 1\ny: " + text + "\n");

    assertThat(problems.errors()).extracting(ConfigProblem::toString).singleElement().asString()
        .startsWith("litefs.yml:2: invalid expansion \"" + text + "\": expected ${NAME}, ${NAME == 'text'}");
  }

  @Test
  void mapsLinesOfMultiLineValuesBackToTheLineWritten() {
    Map<String, String> env = Map.of("CERT", "line1\nline2\nline3");
    ExpandedText expanded = EnvExpander.expand("a: 1\nb: \"$CERT\"\nc: 3\n", e -> e.evaluate(env::get), problems);

    assertThat(expanded.text()).isEqualTo("a: 1\nb: \"line1\nline2\nline3\"\nc: 3\n");
    assertThat(List.of(1, 2, 3, 4, 5)).map(expanded::sourceLine).containsExactly(1, 2, 2, 2, 3);
  }

  @Test
  void mapsLinesAfterBracesSpanningLines() {
    ExpandedText expanded = EnvExpander.expand("a: ${\nAPP\n}\nb: 2\n", e -> e.evaluate(ENV::get), problems);

    assertThat(expanded.text()).isEqualTo("a: my-app\nb: 2\n");
    assertThat(expanded.sourceLine(2)).isEqualTo(4);
  }

  @Test
  void replacesVariablesAndComparisonsWithTheirStandIns() {
    String text = EnvExpander.expand("a: $A\nb: ${A == B}\n", StandIns::of, problems).text();

    assertThat(text).isEqualTo("a: " + StandIns.VALUE + "\nb: " + StandIns.BOOLEAN + "\n");
  }
}
