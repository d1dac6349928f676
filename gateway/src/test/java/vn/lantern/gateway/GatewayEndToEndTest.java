package vn.lantern.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import vn.lantern.common.modbus.RegisterMap;
import vn.lantern.gateway.config.GatewayConfig;
import vn.lantern.gateway.modbus.TestSlave;
import vn.lantern.gateway.store.NewReading;
import vn.lantern.testing.InfluxDbExtension;
import vn.lantern.testing.TestInflux;

/**
 * Modbus slaves → gateway → a real ingest node → InfluxDB, with the values and timestamps the
 * gateway collected compared exactly against what InfluxDB holds; and the same through an uplink
 * outage, with the node brought back on the same MQTT port and data directory.
 */
@ExtendWith(InfluxDbExtension.class)
class GatewayEndToEndTest {
  static final Duration TIMEOUT = Duration.ofSeconds(60);
  static final String ZONE = "kcn-test";

  static final Map<String, Double> WASTEWATER =
      Map.of(
          "ph", 7.22,
          "cod", 41.5,
          "tss", 22.75,
          "nh4", 1.52,
          "temperature", 28.3,
          "flow_in", 123.45,
          "flow_out", 120.02,
          "status", 0.0);
  static final Map<String, Double> ENERGY =
      Map.of(
          "voltage", 230.5,
          "current", 41.25,
          "power", 27.5,
          "energy", 123456.7,
          "pf", 0.915,
          "frequency", 50.02);

  @Test
  void relaysModbusAndLanReadingsExactly(TestInflux influx, @TempDir Path dir) throws Exception {
    String gw = "gw-e2e";
    Queue<NewReading> collected = new ConcurrentLinkedQueue<>();
    try (TestSlave ww = TestSlave.start(1);
        TestSlave em = TestSlave.start(3);
        TestNode node = TestNode.start(dir.resolve("node"), influx.url(), influx.database(), 0)) {
      ww.serve(RegisterMap.load("wastewater-analyser"), WASTEWATER);
      em.serve(RegisterMap.load("energy-meter"), ENERGY);
      node.registerGateway(
          ZONE,
          gw,
          gw + TestGateways.SECRET_SUFFIX,
          Map.of(gw + "-ww1", "wastewater", gw + "-em1", "energy", gw + "-aq1", "air_quality"));
      GatewayConfig config =
          TestGateways.config(
              gw,
              dir.resolve("gateway"),
              node.mqttUrl(),
              List.of(
                  TestGateways.device(gw + "-ww1", ww.endpoint(), 1, "wastewater-analyser"),
                  TestGateways.device(gw + "-em1", em.endpoint(), 3, "energy-meter")),
              new GatewayConfig.Lan(
                  true,
                  "127.0.0.1",
                  0,
                  List.of(new GatewayConfig.LanSensor(gw + "-aq1", "aq1-lan-secret"))),
              0);
      try (Gateway gateway = Gateway.start(config, collected::addAll)) {
        await(() -> polls(collected, gw + "-ww1") >= 5 && polls(collected, gw + "-em1") >= 5);
        long lanTs = System.currentTimeMillis() - 1234;
        publishLan(gateway.lanPort(), gw + "-aq1", "aq1-lan-secret", lanTs);
        stopPolling(ww, gateway, gw + "-ww1");
        stopPolling(em, gateway, gw + "-em1");
        await(() -> gateway.queue().depth() == 0);
      }
      assertStoredExactly(influx, "wastewater", gw + "-ww1", collected);
      assertStoredExactly(influx, "energy", gw + "-em1", collected);
      assertStoredExactly(influx, "air_quality", gw + "-aq1", collected);
    }
  }

