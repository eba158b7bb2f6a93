package dev.litefs.spring.boot.autoconfigure;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The primary's response: adds the read-your-writes cookie and header just before the response commits (its
 * first body byte, a flush, an error or a redirect), or at the end of the request. Reading the position that
 * late means it includes the request's own transaction, which has committed by the time the body is written.
 */
final class TxidCookieResponse extends HttpServletResponseWrapper {
  private final Supplier<@Nullable String> token;
  private final String cookieName;
  private final String headerName;
  private final long cookieMaxAgeSeconds;
  private boolean done;
  private @Nullable ServletOutputStream out;
  private @Nullable PrintWriter writer;

  TxidCookieResponse(HttpServletResponse response, Supplier<@Nullable String> token, String cookieName,
      String headerName, long cookieMaxAgeSeconds) {
    super(response);
    this.token = token;
    this.cookieName = cookieName;
    this.headerName = headerName;
    this.cookieMaxAgeSeconds = cookieMaxAgeSeconds;
  }

  /** Adds the cookie if the request wrote and the response is not committed yet; once. */
  void beforeCommit() {
    if (done) {
      return;
    }
    done = true;
    if (isCommitted()) {
      return;
    }
    String t = token.get();
    if (t != null) {
      // The token is hex digits and dots only (TxidText), safe in a cookie and a header.
      addHeader("Set-Cookie", cookieName + "=" + t + "; Path=/; Max-Age=" + cookieMaxAgeSeconds
          + "; HttpOnly; SameSite=Lax");
      setHeader(headerName, t);
    }
  }

  @Override
  public ServletOutputStream getOutputStream() throws IOException {
    if (out == null) {
      out = new CommitAwareStream(super.getOutputStream());
    }
    return out;
  }

  @Override
  public PrintWriter getWriter() throws IOException {
    if (writer == null) {
      writer = new PrintWriter(new CommitAwareWriter(super.getWriter()));
    }
    return writer;
  }

  @Override
  public void flushBuffer() throws IOException {
    beforeCommit();
    super.flushBuffer();
  }

  @Override
  public void sendError(int sc) throws IOException {
    beforeCommit();
    super.sendError(sc);
  }

  @Override
  public void sendError(int sc, String msg) throws IOException {
    beforeCommit();
    super.sendError(sc, msg);
  }

  @Override
  public void sendRedirect(String location) throws IOException {
    beforeCommit();
    super.sendRedirect(location);
  }

  @Override
  public void sendRedirect(String location, int sc, boolean clearBuffer) throws IOException {
    beforeCommit();
    super.sendRedirect(location, sc, clearBuffer);
  }

  private final class CommitAwareStream extends ServletOutputStream {
    private final ServletOutputStream delegate;

    CommitAwareStream(ServletOutputStream delegate) {
      this.delegate = delegate;
    }

    @Override
    public void write(int b) throws IOException {
      beforeCommit();
      delegate.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      beforeCommit();
      delegate.write(b, off, len);
    }

    @Override
    public void flush() throws IOException {
      beforeCommit();
      delegate.flush();
    }

    @Override
    public void close() throws IOException {
      beforeCommit();
      delegate.close();
    }

    @Override
    public boolean isReady() {
      return delegate.isReady();
    }

    @Override
    public void setWriteListener(WriteListener listener) {
      delegate.setWriteListener(listener);
    }
  }

  private final class CommitAwareWriter extends Writer {
    private final PrintWriter delegate;

    CommitAwareWriter(PrintWriter delegate) {
      this.delegate = delegate;
    }

    @Override
    public void write(char[] cbuf, int off, int len) {
      beforeCommit();
      delegate.write(cbuf, off, len);
    }

    @Override
    public void write(String str, int off, int len) {
      beforeCommit();
      delegate.write(str, off, len);
    }

    @Override
    public void flush() {
      beforeCommit();
      delegate.flush();
    }

    @Override
    public void close() {
      beforeCommit();
      delegate.close();
    }
  }
}
