package vn.lantern.deploy.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import vn.lantern.deploy.NodeConfig;
import vn.lantern.deploy.StandaloneNode;
import vn.lantern.ingest.IngestConfig;
import vn.lantern.testing.TestInflux;

/**
 * A real standalone node for tests, assembled by {@link StandaloneNode#start} exactly as {@code
 * ./lantern run} does: every listener on a free port of 127.0.0.1, the test's InfluxDB, fast
 * test-friendly settings, and any further settings by dotted config key (e.g. {@code rules.tickMs},
 * {@code kpis.windowMs}, {@code coap.insecure}), as they would be written in the node's YAML file.
 */
public final class TestNode implements AutoCloseable {
  /** The first admin's password. */
  public static final String ADMIN_PASSWORD = "admin-password-for-tests";

  /** The node's service token (admin rights), sent by {@link #http}. */
  public static final String SERVICE_TOKEN = "service-token-for-automation";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final StandaloneNode node;
  private final HttpClient client = HttpClient.newHttpClient();

  private TestNode(StandaloneNode node) {
    this.node = node;
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
    private final Path dataDir;
    private Path provisionFile;

    private Builder(Path dataDir, String influxUrl, String database) {
      this.dataDir = dataDir;
      set("dataDir", dataDir.toAbsolutePath().toString());
      for (RecordComponent section : IngestConfig.class.getRecordComponents()) {
        if (isListener(section.getType())) {
          set(section.getName() + ".host", "127.0.0.1");
          set(section.getName() + ".port", 0);
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
      // Test webhook receivers listen on this host's loopback address.
      set("rules.notifications.allowedHosts", "127.0.0.1,localhost");
    }

    /** Sets a config key by its dotted path, e.g. {@code rules.notifications.maxAttempts}. */
    public Builder set(String dottedKey, Object value) {
      settings.put(dottedKey, value);
      return this;
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
      NodeConfig config = NodeConfig.load(file, Map.of());
      return new TestNode(
          StandaloneNode.start(config, provisionFile)
              .toCompletionStage()
              .toCompletableFuture()
              .get(60, java.util.concurrent.TimeUnit.SECONDS));
    }

    private static boolean isListener(Class<?> type) {
      if (!type.isRecord()) {
        return false;
      }
      var names = java.util.Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName);
      return names.filter(n -> n.equals("host") || n.equals("port")).count() == 2;
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

  public int httpPort() {
    return node.httpPort();
  }

  public int mqttPort() {
    return node.mqttPort();
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
  public record Response(int status, String body, String contentType) {
    public JsonObject json() {
      return new JsonObject(body);
    }
  }

  /** Sends a request with the service token; {@code body} may be null. */
  public Response http(String method, String path, JsonObject body) {
    return http(method, path, body, SERVICE_TOKEN);
  }

  /** Sends a request with {@code token} (none when null); {@code body} may be null. */
  public Response http(String method, String path, JsonObject body, String token) {
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

  @Override
  public void close() throws Exception {
    node.close(Duration.ofSeconds(20));
  }
}
