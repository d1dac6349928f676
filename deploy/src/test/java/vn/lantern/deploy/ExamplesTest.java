package vn.lantern.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import vn.lantern.deploy.testing.TestNode;
import vn.lantern.testing.InfluxDbExtension;
import vn.lantern.testing.TestInflux;

/**
 * The device examples in {@code examples/} publish to a live node and their readings are stored.
 */
@ExtendWith(InfluxDbExtension.class)
class ExamplesTest {
  /** Debian's interpreter, where python3-paho-mqtt installs (not a virtualenv's). */
  private static final String DEBIAN_PYTHON = "/usr/bin/python3";

  @TempDir static Path dataDir;
  private static TestNode node;
  private static TestInflux influx;

  @BeforeAll
  static void start(TestInflux testInflux) throws Exception {
    influx = testInflux;
    node = TestNode.builder(dataDir, influx).start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void pythonPahoExamplePublishesSenmlWithQos1() throws Exception {
    if (!new File(DEBIAN_PYTHON).canExecute()) {
      throw new AssertionError("Debian's python3 is missing: install python3 python3-paho-mqtt");
    }
    expectCreated(
        node.http(
            "PUT",
            "/api/v1/devices/example-py-wl",
            new JsonObject(
                "{\"type\":\"water_level\",\"zone\":\"hoi-an\",\"site\":\"Cau An Hoi\","
                    + "\"secret\":\"example-python-secret-0123456789\"}")));
    String out =
        ShellRun.run(
            List.of(
                DEBIAN_PYTHON,
                "examples/python/lantern_publish.py",
                "--port",
                String.valueOf(node.mqttPort()),
                "--device",
                "example-py-wl",
                "--secret",
                "example-python-secret-0123456789",
                "--count",
                "3",
                "--interval",
                "0.1"),
            Map.of());
    assertTrue(out.contains("acknowledged 3"), out);
    influx.awaitRows(
        "SELECT \"level\" FROM \"water_level\" WHERE \"device\" = 'example-py-wl'",
        3,
        Duration.ofSeconds(10));
  }

  @Test
  void pythonExampleReportsRefusedCredentials() throws Exception {
    AssertionError refused =
        org.junit.jupiter.api.Assertions.assertThrows(
            AssertionError.class,
            () ->
                ShellRun.run(
                    List.of(
                        DEBIAN_PYTHON,
                        "examples/python/lantern_publish.py",
                        "--port",
                        String.valueOf(node.mqttPort()),
                        "--device",
                        "no-such-device",
                        "--secret",
                        "wrong-secret-0123456789",
                        "--timeout",
                        "3"),
                    Map.of()));
    assertTrue(refused.getMessage().contains("connection refused: 0x86"), refused.getMessage());
  }

  @Test
  void coapShellExamplePublishesOverDtls() throws Exception {
    ShellRun.require("coap-client-openssl", "libcoap3-bin");
    expectCreated(
        node.http(
            "PUT",
            "/api/v1/devices/example-coap-wl",
            new JsonObject(
                "{\"type\":\"water_level\",\"zone\":\"hoi-an\",\"site\":\"Cau An Hoi\","
                    + "\"psk\":\"example-coap-psk-0123456789\"}")));
    ShellRun.run(
        List.of("bash", "examples/coap/publish.sh", "level", "1.75"),
        Map.of(
            "LANTERN_COAPS_PORT", String.valueOf(node.coapsPort()),
            "DEVICE", "example-coap-wl",
            "PSK", "example-coap-psk-0123456789"));
    List<Map<String, Object>> rows =
        influx.awaitRows(
            "SELECT \"level\" FROM \"water_level\" WHERE \"device\" = 'example-coap-wl'",
            1,
            Duration.ofSeconds(10));
    assertEquals(1.75, ((Number) rows.get(0).get("level")).doubleValue());
  }

  private static void expectCreated(TestNode.Response response) {
    assertEquals(201, response.status(), response.body());
  }
}
