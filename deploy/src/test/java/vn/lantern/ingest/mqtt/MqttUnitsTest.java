package vn.lantern.ingest.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import vn.lantern.deploy.testing.TestNode;
import vn.lantern.ingest.MqttTestClients;
import vn.lantern.testing.InfluxDbExtension;
import vn.lantern.testing.TestInflux;

/**
 * SenML units end to end: a CO analyser reporting mg/m³ and a gauge reporting cm are stored in the
 * catalogue's units in InfluxDB; an unknown unit for a known metric gets {@code 0x99}, is counted
 * by reason, and nothing of the message is stored.
 */
@ExtendWith(InfluxDbExtension.class)
class MqttUnitsTest {
  private static final String SECRET = "s3cret-for-tests-only";
  private static final String SENML = "application/senml+json";
  private static final int PAYLOAD_FORMAT_INVALID = 0x99;
  private static final Duration AWAIT = Duration.ofSeconds(20);

  @TempDir static Path dataDir;
  private static TestNode node;
  private static TestInflux influx;

  @BeforeAll
  static void startNode(TestInflux testInflux) throws Exception {
    influx = testInflux;
    node =
        TestNode.builder(dataDir, influx.url(), influx.database())
            .set("rules.seedRulePacks", false)
            .start();
    node.register("co-analyser", "air_quality", "tam-ky", "Tam Kỳ", SECRET);
    node.register("gauge-cm", "water_level", "hoi-an", "Hội An", SECRET);
  }

  @AfterAll
  static void stopNode() throws Exception {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void alternativeUnitsAreStoredCanonical() throws Exception {
    double seconds = (System.currentTimeMillis() - 60_000) / 1000.0;
    MqttAsyncClient co = MqttTestClients.v5(node.mqttUri(), "co-analyser", SECRET);
    MqttAsyncClient gauge = MqttTestClients.v5(node.mqttUri(), "gauge-cm", SECRET);
    try {
      String coPack = "[{\"bt\":" + seconds + ",\"n\":\"co\",\"u\":\"mg/m3\",\"v\":12.5}]";
      assertEquals(0, MqttTestClients.publish(co, "telemetry", coPack.getBytes(), SENML));
      String levelPack = "[{\"bt\":" + seconds + ",\"n\":\"level\",\"u\":\"cm\",\"v\":218}]";
      assertEquals(0, MqttTestClients.publish(gauge, "telemetry", levelPack.getBytes(), SENML));
    } finally {
      MqttTestClients.closeAll(co, gauge);
    }
    List<Map<String, Object>> coRows =
        influx.awaitRows("SELECT co FROM air_quality WHERE device = 'co-analyser'", 1, AWAIT);
    assertEquals(12_500.0, ((Number) coRows.get(0).get("co")).doubleValue(), 1e-9);
    List<Map<String, Object>> level =
        influx.awaitRows("SELECT level FROM water_level WHERE device = 'gauge-cm'", 1, AWAIT);
    assertEquals(2.18, ((Number) level.get(0).get("level")).doubleValue(), 1e-9);
  }

  @Test
  void unknownUnitOfAKnownMetricIsRefusedAndCounted() throws Exception {
    double before = refusals();
    double seconds = (System.currentTimeMillis() - 30_000) / 1000.0;
    MqttAsyncClient gauge = MqttTestClients.v5(node.mqttUri(), "gauge-cm", SECRET);
    try {
      String pack =
          "[{\"bt\":"
              + seconds
              + ",\"n\":\"level\",\"v\":1.1},{\"n\":\"level\",\"u\":\"ft\",\"v\":4}]";
      assertEquals(
          PAYLOAD_FORMAT_INVALID,
          MqttTestClients.publish(gauge, "telemetry", pack.getBytes(), SENML));
    } finally {
      MqttTestClients.closeAll(gauge);
    }
    assertEquals(before + 1, refusals());
    assertEquals(
        List.of(),
        influx.query(
            "SELECT level FROM water_level WHERE device = 'gauge-cm' AND level > 1.0 AND level"
                + " < 1.2"));
  }

  private static double refusals() {
    return node.metrics()
        .value("lantern_ingest_payload_refusals_total", "reason", "unsupported_unit");
  }
}
