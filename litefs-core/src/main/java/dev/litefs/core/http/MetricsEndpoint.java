package dev.litefs.core.http;

import dev.litefs.core.node.Node;
import dev.litefs.core.node.NodeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** {@code GET /metrics}: the node's meters in Prometheus's text format. */
final class MetricsEndpoint {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  MetricsEndpoint(Node node) {
    NodeMetrics.bind(registry, node);
  }

  void handle(Response response, Callback callback) {
    ApiResponses.text(response, callback, "text/plain; version=0.0.4; charset=utf-8", registry.scrape());
  }
}
