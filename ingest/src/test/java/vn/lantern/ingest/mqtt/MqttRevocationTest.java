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
import vn.lantern.ingest.ClientProcess;
import vn.lantern.ingest.IngestNodeFixture;
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
  private static IngestNodeFixture node;
  private static TestInflux influx;
  private static Path mosquittoPub;

  @BeforeAll
  static void startNode(TestInflux testInflux) {
    mosquittoPub = ClientProcess.program("mosquitto_pub", "mosquitto-clients");
    influx = testInflux;
    node = IngestNodeFixture.start(dir.resolve("node"), influx.url(), influx.database());
  }

  @AfterAll
  static void stopNode() {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void deletingTheDeviceClosesItsSession() {
    assertRevokes(
        "rev-deleted",
        () -> node.http("DELETE", IngestNodeFixture.devicePath("rev-deleted"), null));
  }

  @Test
  void changingTheSecretClosesTheSessionAndRefusesTheOldSecret() {
    assertRevokes(
        "rev-new-secret",
        () ->
            node.http(
                "PUT",
                IngestNodeFixture.devicePath("rev-new-secret"),
                device("rev-new-secret").put("secret", "second-secret-for-tests")));
  }

  @Test
  void disablingTheDeviceClosesItsSession() {
    assertRevokes(
        "rev-disabled",
        () ->
            node.http(
                "PUT",
                IngestNodeFixture.devicePath("rev-disabled"),
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
          node.http("PUT", IngestNodeFixture.devicePath(id), device(id).put("site", "Renamed"))
              .status());
      session.writeLine(json(ts + 1));
      awaitStored(id, ts + 1);
      assertTrue(session.isAlive(), session.output());
    }
  }

  private static void assertRevokes(
      String id, java.util.function.Supplier<IngestNodeFixture.Response> revoke) {
    node.register(device(id).put("secret", SECRET));
    try (ClientProcess session = ClientProcess.start(dir, publishCommand(id, List.of("-l")))) {
      long ts = System.currentTimeMillis() - 10_000;
      session.writeLine(json(ts));
      awaitStored(id, ts);
      assertTrue(session.isAlive(), session.output());

      assertEquals(1.0, openConnections(), session.output());

      IngestNodeFixture.Response response = revoke.get();
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
      // mosquitto_pub -l reconnects on its own with the credential it has: refused from now on.
      long deadline = System.nanoTime() + AWAIT.toNanos();
      while (session.isAlive()
          && !session.output().contains("Connection Refused")
          && System.nanoTime() < deadline) {
        sleep(50);
      }
      assertTrue(
          !session.isAlive() || session.output().contains("Connection Refused"), session.output());
      assertEquals(0.0, openConnections(), session.output());
    }
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
