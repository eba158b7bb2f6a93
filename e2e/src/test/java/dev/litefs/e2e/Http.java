package dev.litefs.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A plain HTTP/1.1 client with no cookie jar: each request carries exactly the headers a test gives it. */
final class Http {
  private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private static final ObjectMapper JSON = new ObjectMapper();

  private Http() {}

  /** {@code GET uri} with {@code headers} as name, value pairs. */
  static HttpResponse<String> get(URI uri, String... headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET();
    if (headers.length > 0) {
      request.headers(headers);
    }
    try {
      return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException("GET " + uri + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The body as JSON. */
  static JsonNode json(HttpResponse<String> response) {
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new AssertionError("not JSON (" + response.statusCode() + "): " + response.body(), e);
    }
  }

  /** A response header's value, or "" when it is missing. */
  static String header(HttpResponse<String> response, String name) {
    return response.headers().firstValue(name).orElse("");
  }

  /** The {@code name=value} pair of a cookie the response sets, for a {@code Cookie} header. */
  static String cookie(HttpResponse<String> response, String name) {
    return response.headers().allValues("Set-Cookie").stream().map(c -> c.split(";", 2)[0].trim())
        .filter(c -> c.startsWith(name + "=")).findFirst()
        .orElseThrow(() -> new AssertionError("no " + name + " cookie in " + response.headers().map()));
  }

  /** How a response looks in a failure message. */
  static String describe(HttpResponse<String> r) {
    return r.statusCode() + " X-Node=" + header(r, "X-Node") + " X-Resource-Origin=" + header(r, "X-Resource-Origin")
        + " fly-replay=" + header(r, "fly-replay") + " body=" + r.body();
  }
}
