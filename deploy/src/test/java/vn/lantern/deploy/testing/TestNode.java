package vn.lantern.deploy.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import vn.lantern.deploy.NodeConfig;
import vn.lantern.deploy.StandaloneNode;
import vn.lantern.ingest.IngestConfig;
import vn.lantern.ioc.kpi.KpiConfig;
import vn.lantern.testing.TestInflux;

/**
 * A real standalone node for tests, assembled by {@link StandaloneNode#start} exactly as {@code
 * ./lantern run} does: every listener on a free port of 127.0.0.1, the test's InfluxDB, fast
 * test-friendly settings, and any further settings by dotted config key (e.g. {@code rules.tickMs},
 * {@code kpis.windowMs}, {@code coap.insecure}), as they would be written in the node's YAML file.
 * Its helpers talk to the node the way clients do: HTTP with a bearer token, MQTT with a device's
 * secret.
 */
public final class TestNode implements AutoCloseable {
  /** The first admin's password. */
  public static final String ADMIN_PASSWORD = "admin-password-for-tests";

  /** The node's service token (admin rights), sent by {@link #http}. */
  public static final String SERVICE_TOKEN = "service-token-for-automation-0123456789";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final StandaloneNode node;
  private final NodeConfig config;
  // HTTP/1.1, as the node speaks it: the JDK client then retries a GET once when the node has
  // closed the pooled connection for idleness (http.idleTimeoutSeconds) while a test waited.
  private final HttpClient client =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private String adminToken;

  private TestNode(StandaloneNode node, NodeConfig config) {
    this.node = node;
    this.config = config;
  }

  /** A builder of a node whose state lives under {@code dataDir}. */
  public static Builder builder(Path dataDir, TestInflux influx) {
    return new Builder(dataDir, influx.url(), influx.database());
  }

  /** A builder of a node writing to {@code database} on the InfluxDB at {@code influxUrl}. */
  public static Builder builder(Path dataDir, String influxUrl, String database) {
    return new Builder(dataDir, influxUrl, database);
  }

  /** Settings of a node to start. */
  public static final class Builder {
    private final Map<String, Object> settings = new LinkedHashMap<>();
    private final Map<String, String> env = new LinkedHashMap<>();
    private final Path dataDir;
    private Path provisionFile;

    private Builder(Path dataDir, String influxUrl, String database) {
      this.dataDir = dataDir;
      set("dataDir", dataDir.toAbsolutePath().toString());
      for (RecordComponent section : IngestConfig.class.getRecordComponents()) {
        if (isListener(section.getType())) {
          set(section.getName() + ".host", "127.0.0.1");
          set(section.getName() + ".port", 0);
          if (hasComponent(section.getType(), "tlsPort")) {
            set(section.getName() + ".tlsPort", 0);
          }
        }
      }
      set("influx.url", influxUrl);
      set("influx.database", database);
      set("influx.maxRetryDelayMs", 500);
      set("registry.pbkdf2Iterations", 1000);
      set("rules.adminPassword", ADMIN_PASSWORD);
      set("rules.serviceToken", SERVICE_TOKEN);
      set("rules.pbkdf2Iterations", 1000);
      set("rules.tickMs", 200);
      // Quick notification retries, so dead letters come within a test's patience.
      set("rules.notifications.initialBackoffMs", 100);
      set("rules.notifications.maxBackoffMs", 400);
      set("rules.notifications.timeoutMs", 2000);
      // Test webhook receivers listen on this host's loopback address.
      set("rules.notifications.allowedHosts", "127.0.0.1,localhost");
    }

    /**
     * Sets a config key by its dotted path, e.g. {@code rules.notifications.maxAttempts}; a record
     * value sets a whole section, e.g. {@code kpis.ioc}.
     */
    public Builder set(String dottedKey, Object value) {
      settings.put(dottedKey, value);
      return this;
    }

    /** Sets a {@code LANTERN_*} environment variable as the node would read it at start. */
    public Builder env(String name, String value) {
      env.put(name, value);
      return this;
    }

    /** Sets several config keys by their dotted paths. */
    public Builder setAll(Map<String, ?> dottedKeys) {
      dottedKeys.forEach(this::set);
      return this;
    }

