package dev.litefs.spring.boot.autoconfigure;

import dev.litefs.core.ltx.Txid;
import dev.litefs.spring.LiteFs;
import dev.litefs.spring.LiteFsMode;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Read-your-writes across nodes, as LiteFS's proxy does it, for several databases:
 *
 * <ul>
 *   <li>On the primary, a response to a write (any method but GET, HEAD, OPTIONS and TRACE, or a request that
 *       passed {@code @PrimaryOnly} or {@code requirePrimary()}) carries the databases' TXIDs in a cookie and a
 *       header.
 *   <li>On a replica, a request carrying TXIDs ahead of this node waits for replication, up to
 *       {@code litefs.consistency.max-wait}, and is then sent to the primary instead of failing.
 * </ul>
 *
 * <p>A malformed or foreign token is ignored (logged at debug, quoted); it is never echoed.
 */
final class LiteFsRequestFilter extends OncePerRequestFilter {
  private static final Logger log = LoggerFactory.getLogger(LiteFsRequestFilter.class);

  private final LiteFs liteFs;
  private final PrimaryRouter router;
  private final LiteFsProperties.Consistency consistency;
  private final boolean tracking;
  private final long cookieMaxAgeSeconds;
  private final int maxForwardBody;

  LiteFsRequestFilter(LiteFs liteFs, PrimaryRouter router, LiteFsProperties properties) {
    this.liteFs = liteFs;
    this.router = router;
    this.consistency = properties.getConsistency();
    // Dev mode has no replication, so there is nothing to wait for and no TXID worth a cookie.
    this.tracking = consistency.isEnabled() && !liteFs.databases().isEmpty() && liteFs.mode() != LiteFsMode.DEV;
    this.cookieMaxAgeSeconds = consistency.getCookieMaxAge().toSeconds();
    this.maxForwardBody = (int) Math.min(Integer.MAX_VALUE, properties.getReplay().getMaxForwardBodySize().toBytes());
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    boolean[] wrote = RequestWriteMarker.begin();
    try {
      if (liteFs.isPrimary()) {
        if (!tracking) {
          chain.doFilter(request, response);
          return;
        }
        TxidCookieResponse wrapped = new TxidCookieResponse(response, () -> tokenIfWrote(request, wrote),
            consistency.getCookieName(), consistency.getHeaderName(), cookieMaxAgeSeconds);
        chain.doFilter(request, wrapped);
        wrapped.beforeCommit();
        return;
      }
      if (tracking && !caughtUp(request)) {
        router.route(request, response, PrimaryRouter.TXID_TIMEOUT);
        return;
      }
      HttpServletRequest next = router.mode() == LiteFsProperties.ReplayMode.FORWARD
          ? new ReplayableRequest(request, maxForwardBody) : request;
      chain.doFilter(next, response);
    } finally {
      RequestWriteMarker.end();
    }
  }

  private @Nullable String tokenIfWrote(HttpServletRequest request, boolean[] wrote) {
    if (!wrote[0] && isSafe(request.getMethod())) {
      return null;
    }
    List<Txid> txids = new ArrayList<>(liteFs.databases().size());
    for (String db : liteFs.databases()) {
      txids.add(liteFs.position(db).txid());
    }
    return TxidText.formatToken(txids);
  }

  private static boolean isSafe(String method) {
    return method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS") || method.equals("TRACE");
  }

  /** Returns {@code true} unless the request names TXIDs this replica did not reach within the wait. */
  private boolean caughtUp(HttpServletRequest request) {
    String token = request.getHeader(consistency.getHeaderName());
    if (token == null) {
      token = cookie(request);
    }
    if (token == null) {
      return true;
    }
    List<String> dbs = liteFs.databases();
    List<Txid> required = TxidText.parseToken(token, dbs.size());
    if (required == null) {
      log.debug("Ignoring a malformed read-your-writes token {}", Hostnames.quote(token));
      return true;
    }
    long deadline = System.nanoTime() + consistency.getMaxWait().toNanos();
    try {
      for (int i = 0; i < dbs.size(); i++) {
        Txid txid = required.get(i);
        if (txid.isZero()) {
          continue;
        }
        Duration remaining = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
        if (!liteFs.awaitPosition(dbs.get(i), txid, remaining)) {
          log.debug("Replica did not reach TXID {} of {} within {}", txid, dbs.get(i), consistency.getMaxWait());
          return false;
        }
      }
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private @Nullable String cookie(HttpServletRequest request) {
    Cookie[] cookies = request.getCookies();
    if (cookies == null) {
      return null;
    }
    for (Cookie c : cookies) {
      if (consistency.getCookieName().equals(c.getName())) {
        return c.getValue();
      }
    }
    return null;
  }
}
