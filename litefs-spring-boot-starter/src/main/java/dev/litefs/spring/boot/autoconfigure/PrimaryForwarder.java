package dev.litefs.spring.boot.autoconfigure;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.util.WebUtils;

/**
 * Forward mode: proxies a request to the primary's application (its URL from
 * {@code litefs.replay.primary-url-template}) and streams the primary's answer back, status, headers (its
 * read-your-writes cookie included) and body. For clusters without Fly.io's edge: Kubernetes, Docker
 * Compose, a laptop.
 */
final class PrimaryForwarder {
  private static final Logger log = LoggerFactory.getLogger(PrimaryForwarder.class);

  /** Hop-by-hop headers, and those the JDK client sets itself and refuses to take from a caller. */
  private static final Set<String> SKIPPED_REQUEST_HEADERS = Set.of("connection", "keep-alive", "proxy-authenticate",
      "proxy-authorization", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade", "host",
      "content-length", "expect", "date", "from", "via", "warning", "http2-settings",
      PrimaryRouter.FORWARDED.toLowerCase(Locale.ROOT));
  private static final Set<String> SKIPPED_RESPONSE_HEADERS = Set.of("connection", "keep-alive",
      "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade", ":status");

  private final HttpClient client;
  private final String urlTemplate;
  private final String selfHostname;
  private final Duration timeout;

  PrimaryForwarder(String urlTemplate, String selfHostname, Duration connectTimeout, Duration timeout) {
    this.urlTemplate = urlTemplate;
    this.selfHostname = selfHostname;
    this.timeout = timeout;
    this.client = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(connectTimeout)
        .build();
  }

  void forward(HttpServletRequest request, HttpServletResponse response, String primary, String reason)
      throws IOException {
    URI target;
    try {
      String query = request.getQueryString();
      target = URI.create(urlTemplate.replace("{hostname}", primary) + request.getRequestURI()
          + (query == null ? "" : "?" + query));
    } catch (IllegalArgumentException e) {
      log.warn("Cannot build the primary's URL from litefs.replay.primary-url-template: {}", e.getMessage());
      fail(response, HttpServletResponse.SC_BAD_GATEWAY, "The primary's address is not valid.");
      return;
    }
    HttpRequest.Builder builder = HttpRequest.newBuilder(target).timeout(timeout);
    for (String name : Collections.list(request.getHeaderNames())) {
      if (SKIPPED_REQUEST_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
        continue;
      }
      for (String value : Collections.list(request.getHeaders(name))) {
        builder.header(name, value);
      }
    }
    String forwardedFor = request.getHeader("X-Forwarded-For");
    builder.setHeader("X-Forwarded-For",
        forwardedFor == null ? request.getRemoteAddr() : forwardedFor + ", " + request.getRemoteAddr());
    String host = request.getHeader("Host");
    if (host != null && request.getHeader("X-Forwarded-Host") == null) {
      builder.setHeader("X-Forwarded-Host", host);
    }
    if (request.getHeader("X-Forwarded-Proto") == null) {
      builder.setHeader("X-Forwarded-Proto", request.getScheme());
    }
    builder.setHeader(PrimaryRouter.FORWARDED, "instance=" + selfHostname + ";state=" + reason);
    try {
      builder.method(request.getMethod(), body(request));
    } catch (IOException e) {
      log.warn("Cannot forward {} {} to the primary: {}", request.getMethod(), request.getRequestURI(), e.getMessage());
      fail(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "This request cannot be sent to the primary.");
      return;
    }

    HttpResponse<InputStream> answer;
    try {
      answer = client.send(builder.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (HttpConnectTimeoutException | ConnectException e) {
      log.warn("Cannot reach the primary at {} to forward {} {}: {}", target.getAuthority(), request.getMethod(),
          request.getRequestURI(), e.toString());
      fail(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "The primary could not be reached.");
      return;
    } catch (HttpTimeoutException e) {
      fail(response, HttpServletResponse.SC_GATEWAY_TIMEOUT, "The primary did not answer in time.");
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      fail(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "Interrupted while forwarding to the primary.");
      return;
    } catch (IOException e) {
      log.warn("Forwarding {} {} to the primary at {} failed: {}", request.getMethod(), request.getRequestURI(),
          target.getAuthority(), e.toString());
      fail(response, HttpServletResponse.SC_BAD_GATEWAY, "Forwarding to the primary failed.");
      return;
    }
    response.resetBuffer();
    response.setStatus(answer.statusCode());
    for (Map.Entry<String, List<String>> h : answer.headers().map().entrySet()) {
      if (SKIPPED_RESPONSE_HEADERS.contains(h.getKey().toLowerCase(Locale.ROOT))) {
        continue;
      }
      boolean first = true;
      for (String v : h.getValue()) {
        if (first) {
          response.setHeader(h.getKey(), v);
          first = false;
        } else {
          response.addHeader(h.getKey(), v);
        }
      }
    }
    try (InputStream in = answer.body()) {
      in.transferTo(response.getOutputStream());
    }
  }

  private static HttpRequest.BodyPublisher body(HttpServletRequest request) throws IOException {
    long length = request.getContentLengthLong();
    boolean chunked = request.getHeader("Transfer-Encoding") != null;
    if (length <= 0 && !chunked) {
      return HttpRequest.BodyPublishers.noBody();
    }
    ReplayableRequest replayable = WebUtils.getNativeRequest(request, ReplayableRequest.class);
    InputStream in = replayable != null ? replayable.bodyForForwarding() : request.getInputStream();
    HttpRequest.BodyPublisher stream = HttpRequest.BodyPublishers.ofInputStream(() -> in);
    return length > 0 ? HttpRequest.BodyPublishers.fromPublisher(stream, length) : stream;
  }

  private static void fail(HttpServletResponse response, int status, String message) throws IOException {
    response.resetBuffer();
    response.setStatus(status);
    response.setHeader("Cache-Control", "no-store");
    if (status == HttpServletResponse.SC_SERVICE_UNAVAILABLE) {
      response.setHeader("Retry-After", "1");
    }
    PrimaryRouter.text(response, message + "\n");
  }
}
