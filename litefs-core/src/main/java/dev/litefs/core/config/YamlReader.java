package dev.litefs.core.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads the first YAML document of a text into {@link YamlNode}s with Jackson's streaming YAML parser, whose
 * token locations give each node its line. Lines are mapped back through {@link ExpandedText} to the file as
 * written.
 */
final class YamlReader {
  // A plain empty value ("dir:") is YAML's null, as in Go; the builder leaves this feature off unless asked.
  private static final YAMLFactory FACTORY =
      YAMLFactory.builder().enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL).build();

  private final ExpandedText source;
  private final Problems problems;

  private YamlReader(ExpandedText source, Problems problems) {
    this.source = source;
    this.problems = problems;
  }

  /**
   * Parses {@code source}'s top-level mapping. Reports to {@code problems}, and returns empty for, a YAML syntax
   * error, an alias ({@code *name}: Jackson does not resolve them), an empty file, or a top level that is not a
   * mapping.
   */
  static Optional<YamlNode.Mapping> readMapping(ExpandedText source, Problems problems) {
    return new YamlReader(source, problems).readRoot();
  }

  private Optional<YamlNode.Mapping> readRoot() {
    try (YAMLParser parser = FACTORY.createParser(source.text())) {
      JsonToken token = parser.nextToken();
      if (token == null) {
        problems.error(0, "the file is empty; it needs at least lease.type");
        return Optional.empty();
      }
      YamlNode root = read(parser, token);
      if (root instanceof YamlNode.Mapping mapping) {
        return Optional.of(mapping);
      }
      problems.error(root.line(), "the top level must be a mapping of keys, got " + root.kind());
    } catch (JsonProcessingException e) {
      reportSyntaxError(e);
    } catch (AliasException e) {
      problems.error(e.line, "YAML aliases (*" + e.name + ") are not supported; repeat the value");
    } catch (IOException e) {
      throw new UncheckedIOException("reading a string cannot fail", e);
    }
    return Optional.empty();
  }

  private YamlNode read(YAMLParser parser, JsonToken token) throws IOException {
    int line = line(parser);
    if (parser.isCurrentAlias()) {
      throw new AliasException(parser.getText(), line);
    }
    switch (token) {
      case START_OBJECT:
        List<YamlNode.Entry> entries = new ArrayList<>();
        for (JsonToken t = parser.nextToken(); t != JsonToken.END_OBJECT; t = parser.nextToken()) {
          String key = parser.currentName();
          int keyLine = line(parser);
          entries.add(new YamlNode.Entry(key, keyLine, read(parser, parser.nextToken())));
        }
        return new YamlNode.Mapping(entries, line);
      case START_ARRAY:
        List<YamlNode> items = new ArrayList<>();
        for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
          items.add(read(parser, t));
        }
        return new YamlNode.Sequence(items, line);
      default:
        // getText() is the scalar as written ("yes", "0x1F"), which is what Go's decoder hands a string field.
        return new YamlNode.Scalar(parser.getText(), token == JsonToken.VALUE_NULL, line);
    }
  }

  private int line(JsonParser parser) {
    return source.sourceLine(parser.currentTokenLocation().getLineNr());
  }

  /**
   * Reports a YAML error at the line SnakeYAML found it: Jackson's own location is the last token read, which
   * can be lines earlier. SnakeYAML comes with jackson-dataformat-yaml, which throws its exceptions as causes.
   */
  private void reportSyntaxError(JsonProcessingException e) {
    if (e.getCause() instanceof MarkedYAMLException marked && marked.getProblemMark() != null) {
      String context = marked.getContext() == null ? "" : " (" + marked.getContext() + ")";
      problems.error(source.sourceLine(marked.getProblemMark().getLine() + 1),
          "invalid YAML: " + marked.getProblem() + context);
    } else {
      int line = e.getLocation() == null ? 0 : source.sourceLine(e.getLocation().getLineNr());
      problems.error(line, "invalid YAML: " + e.getOriginalMessage());
    }
  }

  /** Unwinds the recursive read when an alias is met. */
  private static final class AliasException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    final String name;
    final int line;

    AliasException(String name, int line) {
      super(null, null, false, false);
      this.name = name;
      this.line = line;
    }
  }
}
