package dev.litefs.templates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplateTest {
  @Test
  void replacesEveryPlaceholderWithItsValueTakenLiterally() {
    Template t = new Template("t", "app = \"{{app}}\" # {{app}} in {{region}}, ${KEEP} $1\n");

    assertThat(t.render(Map.of("app", "a$1\\b", "region", "ord")))
        .isEqualTo("app = \"a$1\\b\" # a$1\\b in ord, ${KEEP} $1\n");
  }

  @Test
  void failsNamingAPlaceholderThatHasNoValue() {
    Template t = new Template("fly.toml.tmpl", "app = \"{{app}}\"\nregion = \"{{regoin}}\"\n");

    assertThatThrownBy(() -> t.render(Map.of("app", "a")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("template fly.toml.tmpl has {{regoin}}, which has no value");
  }

  @Test
  void failsOnAMalformedPlaceholderRatherThanWritingItOut() {
    Template t = new Template("x.tmpl", "ok {{app}}\nbroken {{ app }}\n");

    assertThatThrownBy(() -> t.render(Map.of("app", "a")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("template x.tmpl line 2 has a malformed placeholder");
  }

  @Test
  void loadingAMissingTemplateSaysWhichOne() {
    assertThatThrownBy(() -> Template.load("nope.tmpl"))
        .hasMessage("template /dev/litefs/templates/nope.tmpl is missing from the classpath");
  }
}
