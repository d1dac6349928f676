package vn.lantern.ingest.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
 * An outside client, Mosquitto's {@code mosquitto_pub}, publishes QoS 1 readings over MQTT 3.1.1
 * and 5; it exits 0 only after the node's PUBACK, and the points are in InfluxDB.
 */
@ExtendWith(InfluxDbExtension.class)
class MosquittoPubTest {
  private static final Duration AWAIT = Duration.ofSeconds(20);
  private static final String SECRET = "s3cret-for-tests-only";

  @TempDir static Path dataDir;
  private static TestNode node;
  private static TestInflux influx;
  private static Path mosquittoPub;

  @BeforeAll
  static void startNode(TestInflux testInflux) throws Exception {
    mosquittoPub =
        findOnPath("mosquitto_pub")
            .orElseGet(
                () ->
                    fail(
                        "mosquitto_pub not found on PATH: install it (Debian/Ubuntu: sudo apt-get"
                            + " install mosquitto-clients), or run ./lantern test, which does"));
    influx = testInflux;
    node =
        TestNode.builder(dataDir, influx.url(), influx.database())
            .set("rules.seedRulePacks", false)
            .start();
    node.register("energy-kcn-v311", "energy", "kcn-dien-nam-dien-ngoc", "Nhà máy số 1", SECRET);
    node.register("energy-kcn-v5", "energy", "kcn-dien-nam-dien-ngoc", "Nhà máy số 2", SECRET);
  }

  @AfterAll
  static void stopNode() throws Exception {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void mqtt311() throws Exception {
    publishAndAssertStored("energy-kcn-v311", List.of("-V", "mqttv311"), "Nhà máy số 1");
  }

  @Test
  void mqtt5() throws Exception {
    publishAndAssertStored("energy-kcn-v5", List.of("-V", "mqttv5"), "Nhà máy số 2");
  }

  private static void publishAndAssertStored(String device, List<String> version, String site)
      throws Exception {
    long ts = System.currentTimeMillis() - 20_000;
    List<String> command = new ArrayList<>();
    command.add(mosquittoPub.toString());
    command.addAll(version);
    command.addAll(
        List.of(
            "-h",
            "127.0.0.1",
            "-p",
            String.valueOf(node.mqttPort()),
            "-i",
            device + "-pub",
            "-u",
            device,
            "-P",
            SECRET,
            "-q",
            "1",
            "-t",
            "telemetry",
            "-m",
            MqttTestClients.lanternJson(ts, "{\"power_kw\":412.5,\"energy_kwh\":10230}")));
    String output = run(command);

    List<Map<String, Object>> rows =
        influx.awaitRows("SELECT * FROM energy WHERE device = '" + device + "'", 1, AWAIT);
    MqttIngestTest.assertPoint(
        rows.get(0),
        ts,
        "kcn-dien-nam-dien-ngoc",
        site,
        device,
        Map.of("power_kw", 412.5, "energy_kwh", 10230.0));
    assertEquals(1, rows.size(), output);
  }

  /** Runs a command to completion and returns its output; fails on a non-zero exit. */
  private static String run(List<String> command) throws IOException, InterruptedException {
    Path log = Files.createTempFile(dataDir, "mosquitto_pub", ".log");
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    boolean exited = process.waitFor(30, TimeUnit.SECONDS);
    if (!exited) {
      process.destroyForcibly();
    }
    String output = Files.readString(log, StandardCharsets.UTF_8);
    assertTrue(exited, () -> "mosquitto_pub did not finish: " + output);
    assertEquals(0, process.exitValue(), () -> "mosquitto_pub failed: " + output);
    return output;
  }

  private static java.util.Optional<Path> findOnPath(String name) {
    String path = System.getenv("PATH");
    return path == null
        ? java.util.Optional.empty()
        : Stream.of(path.split(File.pathSeparator))
            .filter(entry -> !entry.isEmpty())
            .map(entry -> Path.of(entry, name))
            .filter(Files::isExecutable)
            .findFirst();
  }
}
