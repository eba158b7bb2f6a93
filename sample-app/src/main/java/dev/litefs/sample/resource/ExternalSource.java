package dev.litefs.sample.resource;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The client of the external source: {@code GET <sample.source.url>/sources/<id>}, answered with
 * {@code {"title": …, "body": …}} or 404. Connect and read timeouts bound every call, and every failure becomes a
 * {@link SourceUnavailableException} that names the source and what went wrong.
 */
@Component
public class ExternalSource {
  private final SourceProperties properties;
  private final JsonMapper json;
  private final HttpClient client;
  private final String base;

  /** The document the source answers with; other fields are ignored. */
  private record Answer(@Nullable String title, @Nullable String body) {}

  public ExternalSource(SourceProperties properties, JsonMapper json) {
    this.properties = properties;
    this.json = json;
    this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(properties.connectTimeout()).build();
    String url = properties.url().toString();
    this.base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  /** Returns the source's base URL, as configured. */
  public URI url() {
    return properties.url();
  }

  /**
   * Fetches one resource. {@code id} must already be validated (it becomes part of the URL).
   *
   * @return the resource, or empty when the source answers 404
   * @throws SourceUnavailableException when the source cannot be reached, is too slow, answers with another
   *     error, or answers with something that is not a resource
   */
  public Optional<SourceDocument> fetch(String id) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/sources/" + id))
        .timeout(properties.readTimeout()).header("Accept", "application/json").GET().build();
    HttpResponse<InputStream> response = send(request, id);
    try (InputStream in = response.body()) {
      if (response.statusCode() == 404) {
        return Optional.empty();
      }
      if (response.statusCode() != 200) {
        throw new SourceUnavailableException("The source at " + base + " answered " + response.statusCode()
            + " for resource '" + id + "'");
      }
      return Optional.of(parse(id, readLimited(in, id)));
    } catch (IOException e) {
      throw new SourceUnavailableException("Reading resource '" + id + "' from the source at " + base
          + " failed: " + e, e instanceof HttpTimeoutException, e);
    }
  }

  private HttpResponse<InputStream> send(HttpRequest request, String id) {
    try {
      return client.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (HttpConnectTimeoutException e) {
      throw new SourceUnavailableException("The source at " + base + " did not accept a connection within "
          + properties.connectTimeout().toMillis() + " ms (sample.source.connect-timeout)", true, e);
    } catch (HttpTimeoutException e) {
      throw new SourceUnavailableException("The source at " + base + " did not answer for resource '" + id
          + "' within " + properties.readTimeout().toMillis() + " ms (sample.source.read-timeout)", true, e);
    } catch (ConnectException e) {
      throw new SourceUnavailableException("The source at " + base + " cannot be reached (connection refused); "
          + "is it running, and is sample.source.url right?", false, e);
    } catch (IOException e) {
      throw new SourceUnavailableException("Fetching resource '" + id + "' from the source at " + base
          + " failed: " + e, false, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SourceUnavailableException("Interrupted while fetching resource '" + id + "' from " + base, false,
          e);
    }
  }

  private byte[] readLimited(InputStream in, String id) throws IOException {
    long limit = properties.maxBodySize().toBytes();
    byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
    if (bytes.length > limit) {
      throw new SourceUnavailableException("The source at " + base + " answered more than "
          + properties.maxBodySize() + " for resource '" + id + "' (sample.source.max-body-size)");
    }
    return bytes;
  }

  private SourceDocument parse(String id, byte[] bytes) {
    Answer answer;
    try {
      answer = json.readValue(bytes, Answer.class);
    } catch (JacksonException e) {
      throw new SourceUnavailableException("The source at " + base + " answered resource '" + id
          + "' with something that is not JSON: " + e.getOriginalMessage(), false, e);
    }
    if (answer == null || answer.title() == null || answer.body() == null) {
      throw new SourceUnavailableException("The source at " + base + " answered resource '" + id
          + "' without a title and a body");
    }
    return new SourceDocument(id, answer.title(), answer.body());
  }
}
