package vn.lantern.sim.testing;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import vn.lantern.common.config.ConfigLoader;
import vn.lantern.ingest.IngestConfig;
import vn.lantern.ingest.IngestNode;
import vn.lantern.testing.TestInflux;

/**
 * A real ingest node in the test's JVM, assembled like the standalone node: Vert.x, a router with a
 * body handler, the ingest node on free ports and the HTTP API, writing to the test's InfluxDB.
 */
public final class InProcessNode implements AutoCloseable {
  private final Vertx vertx;
  private final IngestNode node;
  private final HttpServer http;

  private InProcessNode(Vertx vertx, IngestNode node, HttpServer http) {
    this.vertx = vertx;
    this.node = node;
    this.http = http;
  }

  /** Starts a node whose state lives in {@code dataDir}. */
  public static InProcessNode start(TestInflux influx, Path dataDir) throws Exception {
    // Through the node's own config loader, so settings added to the node later keep defaults.
    Path file = dataDir.resolve("node.yaml");
    Files.writeString(
        file,
        String.join(
            "\n",
            "dataDir: " + dataDir.resolve("node"),
            "http: {host: 127.0.0.1, port: 0}",
            "mqtt: {host: 127.0.0.1, port: 0}",
            "coaps: {host: 127.0.0.1, port: 0}",
            "influx: {url: '" + influx.url() + "', database: " + influx.database() + "}",
            "registry: {pbkdf2Iterations: 1000}",
            ""));
    IngestConfig config =
        ConfigLoader.load(
            IngestConfig.class, IngestConfig.defaults(), file, Map.of(), IngestConfig.ENV);
    Vertx vertx = Vertx.vertx();
    Router router = Router.router(vertx);
    router.route().handler(BodyHandler.create());
    IngestNode node =
        IngestNode.start(vertx, config, new SimpleMeterRegistry(), router)
            .toCompletionStage()
            .toCompletableFuture()
            .get(60, TimeUnit.SECONDS);
    HttpServer http =
        vertx
            .createHttpServer()
            .requestHandler(router)
            .listen(0, "127.0.0.1")
            .toCompletionStage()
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
    return new InProcessNode(vertx, node, http);
  }

  public String apiUrl() {
    return "http://127.0.0.1:" + http.actualPort();
  }

  public String mqttUri() {
    return "tcp://127.0.0.1:" + node.mqttPort();
  }

  public String coapsUri() {
    return "coaps://127.0.0.1:" + node.coapsPort();
  }

  @Override
  public void close() throws Exception {
    try {
      http.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      node.stop(vertx).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
