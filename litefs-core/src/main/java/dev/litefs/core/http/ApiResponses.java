package dev.litefs.core.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The one place node API errors are written, as Go's {@code http.Error} writes LiteFS's: the status, a
 * {@code text/plain; charset=utf-8} body of the message and a newline, and {@code X-Content-Type-Options:
 * nosniff}. Messages never contain request input unescaped.
 */
final class ApiResponses {
  static final String TEXT = "text/plain; charset=utf-8";

  private ApiResponses() {}

  static void error(Response response, Callback callback, int status, String message) {
    response.setStatus(status);
    response.getHeaders().put("Content-Type", TEXT);
    response.getHeaders().put("X-Content-Type-Options", "nosniff");
    write(response, callback, message + "\n");
  }

  static void text(Response response, Callback callback, String contentType, String body) {
    response.setStatus(200);
    if (contentType != null) {
      response.getHeaders().put("Content-Type", contentType);
    }
    write(response, callback, body);
  }

  static void empty(Response response, Callback callback) {
    response.setStatus(200);
    response.getHeaders().put("Content-Length", "0");
    response.write(true, ByteBuffer.allocate(0), callback);
  }

  private static void write(Response response, Callback callback, String body) {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    response.getHeaders().put("Content-Length", String.valueOf(b.length));
    response.write(true, ByteBuffer.wrap(b), callback);
  }

  /** Go's {@code %q} for short untrusted strings in messages: quoted, with escapes for anything unusual. */
  static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (int i = 0; i < s.length() && i < 256; i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else if (c < 0x20 || c >= 0x7f) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.append('"').toString();
  }
}
