package vn.lantern.gateway;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.lantern.common.metrics.EventLoopProbes;
import vn.lantern.common.metrics.ProcessMeters;
import vn.lantern.gateway.config.GatewayConfig;
import vn.lantern.gateway.export.FtpDelivery;
import vn.lantern.gateway.export.RegulatoryExporter;
import vn.lantern.gateway.health.HealthApi;
import vn.lantern.gateway.lan.LanMqttListener;
import vn.lantern.gateway.modbus.ModbusPoller;
import vn.lantern.gateway.store.NewReading;
import vn.lantern.gateway.store.ReadingQueue;
import vn.lantern.gateway.uplink.Uplink;

/**
 * The edge gateway assembled: collectors (Modbus pollers, LAN MQTT listener) append to the durable
 * queue, the uplink drains it to the ingest node, the exporter writes regulatory files, and an HTTP
 * server answers {@code /health} and {@code /metrics}.
 */
public final class Gateway implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

  private final Vertx vertx;
  private final ReadingQueue queue;
  private final Uplink uplink;
  private final List<ModbusPoller> pollers;
  private final LanMqttListener lan;
  private final HttpServer http;
  private final int lanPort;
  private final long exportTimer;

  private Gateway(
      Vertx vertx,
      ReadingQueue queue,
      Uplink uplink,
      List<ModbusPoller> pollers,
      LanMqttListener lan,
      int lanPort,
      HttpServer http,
      long exportTimer) {
    this.vertx = vertx;
    this.queue = queue;
    this.uplink = uplink;
    this.pollers = pollers;
    this.lan = lan;
    this.lanPort = lanPort;
    this.http = http;
    this.exportTimer = exportTimer;
  }

  /** Starts a gateway; blocks until it listens. Call from a thread that is not an event loop. */
  public static Gateway start(GatewayConfig config) throws Exception {
    return start(config, readings -> {});
  }

  /**
   * Starts a gateway that also tells {@code collected} about every batch of readings once it is
   * durably queued (a seam for embedding and tests).
   */
  public static Gateway start(GatewayConfig config, Consumer<List<NewReading>> collected)
      throws Exception {
    if (config.id().isBlank() || config.secret().isBlank()) {
      throw new IllegalArgumentException("the gateway needs id and secret (its registry entry)");
    }
    PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    ProcessMeters.bindTo(metrics);
    ReadingQueue queue =
        ReadingQueue.open(
            Path.of(config.dataDir()),
            config.queue().maxBytes(),
            config.queue().maxRows(),
            config.queue().maxRejectedRows(),
            metrics);
    VertxOptions options = new VertxOptions().setPreferNativeTransport(true);
    Vertx vertx = Vertx.vertx(options);
    EventLoopProbes.start(vertx, metrics, options.getEventLoopPoolSize())
        .onFailure(e -> LOG.warn("event=event_loop_meters_failed error=\"{}\"", e.toString()));
    try {
      Uplink uplink = new Uplink(config, queue, metrics);
      FtpDelivery delivery =
          config.export().enabled() ? new FtpDelivery(config.export(), metrics) : null;
      RegulatoryExporter exporter =
          config.export().enabled() ? new RegulatoryExporter(config.export(), metrics) : null;
      Consumer<List<NewReading>> sink =
          readings -> {
            queue.append(readings);
            uplink.wake();
            // Stored is stored: what follows must not make a collector report a failure.
            try {
              collected.accept(readings);
              if (exporter != null) {
                exporter.accept(readings);
              }
            } catch (RuntimeException e) {
              LOG.warn("event=after_store_failed error=\"{}\"", e.getMessage());
            }
          };
      List<ModbusPoller> pollers = new ArrayList<>();
      for (GatewayConfig.ModbusDevice device : config.modbus()) {
        pollers.add(new ModbusPoller(device, sink, metrics));
      }
      LanMqttListener lan = null;
      int lanPort = -1;
      if (config.lan().enabled()) {
        lan = new LanMqttListener(vertx, config.lan(), sink, metrics);
        lanPort = await(lan.start());
      }
      Router router = Router.router(vertx);
      HealthApi health = new HealthApi(queue, uplink, pollers, metrics);
      health.mount(router);
      HttpServer http =
          await(
              vertx
                  .createHttpServer(
                      new HttpServerOptions()
                          .setHost(config.http().host())
                          .setPort(config.http().port())
                          // HTTP/1.1 only, as the nodes' (IngestConfig.Http#serverOptions).
                          .setHttp2ClearTextEnabled(false))
                  .requestHandler(router)
                  .listen());
      long exportTimer =
          exporter == null
              ? -1
              : vertx.setPeriodic(
                  10_000,
                  id ->
                      vertx.executeBlocking(
                          () -> {
                            long now = System.currentTimeMillis();
                            exporter.flushDue(now);
                            // Pushes new files, retries after the backoff, drops expired ones.
                            delivery.deliverPending(now);
                            delivery.prune(now);
                            return null;
                          }));
      uplink.start();
      pollers.forEach(ModbusPoller::start);
      Gateway gateway = new Gateway(vertx, queue, uplink, pollers, lan, lanPort, http, exportTimer);
      LOG.info(
          "event=gateway_started id={} http_port={} lan_port={} modbus_devices={} uplink={}"
              + " queue_depth={}",
          config.id(),
          http.actualPort(),
          lanPort,
          pollers.size(),
          config.uplink().url(),
          queue.depth());
      return gateway;
    } catch (Exception | Error e) {
      vertx.close();
      queue.close();
      throw e;
    }
  }

  public int httpPort() {
    return http.actualPort();
  }

  /** The LAN MQTT port, or -1 when the listener is off. */
  public int lanPort() {
    return lanPort;
  }

  public ReadingQueue queue() {
    return queue;
  }

  public Uplink uplink() {
    return uplink;
  }

  /** Stops collecting, then the uplink, then closes the queue. Unsent readings stay on disk. */
  @Override
  public void close() {
    pollers.forEach(ModbusPoller::close);
    if (exportTimer >= 0) {
      vertx.cancelTimer(exportTimer);
    }
    try {
      if (lan != null) {
        await(lan.stop());
      }
      await(http.close());
    } catch (Exception e) {
      LOG.warn("event=gateway_stop_incomplete error=\"{}\"", e.getMessage());
    }
    uplink.close();
    try {
      await(vertx.close());
    } catch (Exception e) {
      LOG.warn("event=vertx_close_failed error=\"{}\"", e.getMessage());
    }
    queue.close();
    LOG.info("event=gateway_stopped");
  }

  private static <T> T await(Future<T> future) throws Exception {
    try {
      return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }
}