  @Test
  void everyReadingTakenDuringAnOutageArrivesOnceInOrder(TestInflux influx, @TempDir Path dir)
      throws Exception {
    String gw = "gw-outage";
    Queue<NewReading> collected = new ConcurrentLinkedQueue<>();
    Path nodeDir = dir.resolve("node");
    try (TestSlave ww = TestSlave.start(1)) {
      ww.serve(RegisterMap.load("wastewater-analyser"), WASTEWATER);
      TestNode node = TestNode.start(nodeDir, influx.url(), influx.database(), 0);
      int mqttPort = node.mqttPort();
      node.registerGateway(
          ZONE, gw, gw + TestGateways.SECRET_SUFFIX, Map.of(gw + "-ww1", "wastewater"));
      GatewayConfig config =
          TestGateways.config(
              gw,
              dir.resolve("gateway"),
              node.mqttUrl(),
              List.of(TestGateways.device(gw + "-ww1", ww.endpoint(), 1, "wastewater-analyser")),
              null,
              0);
      try (Gateway gateway = Gateway.start(config, collected::addAll)) {
        await(() -> polls(collected, gw + "-ww1") >= 3 && gateway.queue().depth() == 0);
        node.close();
        int before = polls(collected, gw + "-ww1");
        await(() -> polls(collected, gw + "-ww1") >= before + 10);
        assertTrue(gateway.queue().depth() > 0, "readings wait in the queue during the outage");
        node = TestNode.start(nodeDir, influx.url(), influx.database(), mqttPort);
        stopPolling(ww, gateway, gw + "-ww1");
        await(() -> gateway.queue().depth() == 0);
      } finally {
        node.close();
      }
    }
    assertStoredExactly(influx, "wastewater", gw + "-ww1", collected);
  }

  @Test
  void readingsTheNodeRefusesAreSetAsideNotRetriedForever(TestInflux influx, @TempDir Path dir)
      throws Exception {
    String gw = "gw-refused";
    try (TestSlave ww = TestSlave.start(1);
        TestNode node = TestNode.start(dir.resolve("node"), influx.url(), influx.database(), 0)) {
      ww.serve(RegisterMap.load("wastewater-analyser"), WASTEWATER);
      // The device is not registered behind the gateway: the node answers 0x87 Not authorized.
      node.registerGateway(ZONE, gw, gw + TestGateways.SECRET_SUFFIX, Map.of());
      GatewayConfig config =
          TestGateways.config(
              gw,
              dir.resolve("gateway"),
              node.mqttUrl(),
              List.of(TestGateways.device(gw + "-stray", ww.endpoint(), 1, "wastewater-analyser")),
              null,
              0);
      Queue<NewReading> collected = new ConcurrentLinkedQueue<>();
      try (Gateway gateway = Gateway.start(config, collected::addAll)) {
        await(() -> polls(collected, gw + "-stray") >= 3);
        ww.stop();
        await(() -> gateway.queue().depth() == 0);
        String metrics = GatewayResilienceTest.scrape(gateway, "/metrics");
        assertEquals(
            collected.size(),
            GatewayResilienceTest.value(metrics, "gateway_queue_rejected_total"),
            metrics);
        assertEquals(0, GatewayResilienceTest.value(metrics, "gateway_queue_dropped_total"));
        assertEquals(List.of(), dashboardMetricsMissingFrom(metrics));
      }
    }
  }

  /** The gateway metrics the shipped Grafana dashboard queries that a scrape lacks. */
  private static List<String> dashboardMetricsMissingFrom(String scrape) throws Exception {
    String dashboard =
        Files.readString(Path.of("..", "deploy", "grafana", "dashboards", "lantern-overview.json"));
    Matcher m = Pattern.compile("\\bgateway_[a-z0-9_]+\\b").matcher(dashboard);
    List<String> missing = new ArrayList<>();
    while (m.find()) {
      if (!scrape.contains("\n" + m.group() + " ") && !scrape.contains("\n" + m.group() + "{")) {
        missing.add(m.group());
      }
    }
    return missing;
  }

  /** Number of distinct poll timestamps collected for a device. */
  static int polls(Queue<NewReading> collected, String device) {
    return (int)
        collected.stream()
            .filter(r -> r.device().equals(device))
            .map(NewReading::timestampMs)
            .distinct()
            .count();
  }

