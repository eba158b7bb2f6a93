package dev.litefs.sample.web;

import dev.litefs.spring.LiteFs;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.regex.Pattern;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Adds {@code X-Node: <this node's hostname>} to every response, so a user (and a test) sees which node
 * answered. First in the chain, before the starter's filter, so that replays, forwards and errors carry it too.
 * A forwarded answer carries the primary's {@code X-Node} instead, since the primary answered it.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class NodeHeaderFilter extends OncePerRequestFilter {

  static final String HEADER = "X-Node";

  private static final Pattern HOSTNAME = Pattern.compile("[A-Za-z0-9._-]{1,253}");

  private final String node;

  NodeHeaderFilter(LiteFs liteFs) {
    String hostname = liteFs.hostname();
    // The starter only hands out checked hostnames; a LiteFs bean of the application's own might not.
    if (!HOSTNAME.matcher(hostname).matches()) {
      throw new IllegalStateException("This node's hostname cannot go into the X-Node header: use only ASCII "
          + "letters, digits, '.', '_' and '-' (set litefs.hostname)");
    }
    this.node = hostname;
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    response.setHeader(HEADER, node);
    chain.doFilter(request, response);
  }
}
