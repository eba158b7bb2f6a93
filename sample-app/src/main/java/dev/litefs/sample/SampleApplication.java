package dev.litefs.sample;

import dev.litefs.sample.stub.StubSource;
import java.time.Clock;
import java.util.Arrays;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * The sample application: {@code GET /resources/{id}} reads SQLite and, on a miss, fetches from an external
 * source and inserts (on the primary only); a SQLite-backed job queue whose worker runs only on the primary;
 * Flyway migrations run once, on the primary. See docs/sample-app.md.
 *
 * <p>{@code java -jar sample-app.jar stub-source [--port=8081] [--bind=127.0.0.1]} starts the small external
 * source used in tests and in the local cluster instead, as its own process.
 */
@SpringBootApplication
@EnableScheduling
@ConfigurationPropertiesScan
public class SampleApplication {

  /** The first argument {@code stub-source} starts the stub source; anything else starts the application. */
  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("stub-source")) {
      StubSource.main(Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    SpringApplication.run(SampleApplication.class, args);
  }

  /** The time the job queue runs on; tests replace it to move time without waiting. */
  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }
}
