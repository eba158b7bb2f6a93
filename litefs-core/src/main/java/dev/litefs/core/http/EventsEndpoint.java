package dev.litefs.core.http;

import dev.litefs.core.node.EventHub;
import dev.litefs.core.node.EventJson;
import dev.litefs.core.node.Node;
import dev.litefs.core.node.NodeEvent;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** {@code GET /events}: NDJSON, one event per line, flushed as it happens; {@code init} first. */
final class EventsEndpoint {
  private final Node node;

  EventsEndpoint(Node node) {
    this.node = node;
  }

  void handle(Request request, Response response, Callback callback) {
    response.setStatus(200);
    response.getHeaders().put("Content-Type", "application/json");
    try (EventHub.Subscription sub = node.events().subscribe();
        OutputStream out = Content.Sink.asOutputStream(response)) {
      while (true) {
        NodeEvent e = sub.next(1000);
        if (e != null) {
          out.write((EventJson.encode(e) + "\n").getBytes(StandardCharsets.UTF_8));
          out.flush();
        }
      }
    } catch (IOException | IllegalStateException e) {
      callback.failed(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      callback.failed(e);
    }
  }
}
