package dev.litefs.core.http;

import dev.litefs.core.ltx.Pos;
import dev.litefs.core.node.Node;
import dev.litefs.core.node.NotPrimaryException;
import dev.litefs.core.replication.PosMap;
import dev.litefs.core.replication.PrimaryStream;
import dev.litefs.core.replication.StreamProtocolException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code POST /stream}: a replica's position map in, the replication frames out, for as long as it lasts. */
final class StreamEndpoint {
  private static final Logger log = LoggerFactory.getLogger(StreamEndpoint.class);

  private final Node node;

  StreamEndpoint(Node node) {
    this.node = node;
  }

  /** The {@code Litefs-Id} of the caller; a missing header is node 0, as in LiteFS. */
  static long clientId(Request request) {
    String h = request.getHeaders().get("Litefs-Id");
    if (h == null || h.isEmpty()) {
      return 0;
    }
    try {
      return Long.parseUnsignedLong(h, 16);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  void handle(Request request, Response response, Callback callback, Fields query) {
    long client = clientId(request);
    if (client == -1) {
      ApiResponses.error(response, callback, 400, "invalid node id");
      return;
    }
    if (client == node.nodeId()) {
      ApiResponses.error(response, callback, 400, "cannot connect to self");
      return;
    }
    if (!node.isPrimary()) {
      ApiResponses.error(response, callback, 503, "lease expired");
      return;
    }
    Map<String, Pos> positions;
    try (InputStream in = Content.Source.asInputStream(request)) {
      positions = PosMap.read(in);
    } catch (EOFException e) {
      ApiResponses.error(response, callback, 400, "unexpected EOF");
      return;
    } catch (StreamProtocolException e) {
      ApiResponses.error(response, callback, 400, e.getMessage());
      return;
    } catch (IOException e) {
      ApiResponses.error(response, callback, 400, "cannot read position map");
      return;
    }
    String f = query.getValue("filter");
    Set<String> filter = f == null || f.isEmpty() ? Set.of() : new LinkedHashSet<>(Arrays.asList(f.split(",")));
    PrimaryStream session;
    try {
      session = node.openStream(client, positions, filter);
    } catch (NotPrimaryException e) {
      ApiResponses.error(response, callback, 503, e.getMessage());
      return;
    }
    log.info(String.format("stream connected from node %016X", client));
    response.setStatus(200);
    try (OutputStream out = Content.Sink.asOutputStream(response)) {
      session.run(out);
      callback.succeeded();
    } catch (IOException e) {
      log.info(String.format("stream to node %016X ended: %s", client, e.getMessage()));
      callback.failed(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      callback.failed(e);
    } finally {
      node.closeStream(session);
    }
  }
}