    /**
     * Short KPI windows of {@code windowMs}, every device type expected each second, quick
     * refreshes and AQI recomputation, and "today" counted in a time zone where it is now about
     * noon, so readings of the last hours fall on today whenever the test runs.
     */
    public Builder fastKpis(long windowMs) {
      set("kpis.windowMs", windowMs);
      set("kpis.graceMs", 1000);
      set("kpis.liveRefreshMs", 200);
      set("kpis.aqiRefreshMs", 1000);
      set("kpis.timeZone", noonZone());
      set("kpis.completenessPeriodMs", windowMs);
      set("kpis.missedIntervalsOffline", 3);
      set("kpis.defaultIntervalMs", 1000);
      for (String type : KpiConfig.defaults().intervalsMs().keySet()) {
        set("kpis.intervalsMs." + type, 1000);
      }
      return this;
    }

    private static String noonZone() {
      int offset = 12 - Instant.now().atZone(ZoneOffset.UTC).getHour();
      return ZoneOffset.ofHours(offset < -12 ? offset + 24 : offset).getId();
    }

    /** Zones and devices to create at start, as {@code ./lantern run --provision} does. */
    public Builder provision(Path file) {
      this.provisionFile = file;
      return this;
    }

    /** Starts the node; fails loudly when it does not start. */
    public TestNode start() throws Exception {
      ObjectNode tree = JSON.createObjectNode();
      settings.forEach((key, value) -> put(tree, key, value));
      Files.createDirectories(dataDir);
      Path file = Files.createTempFile(dataDir, "node", ".json");
      Files.writeString(file, tree.toString());
      NodeConfig config = NodeConfig.load(file, env);
      return new TestNode(
          StandaloneNode.start(config, provisionFile)
              .toCompletionStage()
              .toCompletableFuture()
              .get(60, TimeUnit.SECONDS),
          config);
    }

    private static boolean isListener(Class<?> type) {
      return hasComponent(type, "host") && hasComponent(type, "port");
    }

    private static boolean hasComponent(Class<?> type, String name) {
      return type.isRecord()
          && java.util.Arrays.stream(type.getRecordComponents())
              .anyMatch(c -> c.getName().equals(name));
    }

    private static void put(ObjectNode tree, String dottedKey, Object value) {
      String[] parts = dottedKey.split("\\.");
      ObjectNode node = tree;
      for (int i = 0; i < parts.length - 1; i++) {
        node = node.has(parts[i]) ? (ObjectNode) node.get(parts[i]) : node.putObject(parts[i]);
      }
      node.set(parts[parts.length - 1], JSON.valueToTree(value));
    }
  }

  /** The running node. */
  public StandaloneNode node() {
    return node;
  }

  /** The configuration the node was started with. */
  public NodeConfig config() {
    return config;
  }

  /** The node's Vert.x (tests run helper servers and timers on it). */
  public Vertx vertx() {
    return node.vertx();
  }

  public int httpPort() {
    return node.httpPort();
  }

  public int mqttPort() {
    return node.mqttPort();
  }

  /** The MQTT-over-TLS port, or -1 when the node has no certificate. */
  public int mqttsPort() {
    return node.ingest().mqttsPort();
  }

  /** The port of the plain CoAP endpoint (when {@code coap.insecure} is set). */
  public int coapPort() {
    return node.ingest().coapPort();
  }

  /** The port of the CoAP-over-DTLS endpoint. */
  public int coapsPort() {
    return node.ingest().coapsPort();
  }

  /** The node's HTTP base URL. */
  public String apiUrl() {
    return "http://127.0.0.1:" + httpPort();
  }

  /** The Paho server URI of the MQTT endpoint. */
  public String mqttUri() {
    return "tcp://127.0.0.1:" + mqttPort();
  }

  /** An HTTP answer. */
  public record Response(int status, String body, HttpHeaders headers) {
    public String contentType() {
      return headers.firstValue("content-type").orElse("");
    }

    /** The first value of a header, or null. */
    public String header(String name) {
      return headers.firstValue(name).orElse(null);
    }

    public JsonObject json() {
      return new JsonObject(body);
    }

    public JsonArray jsonArray() {
      return new JsonArray(body);
    }
  }

  /** Sends a request with the service token; {@code body} may be null. */
  public Response http(String method, String path, JsonObject body) {
    return http(method, path, body, SERVICE_TOKEN);
  }

  /** Sends a request with {@code token} (none when null); {@code body} may be null. */
  public Response http(String method, String path, JsonObject body, String token) {
    return http(method, path, body, token, Map.of());
  }

