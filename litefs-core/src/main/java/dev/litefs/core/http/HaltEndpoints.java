package dev.litefs.core.http;

import dev.litefs.core.node.HaltLock;
import dev.litefs.core.node.Node;
import dev.litefs.core.node.NotPrimaryException;
import java.io.IOException;
import java.io.InputStream;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HALT write forwarding: {@code /halt} and {@code /tx}. A request from another node (its {@code Litefs-Id})
 * takes or releases this primary's lock, or applies a forwarded transaction; a request from the local
 * {@code litefs run} (no node ID) takes or releases the primary's lock on this node's behalf. LiteFS uses an
 * fcntl lock on {@code <db>-lock} for the local side, which cannot work here: SQLite's locks, and so that
 * one, stay in the kernel and never reach the engine.
 */
final class HaltEndpoints {
  private static final Logger log = LoggerFactory.getLogger(HaltEndpoints.class);
  private final Node node;

  HaltEndpoints(Node node) {
    this.node = node;
  }

  void handle(Request request, Response response, Callback callback, Fields query, String path) {
    boolean tx = path.equals("/tx");
    String raw = String.valueOf(query.getValue(tx ? "lockID" : "id"));
    long id;
    try {
      id = Long.parseLong(raw);
    } catch (NumberFormatException e) {
      ApiResponses.error(response, callback, 400, "invalid id: " + ApiResponses.quote(raw));
      return;
    }
    long caller = StreamEndpoint.clientId(request);
    if (caller == node.nodeId()) {
      ApiResponses.error(response, callback, 400, "cannot remotely halt self");
      return;
    }
    String name = query.getValue("name");
    if (name == null || name.isEmpty()) {
      ApiResponses.error(response, callback, 400, "name required");
      return;
    }
    String method = request.getMethod();
    try {
      if (tx) {
        transaction(request, response, callback, name, id, caller);
      } else if (method.equals("POST")) {
        HaltLock lock = caller == 0 ? node.haltLocally(name, id) : node.haltForReplica(name, id, caller);
        ApiResponses.text(response, callback, "application/json", lock.toJson() + "\n");
      } else if (method.equals("DELETE")) {
        if (caller == 0) {
          node.unhaltLocally(name, id);
        } else {
          node.releaseReplicaHalt(name, id);
        }
        ApiResponses.empty(response, callback);
      } else {
        ApiResponses.error(response, callback, 405, "method not allowed");
      }
    } catch (NotPrimaryException e) {
      ApiResponses.error(response, callback, 503, e.getMessage());
    } catch (IllegalStateException e) {
      ApiResponses.error(response, callback, 409, e.getMessage());
    } catch (IOException e) {
      log.warn("{} {} on {}: {}", method, path, name, e.getMessage());
      ApiResponses.error(response, callback, 500, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      ApiResponses.error(response, callback, 500, "interrupted");
    }
  }

  private void transaction(Request request, Response response, Callback callback, String name, long id, long caller)
      throws NotPrimaryException, IOException {
    if (node.store().database(name).isEmpty()) {
      ApiResponses.error(response, callback, 404, "database not found: " + ApiResponses.quote(name));
      return;
    }
    if (!request.getMethod().equals("POST")) {
      ApiResponses.error(response, callback, 405, "method not allowed");
      return;
    }
    try (InputStream in = Content.Source.asInputStream(request)) {
      node.applyForwarded(name, id, caller, in);
    }
    ApiResponses.empty(response, callback);
  }
}
