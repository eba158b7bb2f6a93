package dev.litefs.spring.boot.autoconfigure;

import dev.litefs.spring.NotPrimaryException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.ModelAndView;

/**
 * Turns a {@link NotPrimaryException} thrown by a handler ({@code requirePrimary()}, a {@code @PrimaryOnly}
 * service) into a replay on the primary, as long as the response is not committed yet.
 */
final class NotPrimaryExceptionResolver implements HandlerExceptionResolver, Ordered {
  private static final Logger log = LoggerFactory.getLogger(NotPrimaryExceptionResolver.class);

  private final PrimaryRouter router;

  NotPrimaryExceptionResolver(PrimaryRouter router) {
    this.router = router;
  }

  @Override
  public @Nullable ModelAndView resolveException(HttpServletRequest request, HttpServletResponse response,
      @Nullable Object handler, Exception ex) {
    NotPrimaryException notPrimary = find(ex);
    if (notPrimary == null) {
      return null;
    }
    if (response.isCommitted()) {
      log.warn("{} {} needed the primary after its response was committed; it cannot be replayed",
          request.getMethod(), request.getRequestURI());
      return null;
    }
    try {
      router.route(request, response, PrimaryRouter.REQUIRE_PRIMARY);
    } catch (IOException e) {
      log.debug("Could not send {} {} to the primary", request.getMethod(), request.getRequestURI(), e);
    }
    return new ModelAndView();
  }

  private static @Nullable NotPrimaryException find(Throwable ex) {
    for (Throwable t = ex; t != null; t = t.getCause()) {
      if (t instanceof NotPrimaryException n) {
        return n;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return null;
  }

  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE;
  }
}
