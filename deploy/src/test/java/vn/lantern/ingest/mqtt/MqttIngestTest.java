package vn.lantern.ingest.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static vn.lantern.deploy.testing.TestNode.influxString;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.eclipse.paho.client.mqttv3.MqttClient;
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
 * Paho MQTT 3.1.1 and 5 clients publish QoS 1 readings to a real node; the points land in a real
 * InfluxDB with the device type as measurement, the registry's tags, one field per metric and the
 * payload's millisecond timestamps.
 */
@ExtendWith(InfluxDbExtension.class)
class MqttIngestTest {
  private static final Duration AWAIT = Duration.ofSeconds(20);
  private static final String SECRET = "s3cret-for-tests-only";

  @TempDir static java.nio.file.Path dataDir;
  private static TestNode node;
  private static TestInflux influx;

  @BeforeAll
  static void startNode(TestInflux testInflux) throws Exception {
    influx = testInflux;
    node =
        TestNode.builder(dataDir, influx.url(), influx.database())
            .set("rules.seedRulePacks", false)
            .start();
    node.register("aq-hoi-an-v3", "air_quality", "hoi-an", "Chùa Cầu", SECRET);
    node.register("wl-tam-ky-v5", "water_level", "tam-ky", "Cầu Tam Kỳ", SECRET);
  }

  @AfterAll
  static void stopNode() throws Exception {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void pahoV3StoresLanternJsonAndSenmlJson() throws Exception {
    long ts = System.currentTimeMillis() - 60_000;
    long senmlTs = ts + 1_234;
    MqttClient client = MqttTestClients.v3(node.mqttUri(), "aq-hoi-an-v3", SECRET);
    try {
      MqttTestClients.publish(
          client, "telemetry", MqttTestClients.lanternJson(ts, "{\"pm25\":35.2,\"pm10\":61}"));
      MqttTestClients.publish(
          client,
          "telemetry",
          "[{\"bn\":\"urn:dev:aq-hoi-an-v3:\",\"bt\":"
              + senmlTs / 1000.0
              + ",\"n\":\"pm25\",\"u\":\"ug/m3\",\"v\":40.5},{\"n\":\"pm10\",\"v\":70}]");
    } finally {
      MqttTestClients.closeAll(client);
    }

    List<Map<String, Object>> rows =
        influx.awaitRows(
            "SELECT * FROM air_quality WHERE device = " + influxString("aq-hoi-an-v3"), 2, AWAIT);
    assertPoint(
        rows.get(0), ts, "hoi-an", "Chùa Cầu", "aq-hoi-an-v3", Map.of("pm25", 35.2, "pm10", 61.0));
    assertPoint(
        rows.get(1),
        senmlTs,
        "hoi-an",
        "Chùa Cầu",
        "aq-hoi-an-v3",
        Map.of("pm25", 40.5, "pm10", 70.0));
  }

  @Test
  void pahoV5StoresLanternJsonAndSenmlJson() throws Exception {
    long ts = System.currentTimeMillis() - 50_000;
    long senmlTs = ts + 567;
    MqttAsyncClient client = MqttTestClients.v5(node.mqttUri(), "wl-tam-ky-v5", SECRET);
    try {
      assertEquals(
          0,
          MqttTestClients.publish(
              client, "telemetry", MqttTestClients.lanternJson(ts, "{\"level_m\":1.25}")));
      assertEquals(
          0,
          MqttTestClients.publish(
              client,
              "telemetry/wl-tam-ky-v5",
              ("[{\"bt\":"
                      + senmlTs / 1000.0
                      + ",\"n\":\"level_m\",\"v\":1.5},"
                      + "{\"n\":\"flow_m3s\",\"v\":12.75}]")
                  .getBytes(StandardCharsets.UTF_8),
              "application/senml+json"));
    } finally {
      MqttTestClients.closeAll(client);
    }

    List<Map<String, Object>> rows =
        influx.awaitRows(
            "SELECT * FROM water_level WHERE device = " + influxString("wl-tam-ky-v5"), 2, AWAIT);
    assertPoint(rows.get(0), ts, "tam-ky", "Cầu Tam Kỳ", "wl-tam-ky-v5", Map.of("level_m", 1.25));
    assertEquals(null, rows.get(0).get("flow_m3s"));
    assertPoint(
        rows.get(1),
        senmlTs,
        "tam-ky",
        "Cầu Tam Kỳ",
        "wl-tam-ky-v5",
        Map.of("level_m", 1.5, "flow_m3s", 12.75));
  }

  static void assertPoint(
      Map<String, Object> row,
      long ts,
      String zone,
      String site,
      String device,
      Map<String, Double> fields)
      throws Exception {
    assertEquals(ts, row.get("time"), () -> "time of " + row);
    assertEquals(zone, row.get("zone"), () -> "zone of " + row);
    assertEquals(site, row.get("site"), () -> "site of " + row);
    assertEquals(device, row.get("device"), () -> "device of " + row);
    fields.forEach(
        (field, value) -> assertEquals(value, row.get(field), () -> field + " of " + row));
  }
}
