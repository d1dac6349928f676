package vn.lantern.deploy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import vn.lantern.testing.TestInflux;

/**
 * A standalone node as an operator runs it (configured only by {@code LANTERN_*} variables), on
 * free loopback ports against the test InfluxDB, with an API token for scripts.
 */
final class LiveNode implements AutoCloseable {
  static final String TOKEN = "live-node-api-token-0123456789abcdef";
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final StandaloneNode node;

  private LiveNode(StandaloneNode node) {
    this.node = node;
  }

  /** Starts a node; {@code extraEnv} adds or overrides variables. */
  static LiveNode start(Path dataDir, TestInflux influx, Map<String, String> extraEnv)
      throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("LANTERN_DATA_DIR", dataDir.toString());
    env.put("LANTERN_INFLUX_URL", influx.url());
    env.put("LANTERN_INFLUX_DB", influx.database());
    env.put("LANTERN_API_TOKEN", TOKEN);
    for (String listener : new String[] {"HTTP", "MQTT", "COAP", "COAPS"}) {
      env.put("LANTERN_" + listener + "_HOST", "127.0.0.1");
      env.put("LANTERN_" + listener + "_PORT", "0");
    }
    env.putAll(extraEnv);
    return new LiveNode(
        StandaloneNode.await(
            StandaloneNode.start(NodeConfig.load(null, env), null), Duration.ofSeconds(60)));
  }

  int httpPort() {
    return node.httpPort();
  }

  int mqttPort() {
    return node.mqttPort();
  }

  int coapsPort() {
    return node.ingest().coapsPort();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + httpPort();
  }

  /** GET with the API token; returns the body, failing on a status other than 200. */
  String get(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(baseUrl() + path)).GET(), 200);
  }

  /** PUT of a JSON body with the API token, failing on a status other than {@code expected}. */
  String put(String path, String json, int expected) throws IOException, InterruptedException {
    return send(
        HttpRequest.newBuilder(URI.create(baseUrl() + path))
            .header("content-type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(json)),
        expected);
  }

  private static String send(HttpRequest.Builder request, int expected)
      throws IOException, InterruptedException {
    HttpResponse<String> response =
        HTTP.send(
            request.header("authorization", "Bearer " + TOKEN).build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != expected) {
      throw new AssertionError(
          request.build().uri() + " answered " + response.statusCode() + ": " + response.body());
    }
    return response.body();
  }

  @Override
  public void close() throws Exception {
    node.close(Duration.ofSeconds(15));
  }
}
