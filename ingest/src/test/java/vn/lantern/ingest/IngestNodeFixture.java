package vn.lantern.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import vn.lantern.auth.ApiGuard;
import vn.lantern.auth.ServiceToken;
import vn.lantern.common.config.ConfigLoader;

/**
 * A real ingest node running in the test's JVM, assembled the way the standalone node assembles it:
 * Vert.x, a Prometheus registry served on {@code /metrics}, the node's routes on an HTTP server,
 * and every listener on a free port of 127.0.0.1. Devices are registered through the real HTTP API.
 */
public final class IngestNodeFixture implements AutoCloseable {
  /** The service token the fixture's API guard accepts; {@link #http} sends it. */
  public static final String SERVICE_TOKEN = "service-token-for-tests-0123456789abcdef";

  /** PBKDF2 iterations for tests: the lowest the hasher accepts, so registrations stay quick. */
  private static final int TEST_PBKDF2_ITERATIONS = 1000;

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final Vertx vertx;
  private final IngestNode node;
  private final HttpServer http;
  private final HttpClient client = HttpClient.newHttpClient();

  private IngestNodeFixture(Vertx vertx, IngestNode node, HttpServer http) {
    this.vertx = vertx;
    this.node = node;
    this.http = http;
  }

  /**
   * Starts a node keeping its state in {@code dataDir} and writing to {@code database} on the
   * InfluxDB at {@code influxUrl}.
   */
  public static IngestNodeFixture start(Path dataDir, String influxUrl, String database) {
    return start(dataDir, influxUrl, database, 0);
  }

  /**
   * The same with the MQTT endpoint on {@code mqttPort} (0 for a free one): brings a node back on
   * the port its clients know.
   */
  public static IngestNodeFixture start(
      Path dataDir, String influxUrl, String database, int mqttPort) {
    return start(dataDir, influxUrl, database, mqttPort, Map.of());
  }

  /**
   * The same with further settings by dotted config key, e.g. {@code coap.insecure -> true},
   * applied the way {@code LANTERN_*} variables are.
   */
  public static IngestNodeFixture start(
      Path dataDir, String influxUrl, String database, int mqttPort, Map<String, String> settings) {
    IngestConfig config = config(dataDir, influxUrl, database, mqttPort, settings);
    Vertx vertx = Vertx.vertx();
    PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Router router = Router.router(vertx);
    router.route().handler(BodyHandler.create());
    ApiGuard.mount(router, Future.succeededFuture(new ServiceToken(SERVICE_TOKEN)), metrics);
    router
        .get("/metrics")
        .handler(
            ctx ->
                ctx.response()
                    .putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
                    .end(metrics.scrape()));
    try {
      IngestNode node = await(IngestNode.start(vertx, config, metrics, router));
      HttpServer http =
          await(
              vertx
                  .createHttpServer(config.http().serverOptions())
                  .requestHandler(router)
                  .listen());
      return new IngestNodeFixture(vertx, node, http);
    } catch (RuntimeException | Error e) {
      vertx.close();
      throw e;
    }
  }

  /**
   * The documented defaults with every listener on 127.0.0.1 port 0 (found by shape, so endpoints
   * added later are covered too), the given data dir and InfluxDB, quick write retries and the
   * lowest accepted PBKDF2 cost.
   */
  static IngestConfig config(
      Path dataDir, String influxUrl, String database, int mqttPort, Map<String, String> settings) {
    StringBuilder yaml = new StringBuilder();
    yaml.append("dataDir: ").append(quote(dataDir.toAbsolutePath().toString())).append('\n');
    for (RecordComponent section : IngestConfig.class.getRecordComponents()) {
      List<String> keys =
          section.getType().isRecord()
              ? List.of(section.getType().getRecordComponents()).stream()
                  .map(RecordComponent::getName)
                  .toList()
              : List.of();
      if (keys.contains("host") && keys.contains("port")) {
        int port = section.getName().equals("mqtt") ? mqttPort : 0;
        yaml.append(section.getName())
            .append(": {host: 127.0.0.1, port: ")
            .append(port)
            .append(keys.contains("tlsPort") ? ", tlsPort: 0" : "")
            .append("}\n");
      }
    }
    yaml.append("influx: {url: ")
        .append(quote(influxUrl))
        .append(", database: ")
        .append(quote(database))
        .append(", maxRetryDelayMs: 500}\n");
    yaml.append("registry: {pbkdf2Iterations: ").append(TEST_PBKDF2_ITERATIONS).append("}\n");
    try {
      Path file = Files.createTempFile("lantern-ingest-test", ".yaml");
      try {
        Files.writeString(file, yaml);
        return ConfigLoader.load(
            IngestConfig.class,
            IngestConfig.defaults(),
            file,
            settings,
            settings.keySet().stream().collect(Collectors.toMap(key -> key, key -> key)));
      } finally {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public IngestNode node() {
    return node;
  }

  public int httpPort() {
    return http.actualPort();
  }

  public int mqttPort() {
    return node.mqttPort();
  }

  /** The MQTT-over-TLS port, or -1 when the node has no certificate. */
  public int mqttsPort() {
    return node.mqttsPort();
  }

  /** The Paho server URI of the MQTT endpoint. */
  public String mqttUri() {
    return "tcp://127.0.0.1:" + mqttPort();
  }

  /** An HTTP answer. */
  public record Response(int status, String body, String contentType) {
    public JsonObject json() {
      return new JsonObject(body);
    }
  }

  /** Sends a request to the node's HTTP API; {@code body} may be null. */
  public Response http(String method, String path, JsonObject body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort() + path))
            .timeout(TIMEOUT)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body.encode()));
    request.header("Authorization", "Bearer " + SERVICE_TOKEN);
    if (body != null) {
      request.header("content-type", "application/json");
    }
    try {
      HttpResponse<String> response =
          client.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      return new Response(
          response.statusCode(),
          response.body(),
          response.headers().firstValue("content-type").orElse(""));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public Response get(String path) {
    return http("GET", path, null);
  }

  /** The API path of a device, its id URL-encoded. */
  public static String devicePath(String id) {
    return "/api/v1/devices/" + URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** Registers a device (or gateway, with type {@code gateway}) and expects 201. */
  public JsonObject register(JsonObject device) {
    Response response = http("POST", "/api/v1/devices", device);
    assertEquals(201, response.status(), () -> "registering " + device + ": " + response.body());
    return response.json();
  }

  /** Registers a device that connects with its own secret. */
  public JsonObject register(String id, String type, String zone, String site, String secret) {
    return register(
        new JsonObject()
            .put("id", id)
            .put("type", type)
            .put("zone", zone)
            .put("site", site)
            .put("secret", secret));
  }

  /** The current {@code /metrics} scrape. */
  public PrometheusText metrics() {
    Response response = get("/metrics");
    assertEquals(200, response.status(), response.body());
    return new PrometheusText(response.body());
  }

  /** Stops the node (flushing pending writes and closing the registry) and Vert.x. */
  @Override
  public void close() {
    try {
      await(http.close().eventually(() -> node.stop(vertx)));
    } finally {
      await(vertx.close());
    }
  }

  /** Waits for a Vert.x future from a test thread (30 s at most). */
  public static <T> T await(Future<T> future) {
    try {
      return future
          .toCompletionStage()
          .toCompletableFuture()
          .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("timed out after " + TIMEOUT, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** An InfluxQL string literal, e.g. for {@code WHERE "device" = '...'}. */
  public static String influxString(String value) {
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  private static String quote(String text) {
    return "'" + text.replace("'", "''") + "'";
  }
}
