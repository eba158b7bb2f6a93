package dev.litefs.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/config.md documents exactly the keys a config can hold, and every extension in its own section. */
class ConfigDocsTest {
  private static final Pattern TABLE_KEY = Pattern.compile("^\\| `([a-z][a-z.\\-\\[\\]]*)` \\|", Pattern.MULTILINE);

  @Test
  void keyTableListsEveryUpstreamKeyAndExtension() throws IOException {
    Set<String> documented = new TreeSet<>();
    Matcher m = TABLE_KEY.matcher(docs());
    while (m.find()) {
      documented.add(m.group(1));
    }

    Set<String> expected = new TreeSet<>(leafKeys(ConfigFiles.FULL_UPSTREAM));
    expected.add("exec");
    expected.addAll(Extensions.KEYS);
    assertThat(documented).isEqualTo(expected);
  }

  @Test
  void extensionsSectionNamesEveryExtensionKey() throws IOException {
    String docs = docs();
    String extensions = docs.substring(docs.indexOf("## Extensions (not in upstream LiteFS)"));

    assertThat(extensions).contains("lease.type: etcd");
    Extensions.KEYS.forEach(key -> assertThat(extensions).contains("`" + key + "`"));
  }

  /** The key paths of a sample's scalars and lists, list items of mappings written {@code exec[].cmd}. */
  private static Set<String> leafKeys(String yaml) {
    Problems problems = new Problems("sample");
    YamlNode.Mapping root = YamlReader.readMapping(ExpandedText.unexpanded(yaml), problems).orElseThrow();
    Set<String> keys = new TreeSet<>();
    collect("", root, keys);
    return keys;
  }

  private static void collect(String path, YamlNode node, Set<String> keys) {
    if (node instanceof YamlNode.Mapping mapping) {
      mapping.entries().forEach(e -> collect(ConfigKeys.join(path, e.key()), e.value(), keys));
    } else if (node instanceof YamlNode.Sequence sequence && !sequence.items().isEmpty()
        && sequence.items().get(0) instanceof YamlNode.Mapping) {
      sequence.items().forEach(item -> collect(path + "[]", item, keys));
    } else {
      keys.add(path);
    }
  }

  private static String docs() throws IOException {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("docs/config.md"))) {
        return Files.readString(p.resolve("docs/config.md"));
      }
    }
    throw new IllegalStateException("docs/config.md not found above " + Path.of("").toAbsolutePath());
  }
}
