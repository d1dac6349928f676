package vn.lantern.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Map;

/**
 * A real node in the test JVM, assembled as in production ({@link
 * vn.lantern.deploy.testing.TestNode}), with what gateway tests need on top: a fixed MQTT port to
 * bring a node back where the gateway expects it, and registration of a gateway with the devices
 * behind it.
 */
final class TestNode implements AutoCloseable {
  private final vn.lantern.deploy.testing.TestNode node;

  private TestNode(vn.lantern.deploy.testing.TestNode node) {
    this.node = node;
  }

  /** Starts a node; {@code mqttPort} 0 binds a free port. */
  static TestNode start(Path dataDir, String influxUrl, String database, int mqttPort) {
    try {
      return new TestNode(
          vn.lantern.deploy.testing.TestNode.builder(dataDir, influxUrl, database)
              .set("mqtt.port", mqttPort)
              .start());
    } catch (Exception e) {
      throw new IllegalStateException("the node did not start: " + e, e);
    }
  }

  int mqttPort() {
    return node.mqttPort();
  }

  int coapsPort() {
    return node.coapsPort();
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
    vn.lantern.deploy.testing.TestNode.Response response = node.http("POST", path, body);
    assertEquals(201, response.status(), () -> path + " " + body + ": " + response.body());
  }

  @Override
  public void close() {
    try {
      node.close();
    } catch (Exception e) {
      throw new IllegalStateException("the node did not stop: " + e, e);
    }
  }
}
