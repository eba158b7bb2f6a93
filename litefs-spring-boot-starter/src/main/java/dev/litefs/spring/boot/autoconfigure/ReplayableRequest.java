package dev.litefs.spring.boot.autoconfigure;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.SequenceInputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * A replica's request in forward mode: keeps a copy of the body bytes that the handler reads (up to a limit),
 * so that the request can still be forwarded to the primary after its handler found out, midway, that it
 * needs the primary. The forwarded body is the copy followed by whatever was not read yet.
 */
final class ReplayableRequest extends HttpServletRequestWrapper {
  private final int limit;
  private final ByteArrayOutputStream copy = new ByteArrayOutputStream();
  private boolean overflow;
  private @Nullable ServletInputStream raw;
  private @Nullable TeeInputStream tee;
  private @Nullable BufferedReader reader;

  ReplayableRequest(HttpServletRequest request, int limit) {
    super(request);
    this.limit = limit;
  }

  @Override
  public ServletInputStream getInputStream() throws IOException {
    if (tee == null) {
      raw = super.getInputStream();
      tee = new TeeInputStream(raw);
    }
    return tee;
  }

  @Override
  public BufferedReader getReader() throws IOException {
    if (reader == null) {
      String enc = getCharacterEncoding();
      Charset cs = enc == null ? StandardCharsets.ISO_8859_1 : Charset.forName(enc);
      reader = new BufferedReader(new InputStreamReader(getInputStream(), cs));
    }
    return reader;
  }

  /**
   * Returns the whole body for forwarding.
   *
   * @throws IOException when the handler read more than the limit, so the start of the body is lost
   */
  InputStream bodyForForwarding() throws IOException {
    if (overflow) {
      throw new IOException("the request body read before forwarding exceeded litefs.replay.max-forward-body-size");
    }
    if (tee == null) {
      return super.getInputStream();
    }
    return new SequenceInputStream(new ByteArrayInputStream(copy.toByteArray()), raw);
  }

  private final class TeeInputStream extends ServletInputStream {
    private final ServletInputStream in;

    TeeInputStream(ServletInputStream in) {
      this.in = in;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0) {
        keep(new byte[] {(byte) b}, 0, 1);
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = in.read(b, off, len);
      if (n > 0) {
        keep(b, off, n);
      }
      return n;
    }

    private void keep(byte[] b, int off, int n) {
      if (overflow) {
        return;
      }
      if (copy.size() + n > limit) {
        overflow = true;
        return;
      }
      copy.write(b, off, n);
    }

    @Override
    public boolean isFinished() {
      return in.isFinished();
    }

    @Override
    public boolean isReady() {
      return in.isReady();
    }

    @Override
    public void setReadListener(ReadListener listener) {
      in.setReadListener(listener);
    }
  }
}
