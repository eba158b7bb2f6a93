package dev.litefs.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** The engine's lines in the application's log. */
@ExtendWith(OutputCaptureExtension.class)
class EngineLoggingTests {
  static final Logger LOG = LoggerFactory.getLogger(EngineLogging.LOGGER);

  @TempDir
  Path tmp;

  @Test
  void eachLineIsReloggedAtItsOwnLevelWithAPrefix(CapturedOutput output) {
    assertThat(EngineLogging.relay(LOG, "WARN Node - lease lost", null)).isEqualTo(Level.WARN);
    assertThat(output).contains("WARN").contains("litefs.engine").contains("[litefs] Node - lease lost");
  }

  @Test
  void aLineWithoutALevelKeepsThePreviousOne(CapturedOutput output) {
    assertThat(EngineLogging.relay(LOG, "\tat dev.litefs.core.X.y(X.java:1)", Level.ERROR)).isEqualTo(Level.ERROR);
    assertThat(EngineLogging.relay(LOG, "Error: Could not create the Java Virtual Machine.", null))
        .isEqualTo(Level.INFO);
    assertThat(output).contains("[litefs] Error: Could not create the Java Virtual Machine.");
  }

  @Test
  void logbackAndLog4j2AreEachGivenTheSameLineFormat() throws IOException {
    assertThat(EngineLogging.options(tmp, false)).contains("-Dlogback.configurationFile=" + tmp.resolve("engine-logback.xml"),
        "-Dlog4j2.configurationFile=" + tmp.resolve("engine-log4j2.xml"));
    assertThat(Files.readString(tmp.resolve("engine-logback.xml"))).contains("%level %logger{0} - %msg%n")
        .contains("level=\"INFO\"");
    assertThat(Files.readString(tmp.resolve("engine-log4j2.xml"))).contains("%level %c{1} - %msg%n");
    EngineLogging.options(tmp, true);
    assertThat(Files.readString(tmp.resolve("engine-logback.xml"))).contains("level=\"DEBUG\"");
  }
}
