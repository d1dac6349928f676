package vn.lantern.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import vn.lantern.common.modbus.RegisterMap;
import vn.lantern.gateway.modbus.TestSlave;
import vn.lantern.testing.InfluxDbExtension;
import vn.lantern.testing.TestInflux;

/**
 * The gateway as its own JVM, killed with SIGKILL while the uplink is down and started again: every
 * reading that was in its queue at the kill reaches InfluxDB once the node is back.
 */
@ExtendWith(InfluxDbExtension.class)
class GatewayKillTest {

  @Test
  void nothingQueuedIsLostWhenKilledDuringAnOutage(TestInflux influx, @TempDir Path dir)
      throws Exception {
    String gw = "gw-kill";
    Path nodeDir = dir.resolve("node");
    Path dataDir = dir.resolve("gateway");
    try (TestSlave ww = TestSlave.start(1)) {
      ww.serve(RegisterMap.load("wastewater-analyser"), GatewayEndToEndTest.WASTEWATER);
      int mqttPort;
      try (TestNode node = TestNode.start(nodeDir, influx.url(), influx.database(), 0)) {
        mqttPort = node.mqttPort();
        node.registerGateway(
            GatewayEndToEndTest.ZONE,
            gw,
            gw + TestGateways.SECRET_SUFFIX,
            Map.of(gw + "-ww1", "wastewater"));
      }
      // The node is down: the gateway only queues.
      Path config = dir.resolve("gateway.yaml");
      Files.writeString(
          config,
          String.join(
              "\n",
              "id: " + gw,
              "secret: " + gw + TestGateways.SECRET_SUFFIX,
              "dataDir: '" + dataDir + "'",
              "http: {host: 127.0.0.1, port: 0}",
              "uplink: {url: 'tcp://127.0.0.1:"
                  + mqttPort
                  + "', minBackoffMs: 100,"
                  + " maxBackoffMs: 500, ackTimeoutMs: 3000}",
              "modbus:",
              "  - {id: "
                  + gw
                  + "-ww1, endpoint: '"
                  + ww.endpoint()
                  + "', unitId: 1,"
                  + " map: wastewater-analyser, pollIntervalMs: 100, timeoutMs: 500}",
              ""));
      Process first = startGateway(config, dir.resolve("first.log"));
      try {
        GatewayEndToEndTest.await(() -> queued(dataDir).size() >= 10);
      } finally {
        first.destroyForcibly(); // SIGKILL on Linux
        first.waitFor(30, TimeUnit.SECONDS);
      }
      Map<Long, Map<String, Double>> atKill = queued(dataDir);
      assertTrue(atKill.size() >= 10, "polls queued before the kill: " + atKill.size());

      TestNode node = TestNode.start(nodeDir, influx.url(), influx.database(), mqttPort);
      Process second = startGateway(config, dir.resolve("second.log"));
      try {
        GatewayEndToEndTest.await(
            () -> stored(influx, gw + "-ww1").entrySet().containsAll(atKill.entrySet()));
      } finally {
        second.destroy();
        second.waitFor(30, TimeUnit.SECONDS);
        node.close();
      }
      Map<Long, Map<String, Double>> stored = stored(influx, gw + "-ww1");
      atKill.forEach((ts, values) -> assertEquals(values, stored.get(ts), "values at " + ts));
    }
  }

  private static Process startGateway(Path config, Path log) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>();
    command.add(java);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("vn.lantern.gateway.GatewayMain");
    command.add("--config");
    command.add(config.toString());
    File out = log.toFile();
    return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out).start();
  }

  /** The readings in the gateway's queue file, read with plain SQLite: poll time → values. */
  private static Map<Long, Map<String, Double>> queued(Path dataDir) {
    Map<Long, Map<String, Double>> out = new TreeMap<>();
    Path file = dataDir.resolve("queue.db");
    if (!Files.exists(file)) {
      return out;
    }
    try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement st = db.createStatement();
        ResultSet rs = st.executeQuery("SELECT ts, metric, value FROM readings")) {
      while (rs.next()) {
        out.computeIfAbsent(rs.getLong(1), t -> new TreeMap<>())
            .put(rs.getString(2), rs.getDouble(3));
      }
    } catch (SQLException e) {
      return new TreeMap<>(); // not created yet
    }
    return out;
  }

  private static Map<Long, Map<String, Double>> stored(TestInflux influx, String device) {
    Map<Long, Map<String, Double>> out = new TreeMap<>();
    for (Map<String, Object> row :
        influx.query("SELECT * FROM wastewater WHERE \"device\" = '" + device + "'")) {
      Map<String, Double> values = new TreeMap<>();
      // A poll split across two messages shows up field by field: take what is there.
      GatewayEndToEndTest.WASTEWATER.keySet().stream()
          .filter(m -> row.get(m) != null)
          .forEach(m -> values.put(m, ((Number) row.get(m)).doubleValue()));
      out.put(((Number) row.get("time")).longValue(), values);
    }
    return out;
  }
}
