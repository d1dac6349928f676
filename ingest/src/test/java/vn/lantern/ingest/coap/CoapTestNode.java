package vn.lantern.ingest.coap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import vn.lantern.ingest.IngestConfig;
import vn.lantern.ingest.IngestNode;
import vn.lantern.ingest.store.InfluxSettings;

/**
 * A real ingest node for CoAP tests: every listener on a free port of 127.0.0.1, plain UDP enabled,
 * the given InfluxDB, quick write retries and cheap PBKDF2.
 */
final class CoapTestNode implements AutoCloseable {
  private static final int PBKDF2_ITERATIONS = 1000;

  final Vertx vertx;
  final IngestNode node;
  final SimpleMeterRegistry metrics;

  private CoapTestNode(Vertx vertx, IngestNode node, SimpleMeterRegistry metrics) {
    this.vertx = vertx;
    this.node = node;
    this.metrics = metrics;
  }

  static CoapTestNode start(Path dataDir, String influxUrl, String database, int deadlineMs) {
    IngestConfig defaults = IngestConfig.defaults();
    IngestConfig config =
        new IngestConfig(
            dataDir.toString(),
            new IngestConfig.Http("127.0.0.1", 0),
            new IngestConfig.Mqtt("127.0.0.1", 0),
            new InfluxSettings(influxUrl, database, "", "", 5000, 5, 200_000, 500, "auto"),
            defaults.limits(),
            new IngestConfig.Registry(PBKDF2_ITERATIONS, ""),
            new IngestConfig.Coap("127.0.0.1", 0, true, deadlineMs),
            new IngestConfig.Coaps("127.0.0.1", 0));
    Vertx vertx = Vertx.vertx();
    SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    try {
      IngestNode node = await(IngestNode.start(vertx, config, metrics, Router.router(vertx)));
      return new CoapTestNode(vertx, node, metrics);
    } catch (RuntimeException | Error e) {
      vertx.close();
      throw e;
    }
  }

  void register(JsonObject device) {
    await(node.registry().putDevice(device));
  }

  /** CoAP messages counted with this outcome so far. */
  double messages(String outcome) {
    Counter counter =
        metrics
            .find("lantern_ingest_messages")
            .tags("protocol", "coap", "outcome", outcome)
            .counter();
    return counter == null ? 0 : counter.count();
  }

  String coapsUri(String path) {
    return "coaps://127.0.0.1:" + node.coapsPort() + path;
  }

  String coapUri(String pathAndQuery) {
    return "coap://127.0.0.1:" + node.coapPort() + pathAndQuery;
  }

  @Override
  public void close() {
    try {
      await(node.stop(vertx));
    } finally {
      await(vertx.close());
    }
  }

  static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("timed out", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
