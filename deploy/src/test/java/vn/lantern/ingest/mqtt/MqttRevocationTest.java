package vn.lantern.ingest.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import vn.lantern.deploy.testing.TestNode;
import vn.lantern.ingest.ClientProcess;
import vn.lantern.testing.InfluxDbExtension;
import vn.lantern.testing.TestInflux;

/**
 * Revocation takes effect at once: a live {@code mosquitto_pub -l} session is closed within a
 * second of its device being deleted, disabled or given a new secret, and the old secret is refused
 * from then on.
 */
@ExtendWith(InfluxDbExtension.class)
class MqttRevocationTest {
  private static final Duration AWAIT = Duration.ofSeconds(20);

  /** The bound; the close is triggered before the API answers, so it takes milliseconds. */
  private static final Duration CLOSED_WITHIN = Duration.ofSeconds(1);

  private static final String ZONE = "tam-ky";
  private static final String SECRET = "first-secret-for-tests";

  @TempDir static Path dir;
  private static TestNode node;
  private static TestInflux influx;
  private static Path mosquittoPub;

  @BeforeAll
  static void startNode(TestInflux testInflux) throws Exception {
    mosquittoPub = ClientProcess.program("mosquitto_pub", "mosquitto-clients");
    influx = testInflux;
    node =
        TestNode.builder(dir.resolve("node"), influx.url(), influx.database())
            .set("rules.seedRulePacks", false)
            .start();
  }

  @AfterAll
  static void stopNode() throws Exception {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void deletingTheDeviceClosesItsSession() {
    assertRevokes(
        "rev-deleted", () -> node.http("DELETE", TestNode.devicePath("rev-deleted"), null));
  }

  @Test
  void changingTheSecretClosesTheSessionAndRefusesTheOldSecret() {
    assertRevokes(
        "rev-new-secret",
        () ->
            node.http(
                "PUT",
                TestNode.devicePath("rev-new-secret"),
                device("rev-new-secret").put("secret", "second-secret-for-tests")));
  }

  @Test
  void disablingTheDeviceClosesItsSession() {
    assertRevokes(
        "rev-disabled",
        () ->
            node.http(
                "PUT",
                TestNode.devicePath("rev-disabled"),
                device("rev-disabled").put("disabled", true)));
  }

  @Test
  void unrelatedChangesKeepTheSession() {
    String id = "rev-renamed-site";
    node.register(device(id).put("secret", SECRET));
    try (ClientProcess session = ClientProcess.start(dir, publishCommand(id, List.of("-l")))) {
      long ts = System.currentTimeMillis() - 10_000;
      session.writeLine(json(ts));
      awaitStored(id, ts);
      assertEquals(
          200,
          node.http("PUT", TestNode.devicePath(id), device(id).put("site", "Renamed")).status());
      session.writeLine(json(ts + 1));
      awaitStored(id, ts + 1);
      assertTrue(session.isAlive(), session.output());
    }
  }

  private static void assertRevokes(
      String id, java.util.function.Supplier<TestNode.Response> revoke) {
    node.register(device(id).put("secret", SECRET));
    try (ClientProcess session = ClientProcess.start(dir, publishCommand(id, List.of("-l")))) {
      long ts = System.currentTimeMillis() - 10_000;
      session.writeLine(json(ts));
      awaitStored(id, ts);
      assertTrue(session.isAlive(), session.output());

      assertEquals(1.0, openConnections(), session.output());

      TestNode.Response response = revoke.get();
      assertTrue(response.status() / 100 == 2, response.body());
      long revokedAt = System.nanoTime();
      while (openConnections() > 0 && System.nanoTime() - revokedAt < CLOSED_WITHIN.toNanos()) {
        sleep(10);
      }
      long tookMs = (System.nanoTime() - revokedAt) / 1_000_000;
      assertEquals(
          0.0,
          openConnections(),
          () -> "session still open " + tookMs + " ms after revocation: " + session.output());
    }
    // The old credential is refused from now on (mosquitto_pub -l would keep retrying it).
    ClientProcess.Result again =
        ClientProcess.run(dir, publishCommand(id, List.of("-m", json(System.currentTimeMillis()))));
    assertFalse(again.succeeded(), again.output());
  }

  /** Open MQTT connections as the node counts them (the tests of this class run one at a time). */
  private static double openConnections() {
    return node.metrics().value("lantern_ingest_connections", "protocol", "mqtt");
  }

  private static JsonObject device(String id) {
    return new JsonObject()
        .put("id", id)
        .put("type", "energy")
        .put("zone", ZONE)
        .put("site", "Tam Ky");
  }

  private static List<String> publishCommand(String id, List<String> extra) {
    List<String> command =
        new ArrayList<>(
            List.of(
                mosquittoPub.toString(),
                "-h",
                "127.0.0.1",
                "-p",
                String.valueOf(node.mqttPort()),
                "-u",
                id,
                "-P",
                SECRET,
                "-q",
                "1",
                "-t",
                "telemetry"));
    command.addAll(extra);
    return command;
  }

  private static String json(long ts) {
    return "{\"ts\":" + ts + ",\"m\":{\"power_kw\":2.5}}";
  }

  private static void awaitStored(String device, long ts) {
    influx.awaitRows(
        "SELECT * FROM energy WHERE device = '" + device + "' AND time = " + ts + "ms", 1, AWAIT);
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
