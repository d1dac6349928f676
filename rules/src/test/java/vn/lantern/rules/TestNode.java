package vn.lantern.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import vn.lantern.auth.ApiGuard;
import vn.lantern.auth.Authenticator;
import vn.lantern.auth.OidcSettings;
import vn.lantern.common.http.SecurityHeaders;
import vn.lantern.common.influx.InfluxSettings;
import vn.lantern.common.telemetry.DeviceRef;
import vn.lantern.ingest.IngestConfig;
import vn.lantern.ingest.IngestNode;
import vn.lantern.ingest.registry.Device;
import vn.lantern.ingest.registry.DeviceRegistry;
import vn.lantern.rules.notify.NotifySettings;
import vn.lantern.testing.TestInflux;

/**
 * A real node for tests: an ingest node (MQTT endpoint, registry, InfluxDB writer, in-process bus)
 * and the rules engine on one router, HTTP and MQTT on free ports of 127.0.0.1, talking to the
 * test's real InfluxDB.
 */
public final class TestNode implements AutoCloseable {
  public static final String ADMIN_PASSWORD = "admin-password-for-tests";
  public static final String SERVICE_TOKEN = "service-token-for-automation-0123456789";
  private static final ObjectMapper JSON = new ObjectMapper();

  public final Vertx vertx;
  public final IngestNode ingest;
  public final RulesNode rules;
  public final Router router;
  private final HttpServer http;
  public final WebClient client;
  private String adminToken;

  private TestNode(
      Vertx vertx, IngestNode ingest, RulesNode rules, Router router, HttpServer http) {
    this.vertx = vertx;
    this.ingest = ingest;
    this.rules = rules;
    this.router = router;
    this.http = http;
    this.client = WebClient.create(vertx);
  }

  /** Starts a node on {@code dataDir} with a fast evaluation tick. */
  public static TestNode start(Path dataDir, TestInflux influx, long tickMs, int maxAttempts)
      throws Exception {
    return start(dataDir, influx, tickMs, maxAttempts, false);
  }

  /** Starts a node, optionally seeding the shipped rule packs. */
  public static TestNode start(
      Path dataDir, TestInflux influx, long tickMs, int maxAttempts, boolean seedRulePacks)
      throws Exception {
    return start(dataDir, influx, tickMs, maxAttempts, seedRulePacks, 0);
  }

  /**
   * Starts a node.
   *
   * @param notifyMqttPort port of an MQTT broker on 127.0.0.1 for {@code mqtt} channels, or 0
   */
  public static TestNode start(
      Path dataDir,
      TestInflux influx,
      long tickMs,
      int maxAttempts,
      boolean seedRulePacks,
      int notifyMqttPort)
      throws Exception {
    return start(
        dataDir,
        influx,
        tickMs,
        maxAttempts,
        seedRulePacks,
        notifyMqttPort,
        OidcSettings.defaults());
  }

  /** Starts a node that also trusts an external OpenID Connect issuer. */
  public static TestNode start(
      Path dataDir,
      TestInflux influx,
      long tickMs,
      int maxAttempts,
      boolean seedRulePacks,
      int notifyMqttPort,
      OidcSettings oidc)
      throws Exception {
    return start(dataDir, influx, tickMs, maxAttempts, seedRulePacks, notifyMqttPort, oidc, null);
  }