  /**
   * Every collected reading of the device is in InfluxDB with its exact value and timestamp, each
   * timestamp exactly once, in the order collected.
   */
  static void assertStoredExactly(
      TestInflux influx, String measurement, String device, Queue<NewReading> collected) {
    TreeMap<Long, Map<String, Double>> expected = new TreeMap<>();
    List<Long> order = new ArrayList<>();
    for (NewReading r : collected) {
      if (r.device().equals(device)) {
        if (!expected.containsKey(r.timestampMs())) {
          order.add(r.timestampMs());
        }
        expected.computeIfAbsent(r.timestampMs(), t -> new TreeMap<>()).put(r.metric(), r.value());
      }
    }
    assertTrue(!expected.isEmpty(), "collected nothing for " + device);
    List<Long> sorted = new ArrayList<>(order);
    sorted.sort(null);
    assertEquals(sorted, order, "collected in time order");
    List<Map<String, Object>> rows =
        influx.awaitRows(
            "SELECT * FROM \"" + measurement + "\" WHERE \"device\" = '" + device + "'",
            expected.size(),
            TIMEOUT);
    assertEquals(expected.size(), rows.size(), "one point per poll, no duplicates or losses");
    List<Long> stored = rows.stream().map(r -> ((Number) r.get("time")).longValue()).toList();
    assertEquals(order, stored, "stored in order with exact timestamps");
    for (Map<String, Object> row : rows) {
      Map<String, Double> want = expected.get(((Number) row.get("time")).longValue());
      Map<String, Double> got =
          want.keySet().stream()
              .collect(
                  Collectors.toMap(
                      m -> m, m -> ((Number) row.get(m)).doubleValue(), (a, b) -> a, TreeMap::new));
      assertEquals(want, got, "values at " + row.get("time"));
      assertEquals(ZONE, row.get("zone"));
    }
  }

  static void publishLan(int port, String sensor, String secret, long ts) throws Exception {
    MqttClient client =
        new MqttClient("tcp://127.0.0.1:" + port, sensor + "-test", new MemoryPersistence());
    MqttConnectOptions options = new MqttConnectOptions();
    options.setUserName(sensor);
    options.setPassword(secret.toCharArray());
    options.setCleanSession(true);
    client.connect(options);
    MqttMessage message =
        new MqttMessage(
            ("{\"ts\":" + ts + ",\"m\":{\"pm25\":35.2,\"pm10\":61}}")
                .getBytes(StandardCharsets.UTF_8));
    message.setQos(1);
    client.publish("telemetry", message); // returns after the gateway's PUBACK
    client.disconnect();
    client.close();
  }

  /**
   * Stops a device's Modbus slave and waits until the gateway has failed a poll of it. A device's
   * polls run one after another, so from then on its collected readings are final: each was queued
   * before that failed poll, and no more follow. Once the queue is empty they must all be stored.
   * Without the wait, a poll answered just before the stop, or one taken while a test checks the
   * queue's depth, is collected after the check and may still be queued when the gateway closes.
   */
  static void stopPolling(TestSlave slave, Gateway gateway, String device)
      throws InterruptedException {
    slave.stop();
    double failed = failedPolls(gateway, device);
    await(() -> failedPolls(gateway, device) > failed);
  }

  private static double failedPolls(Gateway gateway, String device) {
    Matcher m =
        Pattern.compile(
                "(?m)^gateway_poll_errors_total\\{device=\""
                    + Pattern.quote(device)
                    + "\",kind=\"[a-z]+\"} ([0-9.eE+-]+)$")
            .matcher(GatewayResilienceTest.scrape(gateway, "/metrics"));
    double failed = 0;
    while (m.find()) {
      failed += Double.parseDouble(m.group(1));
    }
    return failed;
  }

  static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within " + TIMEOUT);
      }
      Thread.sleep(50);
    }
  }
}
