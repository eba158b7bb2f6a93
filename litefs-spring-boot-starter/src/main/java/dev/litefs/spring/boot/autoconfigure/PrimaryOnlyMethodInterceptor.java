package dev.litefs.spring.boot.autoconfigure;

import dev.litefs.spring.LiteFs;
import dev.litefs.spring.NotPrimaryException;
import java.lang.reflect.Method;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Serves {@link dev.litefs.spring.PrimaryOnly} on bean methods. On the primary the call proceeds (and marks a
 * current web request as a write). On a replica, a {@code void} method called outside a web request (a
 * scheduled job) is skipped; anything else throws {@link NotPrimaryException}, which a web request turns into
 * a replay on the primary.
 */
final class PrimaryOnlyMethodInterceptor implements MethodInterceptor {
  private static final Logger log = LoggerFactory.getLogger(PrimaryOnlyMethodInterceptor.class);

  private final ObjectProvider<LiteFs> liteFsProvider;
  private volatile @Nullable LiteFs liteFs;

  PrimaryOnlyMethodInterceptor(ObjectProvider<LiteFs> liteFsProvider) {
    this.liteFsProvider = liteFsProvider;
  }

  @Override
  public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
    LiteFs fs = liteFs();
    boolean inRequest = RequestWriteMarker.inRequest();
    // Web requests follow the role at once; background work also waits for a promotion's migrations.
    boolean allowed = inRequest || !(fs instanceof AbstractLiteFs node) ? fs.isPrimary() : node.primaryWorkAllowed();
    if (allowed) {
      RequestWriteMarker.markWrite();
      return invocation.proceed();
    }
    Method method = invocation.getMethod();
    if (!inRequest && method.getReturnType() == void.class) {
      log.debug("Skipping @PrimaryOnly {}.{}: this node is not the primary", method.getDeclaringClass().getSimpleName(),
          method.getName());
      return null;
    }
    throw new NotPrimaryException("@PrimaryOnly " + method.getDeclaringClass().getSimpleName() + "."
        + method.getName() + " needs the primary; this node (" + fs.hostname() + ") is a replica",
        fs.primaryHostname().orElse(null));
  }

  private LiteFs liteFs() {
    LiteFs fs = liteFs;
    if (fs == null) {
      fs = liteFsProvider.getObject();
      liteFs = fs;
    }
    return fs;
  }
}
