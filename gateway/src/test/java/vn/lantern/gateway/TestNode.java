package vn.lantern.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Map;
import vn.lantern.ingest.IngestNodeFixture;

/**
 * A real ingest node in the test JVM ({@link IngestNodeFixture}) with what gateway tests need on
 * top: a fixed MQTT port to bring a node back where the gateway expects it, and registration of a
 * gateway with the devices behind it.
 */
final class TestNode implements AutoCloseable {
  private final IngestNodeFixture node;

  private TestNode(IngestNodeFixture node) {
    this.node = node;
  }

  /** Starts a node; {@code mqttPort} 0 binds a free port. */
  static TestNode start(Path dataDir, String influxUrl, String database, int mqttPort) {
    return new TestNode(IngestNodeFixture.start(dataDir, influxUrl, database, mqttPort));
  }

  int mqttPort() {
    return node.mqttPort();
  }

  int coapsPort() {
    return node.node().coapsPort();
  }

  String mqttUrl() {
    return node.mqttUri();
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
    IngestNodeFixture.Response response = node.http("POST", path, body);
    assertEquals(201, response.status(), () -> path + " " + body + ": " + response.body());
  }

  @Override
  public void close() {
    node.close();
  }
}
