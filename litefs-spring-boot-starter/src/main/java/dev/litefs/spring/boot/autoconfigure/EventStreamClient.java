package dev.litefs.spring.boot.autoconfigure;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows LiteFS's {@code GET /events} NDJSON stream on a daemon thread ({@code litefs-events}), and
 * reconnects with exponential backoff when it fails or ends. Lines that are not LiteFS events are logged
 * (quoted safely, at most a few per connection at WARN) and skipped; they never stop the stream.
 */
final class EventStreamClient implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EventStreamClient.class);
  private static final int LOUD_BAD_LINES_PER_CONNECTION = 3;

  /** Receives what the stream says; called on the stream's thread, one call at a time. */
  interface Listener {
    /** The stream is connected; events follow, starting with {@code init}. */
    void onConnected();

    void onEvent(LiteFsEvent event);

    /** The stream failed or ended ({@code cause} is null for a clean end), or a connection attempt failed. */
    void onDisconnected(@Nullable Throwable cause);
  }

  private final URI url;
  private final @Nullable String token;
  private final Duration minDelay;
  private final Duration maxDelay;
  private final Listener listener;
  private final HttpClient client;
  private final Thread thread;
  private volatile boolean closed;
  private volatile @Nullable InputStream body;

  /** @param token the node API's {@code http.token}, sent as a bearer token; null when it has none */
  EventStreamClient(URI url, @Nullable String token, Duration minDelay, Duration maxDelay, Listener listener) {
    this.url = url;
    this.token = token == null || token.isEmpty() ? null : token;
    this.minDelay = minDelay;
    this.maxDelay = maxDelay.compareTo(minDelay) < 0 ? minDelay : maxDelay;
    this.listener = listener;
    this.client = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(2))
        .build();
    this.thread = new Thread(this::run, "litefs-events");
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  @Override
  public void close() {
    closed = true;
    InputStream in = body;
    if (in != null) {
      try {
        in.close();
      } catch (IOException ignored) {
        // Closing only unblocks the reader; nothing to report.
      }
    }
    thread.interrupt();
    try {
      thread.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    long delayNanos = minDelay.toNanos();
    while (!closed) {
      boolean gotEvent = false;
      try {
        gotEvent = follow();
        if (!closed) {
          listener.onDisconnected(null);
        }
      } catch (IOException | RuntimeException e) {
        if (!closed) {
          log.debug("LiteFS event stream {} failed", url, e);
          listener.onDisconnected(e);
        }
      } catch (InterruptedException e) {
        if (closed) {
          return;
        }
        Thread.interrupted();
      }
      if (gotEvent) {
        delayNanos = minDelay.toNanos();
      }
      if (closed) {
        return;
      }
      LockSupport.parkNanos(this, delayNanos);
      delayNanos = Math.min(delayNanos * 2, maxDelay.toNanos());
    }
  }

  /** Follows one connection to its end; returns whether at least one event arrived. */
  private boolean follow() throws IOException, InterruptedException {
    HttpRequest.Builder builder = HttpRequest.newBuilder(url).GET().header("Accept", "application/json");
    if (token != null) {
      builder.header("Authorization", "Bearer " + token);
    }
    HttpRequest request = builder.build();
    HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream in = response.body()) {
      if (response.statusCode() != 200) {
        throw new IOException("GET " + url + " answered " + response.statusCode());
      }
      body = in;
      if (closed) {
        return false;
      }
      listener.onConnected();
      boolean gotEvent = false;
      int badLines = 0;
      LineReader lines = new LineReader(in, LiteFsEvent.MAX_LINE_LENGTH);
      String line;
      while (!closed && (line = lines.next()) != null) {
        if (line.isBlank()) {
          continue;
        }
        LiteFsEvent event;
        try {
          event = LiteFsEvent.parse(line);
        } catch (IllegalArgumentException e) {
          badLines++;
          if (badLines <= LOUD_BAD_LINES_PER_CONNECTION) {
            log.warn("Skipping a line of the LiteFS event stream {} that is not an event ({}): {}", url,
                e.getMessage(), Hostnames.quote(line));
          } else {
            log.debug("Skipping another malformed line of the LiteFS event stream ({})", e.getMessage());
          }
          continue;
        }
        gotEvent = true;
        listener.onEvent(event);
      }
      return gotEvent;
    } finally {
      body = null;
    }
  }

  /**
   * Splits a byte stream at {@code \n}. A line longer than the limit is returned truncated to the limit (so
   * it fails to parse) and the rest of it is skipped, so no line can make the reader buffer without bound.
   */
  static final class LineReader {
    private final InputStream in;
    private final int limit;
    private final byte[] buf = new byte[8192];
    private int pos;
    private int end;

    LineReader(InputStream in, int limit) {
      this.in = in;
      this.limit = limit;
    }

    @Nullable String next() throws IOException {
      ByteArrayOutputStream line = new ByteArrayOutputStream(256);
      boolean any = false;
      while (true) {
        if (pos == end) {
          end = in.read(buf);
          pos = 0;
          if (end <= 0) {
            end = 0;
            return any ? line.toString(StandardCharsets.UTF_8) : null;
          }
        }
        any = true;
        while (pos < end) {
          byte b = buf[pos++];
          if (b == '\n') {
            return line.toString(StandardCharsets.UTF_8);
          }
          if (line.size() <= limit) {
            line.write(b);
          }
        }
      }
    }
  }
}
