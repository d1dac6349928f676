package vn.lantern.gateway;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import vn.lantern.common.config.ConfigLoader;
import vn.lantern.ingest.IngestConfig;
import vn.lantern.ingest.IngestNode;

/**
 * A real ingest node in the test JVM, assembled like the standalone node (Vert.x, Router with
 * BodyHandler, {@link IngestNode#start}, an HTTP server), every listener on 127.0.0.1 and a free
 * port unless an MQTT port is given (to bring a node back on the port a gateway knows).
 */
final class TestNode implements AutoCloseable {
  private static final int TEST_PBKDF2_ITERATIONS = 1000;

  private final Vertx vertx;
  private final IngestNode node;
  private final HttpServer http;

  private TestNode(Vertx vertx, IngestNode node, HttpServer http) {
    this.vertx = vertx;
    this.node = node;
    this.http = http;
  }

  static TestNode start(Path dataDir, String influxUrl, String database, int mqttPort) {
    IngestConfig config = config(dataDir, influxUrl, database, mqttPort);
    Vertx vertx = Vertx.vertx();
    Router router = Router.router(vertx);
    router.route().handler(BodyHandler.create());
    try {
      IngestNode node =
          await(
              IngestNode.start(
                  vertx, config, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), router));
      HttpServer http =
          await(
              vertx
                  .createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
                  .requestHandler(router)
                  .listen());
      return new TestNode(vertx, node, http);
    } catch (RuntimeException | Error e) {
      vertx.close();
      throw e;
    }
  }

  private static IngestConfig config(Path dataDir, String influxUrl, String database, int mqtt) {
    StringBuilder yaml = new StringBuilder();
    yaml.append("dataDir: '").append(dataDir.toAbsolutePath()).append("'\n");
    // Every listener (found by shape, so endpoints added later are covered) on a free port.
    for (RecordComponent section : IngestConfig.class.getRecordComponents()) {
      List<String> keys =
          section.getType().isRecord()
              ? List.of(section.getType().getRecordComponents()).stream()
                  .map(RecordComponent::getName)
                  .toList()
              : List.of();
      if (keys.contains("host") && keys.contains("port")) {
        int port = section.getName().equals("mqtt") ? mqtt : 0;
        yaml.append(section.getName())
            .append(": {host: 127.0.0.1, port: ")
            .append(port)
            .append("}\n");
      }
    }
    yaml.append("influx: {url: '")
        .append(influxUrl)
        .append("', database: '")
        .append(database)
        .append("', flushIntervalMs: 5, maxRetryDelayMs: 500}\n");
    yaml.append("registry: {pbkdf2Iterations: ").append(TEST_PBKDF2_ITERATIONS).append("}\n");
    try {
      Path file = Files.createTempFile("lantern-gateway-node", ".yaml");
      try {
        Files.writeString(file, yaml);
        return ConfigLoader.load(
            IngestConfig.class, IngestConfig.defaults(), file, Map.of(), IngestConfig.ENV);
      } finally {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  int mqttPort() {
    return node.mqttPort();
  }

  int coapsPort() {
    return node.coapsPort();
  }

  String mqttUrl() {
    return "tcp://127.0.0.1:" + mqttPort();
  }

  /** Registers a zone, the gateway (with its secret) and devices behind it, via the HTTP API. */
  void registerGateway(String zone, String gatewayId, String secret, Map<String, String> devices) {
    registerGateway(zone, gatewayId, secret, null, devices);
  }

  /** The same, with a DTLS pre-shared key for the gateway when {@code psk} is not null. */
  void registerGateway(
      String zone, String gatewayId, String secret, String psk, Map<String, String> devices) {
    JsonObject gateway =
        new JsonObject()
            .put("id", gatewayId)
            .put("type", "gateway")
            .put("zone", zone)
            .put("site", "cabinet 1")
            .put("secret", secret);
    if (psk != null) {
      gateway.put("psk", psk);
    }
    post(
        "/api/v1/zones",
        new JsonObject().put("id", zone).put("name", "Test park").put("kind", "industrial-park"));
    post("/api/v1/devices", gateway);
    devices.forEach(
        (id, type) ->
            post(
                "/api/v1/devices",
                new JsonObject()
                    .put("id", id)
                    .put("type", type)
                    .put("zone", zone)
                    .put("site", "station 1")
                    .put("gateway", gatewayId)));
  }

  private void post(String path, JsonObject body) {
    try {
      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.actualPort() + path))
                      .header("content-type", "application/json")
                      .POST(HttpRequest.BodyPublishers.ofString(body.encode()))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertTrue(response.statusCode() == 201, () -> path + " " + body + ": " + response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    try {
      await(http.close().eventually(() -> node.stop(vertx)));
    } finally {
      await(vertx.close());
    }
  }

  static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("timed out", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
