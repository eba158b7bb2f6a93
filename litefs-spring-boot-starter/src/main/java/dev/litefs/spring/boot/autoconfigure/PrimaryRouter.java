package dev.litefs.spring.boot.autoconfigure;

import dev.litefs.spring.LiteFs;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a request that a replica cannot serve to the primary: a {@code fly-replay} answer on Fly.io, a
 * forward in forward mode, or {@code 503} with {@code Retry-After} when there is no primary to send it to.
 * A request that was already replayed or forwarded once is never sent on again: if it still reached a
 * replica, the primary has moved, and the client is asked to retry.
 */
final class PrimaryRouter {
  private static final Logger log = LoggerFactory.getLogger(PrimaryRouter.class);

  static final String FLY_REPLAY = "fly-replay";
  static final String FLY_REPLAY_SRC = "fly-replay-src";
  static final String FLY_REPLAY_FAILED = "fly-replay-failed";
  /** Set on a forwarded request, so the receiving node knows not to forward it again. */
  static final String FORWARDED = "Litefs-Forwarded";

  /** Reasons, sent as fly-replay's {@code state=} field (and in {@code Litefs-Forwarded}). */
  static final String PRIMARY_ONLY = "primary-only";
  static final String REQUIRE_PRIMARY = "require-primary";
  static final String TXID_TIMEOUT = "txid-timeout";

  private final LiteFs liteFs;
  private final LiteFsProperties.ReplayMode mode;
  private final String flyReplaySuffix;
  private final String retryAfter;
  private final @Nullable PrimaryForwarder forwarder;

  PrimaryRouter(LiteFs liteFs, LiteFsProperties.Replay config, LiteFsProperties.ReplayMode mode,
      @Nullable PrimaryForwarder forwarder) {
    this.liteFs = liteFs;
    this.mode = mode;
    this.flyReplaySuffix = ";timeout=" + flyDuration(config.getFlyTimeout()) + ";fallback=prefer_self";
    this.retryAfter = Long.toString(Math.max(1, (config.getRetryAfter().toMillis() + 999) / 1000));
    this.forwarder = forwarder;
  }

  LiteFsProperties.ReplayMode mode() {
    return mode;
  }

  /** Answers {@code request} by sending it to the primary; {@code reason} is one of the constants above. */
  void route(HttpServletRequest request, HttpServletResponse response, String reason) throws IOException {
    if (request.getHeader(FLY_REPLAY_FAILED) != null) {
      log.debug("Fly.io could not replay {} {} on the primary", request.getMethod(), request.getRequestURI());
      unavailable(response, "The primary could not be reached. Try again shortly.");
      return;
    }
    if (request.getHeader(FLY_REPLAY_SRC) != null || request.getHeader(FORWARDED) != null) {
      log.debug("{} {} was already sent to the primary but reached a replica ({}); not sending it on again",
          request.getMethod(), request.getRequestURI(), reason);
      unavailable(response, "The primary has moved. Try again shortly.");
      return;
    }
    Optional<String> primary = liteFs.primaryHostname();
    if (primary.isEmpty()) {
      unavailable(response, "No primary is available. Try again shortly.");
      return;
    }
    if (mode == LiteFsProperties.ReplayMode.FORWARD && forwarder != null) {
      forwarder.forward(request, response, primary.get(), reason);
      return;
    }
    // Primary hostnames are validated when read (Hostnames), so they are safe in a header.
    response.resetBuffer();
    response.setStatus(HttpServletResponse.SC_CONFLICT);
    response.setHeader(FLY_REPLAY, "instance=" + primary.get() + ";state=" + reason + flyReplaySuffix);
    response.setHeader("Cache-Control", "no-store");
    text(response, "Replaying on the primary.\n");
  }

  private void unavailable(HttpServletResponse response, String message) throws IOException {
    response.resetBuffer();
    response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
    response.setHeader("Retry-After", retryAfter);
    response.setHeader("Cache-Control", "no-store");
    text(response, message + "\n");
  }

  static void text(HttpServletResponse response, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    response.setContentType("text/plain;charset=UTF-8");
    response.setContentLength(bytes.length);
    response.getOutputStream().write(bytes);
  }

  /** Fly.io's duration syntax: {@code 5s}, {@code 800ms}. */
  static String flyDuration(Duration d) {
    long ms = Math.max(1, d.toMillis());
    return ms % 1000 == 0 ? (ms / 1000) + "s" : ms + "ms";
  }
}
