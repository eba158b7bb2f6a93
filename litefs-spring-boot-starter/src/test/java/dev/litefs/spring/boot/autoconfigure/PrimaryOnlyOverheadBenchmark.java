package dev.litefs.spring.boot.autoconfigure;

import dev.litefs.spring.PrimaryOnly;
import jakarta.servlet.FilterChain;
import java.util.Arrays;
import java.util.List;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.method.HandlerMethod;

/**
 * Per-request cost of the starter's web layer on the primary: the read-your-writes filter plus the
 * {@code @PrimaryOnly} interceptor, against the same mock request handled without them. Not a unit test:
 * a main method, run by hand on a quiet machine.
 *
 * <pre>
 * mvn -q -B -pl litefs-spring-boot-starter -am test-compile dependency:build-classpath \
 *     -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * cd litefs-spring-boot-starter
 * java -cp "$(cat target/cp.txt):target/classes:target/test-classes" \
 *     dev.litefs.spring.boot.autoconfigure.PrimaryOnlyOverheadBenchmark
 * </pre>
 *
 * <p>Three cases, each the median of several rounds: a GET to an unannotated handler (the common case: the
 * filter wraps the response and finds nothing to do), a POST to a {@code @PrimaryOnly} handler (the interceptor
 * checks the role, and the response gets the TXID cookie, which reads the {@code -pos} file of each database),
 * and the baseline without the starter.
 */
public final class PrimaryOnlyOverheadBenchmark {
  private static final int WARMUP = 300_000;
  private static final int ITERATIONS = 1_000_000;
  private static final int ROUNDS = 7;

  static volatile Object sink;

  public static void main(String[] args) throws Exception {
    try (FakeLiteFs mount = FakeLiteFs.primary()) {
      mount.commit("app.db", 42);
      LiteFsProperties properties = new LiteFsProperties();
      properties.setDatabases(List.of("app.db"));
      properties.getSidecar().setEventsUrl(mount.eventsUrl());
      SidecarLiteFs liteFs = new SidecarLiteFs("node1", properties.getDatabases(), properties.getSidecar(),
          new MountFiles(mount.dir()), new RolePublisher(new GenericApplicationContext()));
      liteFs.afterPropertiesSet();
      PrimaryRouter router = new PrimaryRouter(liteFs, properties.getReplay(), LiteFsProperties.ReplayMode.FLY, null);
      LiteFsRequestFilter filter = new LiteFsRequestFilter(liteFs, router, properties);
      PrimaryOnlyHandlerInterceptor interceptor = new PrimaryOnlyHandlerInterceptor(liteFs, router);
      Handlers handlers = new Handlers();
      HandlerMethod read = new HandlerMethod(handlers, Handlers.class.getMethod("read"));
      HandlerMethod write = new HandlerMethod(handlers, Handlers.class.getMethod("write"));

      double base = measure("baseline GET, no filter", () -> {
        MockHttpServletRequest req = new MockHttpServletRequest("GET", "/items/1");
        MockHttpServletResponse res = new MockHttpServletResponse();
        handle(req, res);
        return res;
      });
      double get = measure("GET, filter + interceptor", () -> {
        MockHttpServletRequest req = new MockHttpServletRequest("GET", "/items/1");
        MockHttpServletResponse res = new MockHttpServletResponse();
        filter.doFilter(req, res, chain(interceptor, read));
        return res;
      });
      double post = measure("POST @PrimaryOnly, filter + interceptor + cookie", () -> {
        MockHttpServletRequest req = new MockHttpServletRequest("POST", "/items");
        MockHttpServletResponse res = new MockHttpServletResponse();
        filter.doFilter(req, res, chain(interceptor, write));
        if (res.getHeader("Set-Cookie") == null) {
          throw new IllegalStateException("no cookie on a write");
        }
        return res;
      });
      System.out.printf("%nOverhead on the primary: GET %.2f us/request (x%.2f), POST @PrimaryOnly %.2f us/request "
          + "(x%.2f)%n", get - base, get / base, post - base, post / base);
      liteFs.destroy();
    }
  }

  private static FilterChain chain(PrimaryOnlyHandlerInterceptor interceptor, HandlerMethod handler) {
    return (req, res) -> {
      try {
        if (interceptor.preHandle((MockHttpServletRequest) req,
            (jakarta.servlet.http.HttpServletResponse) res, handler)) {
          handle((jakarta.servlet.http.HttpServletRequest) req, (jakarta.servlet.http.HttpServletResponse) res);
        }
      } catch (java.io.IOException | jakarta.servlet.ServletException e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    };
  }

  private static void handle(jakarta.servlet.http.HttpServletRequest req, jakarta.servlet.http.HttpServletResponse res)
      throws java.io.IOException {
    res.setContentType("text/plain");
    res.getOutputStream().write(OK);
  }

  private static final byte[] OK = "ok".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  interface Request {
    Object run() throws Exception;
  }

  private static double measure(String name, Request request) throws Exception {
    for (int i = 0; i < WARMUP; i++) {
      sink = request.run();
    }
    double[] rounds = new double[ROUNDS];
    for (int r = 0; r < ROUNDS; r++) {
      long t0 = System.nanoTime();
      for (int i = 0; i < ITERATIONS; i++) {
        sink = request.run();
      }
      rounds[r] = (System.nanoTime() - t0) / 1000.0 / ITERATIONS;
    }
    Arrays.sort(rounds);
    double median = rounds[ROUNDS / 2];
    System.out.printf("%-50s %8.3f us/request (min %.3f, max %.3f)%n", name, median, rounds[0], rounds[ROUNDS - 1]);
    return median;
  }

  /** The handlers the benchmark "calls". */
  public static final class Handlers {
    public String read() {
      return "ok";
    }

    @PrimaryOnly
    public String write() {
      return "ok";
    }
  }
}
