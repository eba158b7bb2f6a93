package dev.litefs.spring.boot.autoconfigure;

import dev.litefs.spring.LiteFs;
import dev.litefs.spring.PrimaryOnly;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Serves {@link PrimaryOnly} on MVC handlers: on a replica the handler does not run and the request goes to
 * the primary; on the primary the request is marked as a write, for the read-your-writes cookie.
 */
final class PrimaryOnlyHandlerInterceptor implements HandlerInterceptor {
  private final LiteFs liteFs;
  private final PrimaryRouter router;
  private final Map<Method, Boolean> primaryOnly = new ConcurrentHashMap<>();

  PrimaryOnlyHandlerInterceptor(LiteFs liteFs, PrimaryRouter router) {
    this.liteFs = liteFs;
    this.router = router;
  }

  @Override
  public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
      throws Exception {
    if (!(handler instanceof HandlerMethod method) || !isPrimaryOnly(method)) {
      return true;
    }
    if (liteFs.isPrimary()) {
      RequestWriteMarker.markWrite();
      return true;
    }
    router.route(request, response, PrimaryRouter.PRIMARY_ONLY);
    return false;
  }

  private boolean isPrimaryOnly(HandlerMethod handler) {
    return primaryOnly.computeIfAbsent(handler.getMethod(),
        m -> AnnotatedElementUtils.hasAnnotation(m, PrimaryOnly.class)
            || AnnotatedElementUtils.hasAnnotation(handler.getBeanType(), PrimaryOnly.class));
  }
}
