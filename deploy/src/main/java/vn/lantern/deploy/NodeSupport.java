package vn.lantern.deploy;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.lantern.auth.ApiGuard;
import vn.lantern.auth.Authenticator;
import vn.lantern.common.http.CorsPolicy;
import vn.lantern.common.http.SecurityHeaders;
import vn.lantern.common.metrics.EventLoopProbes;
import vn.lantern.common.metrics.ProcessMeters;
import vn.lantern.ingest.IngestConfig;

/** What every role node (standalone, ingest, rules) is assembled from. */
final class NodeSupport {
  private static final Logger LOG = LoggerFactory.getLogger(NodeSupport.class);

  private NodeSupport() {}

  /**
   * The Vert.x instance of a node of any role, measuring its worker pools, HTTP and TCP servers
   * into the node's registry (the {@code vertx_*} meters on {@code /metrics}), and the scheduling
   * delay of each of its event loops ({@link EventLoopProbes}). Event-bus meters stay off: the bus
   * carries every reading, and the telemetry meters already count them.
   */
  static Vertx newVertx(MeterRegistry metrics) {
    MicrometerMetricsOptions measured = new MicrometerMetricsOptions().setEnabled(true);
    measured.addDisabledMetricsCategory(MetricsDomain.EVENT_BUS);
    VertxOptions options =
        new VertxOptions().setPreferNativeTransport(true).setMetricsOptions(measured);
    Vertx vertx =
        Vertx.builder().with(options).withMetrics(new MicrometerMetricsFactory(metrics)).build();
    EventLoopProbes.start(vertx, metrics, options.getEventLoopPoolSize())
        .onFailure(e -> LOG.warn("event=event_loop_meters_failed error=\"{}\"", e.toString()));
    return vertx;
  }

  /**
   * A node's router: the browser security headers on every response, CORS for the configured
   * origins only, a bounded body handler, Prometheus metrics at {@code /metrics} (with the JVM,
   * process and build-info meters) and the one API guard, mounted before any module's routes.
   *
   * @param http the node's HTTP settings (its CORS origins)
   * @param authenticator completes with who may call the API once the module that knows exists
   */
  static Router baseRouter(
      Vertx vertx,
      PrometheusMeterRegistry metrics,
      IngestConfig.Http http,
      Future<Authenticator> authenticator) {
    ProcessMeters.bindTo(metrics);
    Router router = Router.router(vertx);
    SecurityHeaders.mount(router);
    CorsPolicy.mount(router, http.corsOrigins());
    router.route().handler(BodyHandler.create().setBodyLimit(1024 * 1024));
    ApiGuard.mount(router, authenticator, metrics);
    router
        .get("/metrics")
        .handler(
            ctx ->
                ctx.response()
                    .putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
                    .end(metrics.scrape()));
    return router;
  }

  /** Waits for {@code future} from a thread that is not an event loop. */
  static <T> T await(Future<T> future, Duration timeout) throws Exception {
    return future
        .toCompletionStage()
        .toCompletableFuture()
        .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }
}