  /** The same with further request headers, e.g. {@code Accept}. */
  public Response http(
      String method, String path, JsonObject body, String token, Map<String, String> headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(apiUrl() + path))
            .timeout(TIMEOUT)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body.encode()));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    if (body != null) {
      request.header("content-type", "application/json");
    }
    headers.forEach(request::header);
    try {
      HttpResponse<String> response =
          client.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      return new Response(response.statusCode(), response.body(), response.headers());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Sends a GET with the service token. */
  public Response get(String path) {
    return http("GET", path, null);
  }

  /** The current {@code /metrics} scrape. */
  public PrometheusText metrics() {
    Response response = get("/metrics");
    assertEquals(200, response.status(), response.body());
    return new PrometheusText(response.body());
  }

  /** Logs a user in and returns their API token; expects 200. */
  public String login(String username, String password) {
    Response r =
        http(
            "POST",
            "/api/v1/login",
            new JsonObject().put("username", username).put("password", password),
            null);
    assertEquals(200, r.status(), r.body());
    return r.json().getString("token");
  }

  /** The first admin's token (logged in once). */
  public String admin() {
    if (adminToken == null) {
      adminToken = login("admin", ADMIN_PASSWORD);
    }
    return adminToken;
  }

  /** Registers a device (or gateway, with type {@code gateway}) through the API; expects 201. */
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

  /** Registers a device whose MQTT password is {@link #secret}. */
  public JsonObject device(String id, String type, String zone, String site) {
    return register(id, type, zone, site, secret(id));
  }

  /** The secret {@link #device} registers a device with. */
  public static String secret(String deviceId) {
    return "secret-of-" + deviceId + "-0123456789";
  }

  /** Creates a ward {@code id}, named by its id, inside zone {@code parent}; expects 201. */
  public void ward(String id, String parent) {
    Response created =
        http(
            "POST",
            "/api/v1/zones",
            new JsonObject()
                .put("id", id)
                .put("name", id)
                .put("kind", "ward")
                .put("parent", parent));
    assertEquals(201, created.status(), created.body());
  }

  /** Asks to merge zone {@code from} into zone {@code into}. */
  public Response mergeZone(String from, String into) {
    return http("POST", "/api/v1/zones/" + from + "/merge", new JsonObject().put("into", into));
  }

  /** Connects a device registered by {@link #device} over MQTT 3.1.1 (the caller closes it). */
  public MqttClient mqtt(String deviceId) throws Exception {
    MqttClient mqtt = new MqttClient(mqttUri(), deviceId + "-test", new MemoryPersistence());
    MqttConnectOptions options = new MqttConnectOptions();
    options.setUserName(deviceId);
    options.setPassword(secret(deviceId).toCharArray());
    options.setCleanSession(true);
    options.setConnectionTimeout(10);
    mqtt.connect(options);
    return mqtt;
  }

  /** Publishes one reading (receive time) with QoS 1: returns once it is stored. */
  public static void publish(MqttClient client, String metric, double value) throws Exception {
    publish(client, new JsonObject().put("m", new JsonObject().put(metric, value)));
  }

  /** Publishes one reading with its own timestamp. */
  public static void publish(MqttClient client, String metric, double value, long ts)
      throws Exception {
    publish(client, ts, new JsonObject().put(metric, value));
  }

  /** Publishes several metrics at one instant with QoS 1 (returns once stored). */
  public static void publish(MqttClient client, long ts, JsonObject metrics) throws Exception {
    publish(client, new JsonObject().put("ts", ts).put("m", metrics));
  }

  private static void publish(MqttClient client, JsonObject message) throws Exception {
    client.publish("telemetry", message.encode().getBytes(StandardCharsets.UTF_8), 1, false);
  }

  /** Creates a rule as admin and returns its id. */
  public String createRule(JsonObject rule) {
    Response r = http("POST", "/api/v1/rules", rule, admin());
    assertEquals(201, r.status(), r.body());
    return r.json().getString("id");
  }

  /** Alerts matching a query string (e.g. {@code ?device=x}), as admin. */
  public JsonArray alerts(String query) {
    Response r = http("GET", "/api/v1/alerts" + query, null, admin());
    assertEquals(200, r.status(), r.body());
    return r.json().getJsonArray("items");
  }

  /** The API path of a device, its id URL-encoded. */
  public static String devicePath(String id) {
    return "/api/v1/devices/" + URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** An InfluxQL string literal, e.g. for {@code WHERE "device" = '...'}. */
  public static String influxString(String value) {
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  /** Waits for a Vert.x future from a test thread (30 s at most). */
  public static <T> T await(Future<T> future) {
    try {
      return future
          .toCompletionStage()
          .toCompletableFuture()
          .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("timed out after " + TIMEOUT, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Polls until {@code condition} holds or fails after {@code timeout}. */
  public static void awaitTrue(String what, Duration timeout, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout + " waiting for: " + what);
      }
      Thread.sleep(50);
    }
  }

  @Override
  public void close() throws Exception {
    node.close(Duration.ofSeconds(20));
  }
}
