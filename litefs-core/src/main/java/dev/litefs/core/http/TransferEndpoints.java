package dev.litefs.core.http;

import dev.litefs.core.node.Node;
import dev.litefs.core.sqlite.InvalidDatabaseException;
import dev.litefs.core.store.Database;
import dev.litefs.core.store.DatabaseFileWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code POST /import} (primary only) and {@code GET /export} (any node) of whole SQLite files. */
final class TransferEndpoints {
  private static final Logger log = LoggerFactory.getLogger(TransferEndpoints.class);
  private final Node node;

  TransferEndpoints(Node node) {
    this.node = node;
  }

  void export(Request request, Response response, Callback callback, Fields query) {
    String name = query.getValue("name");
    if (name == null || name.isEmpty()) {
      ApiResponses.error(response, callback, 400, "name required");
      return;
    }
    Optional<Database> found = node.store().database(name);
    if (found.isEmpty() || found.get().pageCount() == 0) {
      ApiResponses.error(response, callback, 404, "database not found");
      return;
    }
    Database db = found.get();
    try (DatabaseFileWriter.ReadSession in = db.files().openRead(db)) {
      int ps = in.pageSize();
      int pages = in.pageCount();
      response.setStatus(200);
      response.getHeaders().put("Content-Type", "application/octet-stream");
      response.getHeaders().put("Content-Length", String.valueOf((long) ps * pages));
      byte[] page = new byte[ps];
      int lockPage = dev.litefs.core.ltx.PageChecksums.lockPage(ps);
      try (OutputStream out = Content.Sink.asOutputStream(response)) {
        for (int pgno = 1; pgno <= pages; pgno++) {
          if (pgno == lockPage) {
            java.util.Arrays.fill(page, (byte) 0);
          } else {
            in.readPage(pgno, page);
          }
          out.write(page);
        }
      }
      callback.succeeded();
    } catch (IOException e) {
      log.warn("export of {}: {}", name, e.getMessage());
      if (!response.isCommitted()) {
        ApiResponses.error(response, callback, 500, "export failed: " + e.getMessage());
      } else {
        callback.failed(e);
      }
    }
  }

  void importDatabase(Request request, Response response, Callback callback, Fields query) {
    String name = query.getValue("name");
    if (name == null || name.isEmpty()) {
      ApiResponses.error(response, callback, 400, "name required");
      return;
    }
    if (!node.isPrimary()) {
      ApiResponses.error(response, callback, 503, "lease expired");
      return;
    }
    Path tmp = null;
    try {
      tmp = Files.createTempFile(node.store().options().dataDir(), "import-", ".tmp");
      try (InputStream in = Content.Source.asInputStream(request)) {
        Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
      }
      Database db = node.store().createDatabase(name);
      var info = db.importFrom(tmp);
      log.info("imported database {} at {}", name, info.postApplyPos());
      ApiResponses.empty(response, callback);
    } catch (IllegalArgumentException | InvalidDatabaseException e) {
      ApiResponses.error(response, callback, 400, e.getMessage());
    } catch (IOException e) {
      log.error("import of {} failed: {}", name, e.toString());
      ApiResponses.error(response, callback, 500, "import failed: " + e.getMessage());
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException e) {
          log.debug("cannot delete {}: {}", tmp, e.toString());
        }
      }
    }
  }
}