  /** Starts a node with users from a users file (or none when {@code usersFile} is null). */
  public static TestNode start(
      Path dataDir,
      TestInflux influx,
      long tickMs,
      int maxAttempts,
      boolean seedRulePacks,
      int notifyMqttPort,
      OidcSettings oidc,
      Path usersFile)
      throws Exception {
    Vertx vertx = Vertx.vertx();
    SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    Router router = Router.router(vertx);
    SecurityHeaders.mount(router);
    router.route().handler(BodyHandler.create());
    Promise<Authenticator> authenticator = Promise.promise();
    ApiGuard.mount(router, authenticator.future(), metrics);
    IngestConfig ingestConfig = ingestConfig(dataDir, influx);
    IngestNode ingest = await(IngestNode.start(vertx, ingestConfig, metrics, router));
    DeviceRegistry registry = ingest.registry();
    Directory directory =
        new Directory() {
          @Override
          public Collection<DeviceRef> devices() {
            return registry.devices().stream()
                .filter(d -> !d.isGateway())
                .map(Device::ref)
                .toList();
          }

          @Override
          public boolean zoneExists(String zone) {
            return registry.zone(zone).isPresent();
          }
        };
    RulesConfig defaults =
        RulesConfig.defaults(
            dataDir.toString(),
            InfluxSettings.defaults().withServer(influx.url(), influx.database()));
    RulesConfig config =
        new RulesConfig(
            defaults.dataDir(),
            defaults.db(),
            defaults.influx(),
            tickMs,
            ADMIN_PASSWORD,
            "",
            3600,
            1000,
            seedRulePacks,
            defaults.historyMaxPoints(),
            new NotifySettings(
                maxAttempts,
                100,
                400,
                2000,
                notifyMqttPort == 0 ? "" : "127.0.0.1",
                notifyMqttPort,
                "",
                "",
                // Test webhook receivers listen on this host's loopback address.
                "127.0.0.1,localhost"),
            oidc,
            SERVICE_TOKEN,
            usersFile == null ? "" : usersFile.toString(),
            defaults.windows(),
            defaults.dryRun());
    RulesNode rules =
        await(RulesNode.start(vertx, config, ingest.bus(), directory, router, metrics));
    authenticator.complete(rules.authenticator());
    HttpServer http = await(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));
    return new TestNode(vertx, ingest, rules, router, http);
  }

  /** The defaults with every listener on a free port of 127.0.0.1 and the test's InfluxDB. */
  private static IngestConfig ingestConfig(Path dataDir, TestInflux influx) throws Exception {
    ObjectNode tree = JSON.valueToTree(IngestConfig.defaults());
    localPorts(tree);
    tree.put("dataDir", dataDir.toString());
    ((ObjectNode) tree.get("influx")).put("url", influx.url()).put("database", influx.database());
    ((ObjectNode) tree.get("registry")).put("pbkdf2Iterations", 1000);
    return JSON.treeToValue(tree, IngestConfig.class);
  }

  private static void localPorts(ObjectNode node) {
    if (node.has("port")) {
      node.put("port", 0);
    }
    if (node.has("host")) {
      node.put("host", "127.0.0.1");
    }
    for (Iterator<Map.Entry<String, com.fasterxml.jackson.databind.JsonNode>> it = node.fields();
        it.hasNext(); ) {
      Map.Entry<String, com.fasterxml.jackson.databind.JsonNode> field = it.next();
      if (field.getValue() instanceof ObjectNode child) {
        localPorts(child);
      }
    }
  }

  public static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  public int httpPort() {
    return http.actualPort();
  }

  /** Registers a device with a secret (its MQTT password). */
  public void device(String id, String type, String zone, String site) throws Exception {
    await(
        ingest
            .registry()
            .putDevice(
                new JsonObject()
                    .put("id", id)
                    .put("type", type)
                    .put("zone", zone)
                    .put("site", site)
                    .put("secret", secret(id))));
  }

  private static String secret(String id) {
    return "secret-of-" + id + "-0123456789";
  }

  /** Connects a device's MQTT client (the caller closes it). */
  public MqttClient mqtt(String deviceId) throws Exception {
    MqttClient client =
        new MqttClient(
            "tcp://127.0.0.1:" + ingest.mqttPort(), deviceId + "-test", new MemoryPersistence());
    MqttConnectOptions options = new MqttConnectOptions();
    options.setUserName(deviceId);
    options.setPassword(secret(deviceId).toCharArray());
    options.setCleanSession(true);
    options.setConnectionTimeout(10);
    client.connect(options);
    return client;
  }

  /** Publishes one reading (receive time) with QoS 1: returns once it is stored. */
  public static void publish(MqttClient client, String metric, double value) throws Exception {
    client.publish(
        "telemetry",
        new JsonObject().put("m", new JsonObject().put(metric, value)).encode().getBytes(),
        1,
        false);
  }

  /** Publishes one reading with its own timestamp. */
  public static void publish(MqttClient client, String metric, double value, long ts)
      throws Exception {
    client.publish(
        "telemetry",
        new JsonObject()
            .put("ts", ts)
            .put("m", new JsonObject().put(metric, value))
            .encode()
            .getBytes(),
        1,
        false);
  }

  public String login(String username, String password) throws Exception {
    HttpResponse<Buffer> r =
        call(
            HttpMethod.POST,
            "/api/v1/login",
            null,
            new JsonObject().put("username", username).put("password", password));
    assertEquals(200, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject().getString("token");
  }

  public String admin() throws Exception {
    if (adminToken == null) {
      adminToken = login("admin", ADMIN_PASSWORD);
    }
    return adminToken;
  }

  /** Makes a request; {@code token} may be null, {@code body} may be null. */
  public HttpResponse<Buffer> call(HttpMethod method, String path, String token, JsonObject body)
      throws Exception {
    var request = client.request(method, httpPort(), "127.0.0.1", path);
    if (token != null) {
      request.bearerTokenAuthentication(token);
    }
    return await(body == null ? request.send() : request.sendJsonObject(body));
  }

  /** Creates a rule as admin and returns its id. */
  public String createRule(JsonObject rule) throws Exception {
    HttpResponse<Buffer> r = call(HttpMethod.POST, "/api/v1/rules", admin(), rule);
    assertEquals(201, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject().getString("id");
  }

  /** Alerts matching a query string, as admin. */
  public io.vertx.core.json.JsonArray alerts(String query) throws Exception {
    HttpResponse<Buffer> r = call(HttpMethod.GET, "/api/v1/alerts" + query, admin(), null);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject().getJsonArray("items");
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
    client.close();
    try {
      await(http.close().eventually(() -> rules.stop(vertx)).eventually(() -> ingest.stop(vertx)));
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
