package vn.lantern.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import vn.lantern.deploy.testing.TestNode;
import vn.lantern.testing.InfluxDbExtension;
import vn.lantern.testing.TestInflux;

/**
 * Every metric the shipped Grafana dashboard queries exists on a running node (the gateway's own
 * metrics are checked on a running gateway, in the gateway module), with JVM, process and build
 * info meters.
 */
@ExtendWith(InfluxDbExtension.class)
class DashboardMetricsTest {
  static final Path DASHBOARD = Path.of("grafana", "dashboards", "lantern-overview.json");
  private static final Pattern METRIC =
      Pattern.compile("\\b(?:lantern|gateway|jvm|process|system)_[a-z0-9_]+\\b");

  @TempDir Path dataDir;

  @Test
  void everyQueriedNodeMetricIsExposed(TestInflux influx) throws Exception {
    Set<String> queried = queriedMetrics(DASHBOARD);
    assertTrue(queried.size() >= 10, queried.toString());
    try (TestNode node = TestNode.builder(dataDir, influx).start()) {
      expectCreated(
          node.http(
              "PUT",
              "/api/v1/devices/dash-hoian-wl",
              new JsonObject(
                  "{\"type\":\"water_level\",\"zone\":\"hoi-an\",\"site\":\"Hoi An\","
                      + "\"secret\":\"dashboard-test-secret-0123456789\"}")));
      publishOne(node);
      failOneLogin(node);
      String scrape = node.http("GET", "/metrics", null).body();
      Set<String> exposed = exposedNames(scrape);
      List<String> missing =
          queried.stream()
              .filter(name -> !name.startsWith("gateway_"))
              .filter(name -> !exposed.contains(name))
              .toList();
      assertEquals(List.of(), missing, "metrics the dashboard queries but the node lacks");
      assertTrue(
          scrape.contains("lantern_build_info{commit=\""), "build info with version and commit");
    }
  }

  /** Metric names in the dashboard's PromQL expressions. */
  static Set<String> queriedMetrics(Path dashboard) throws Exception {
    Set<String> names = new TreeSet<>();
    for (JsonNode panel : new ObjectMapper().readTree(Files.readString(dashboard)).get("panels")) {
      for (JsonNode target : panel.get("targets")) {
        Matcher m = METRIC.matcher(target.get("expr").asText());
        while (m.find()) {
          names.add(m.group());
        }
      }
    }
    return names;
  }

  /** Sample names of a Prometheus text scrape. */
  static Set<String> exposedNames(String scrape) {
    Set<String> names = new TreeSet<>();
    scrape
        .lines()
        .filter(line -> !line.isBlank() && !line.startsWith("#"))
        .forEach(line -> names.add(line.split("[{ ]", 2)[0]));
    return names;
  }

  /** One refused CONNECT, so the per-protocol authentication failure counter exists. */
  private static void failOneLogin(TestNode node) throws Exception {
    MqttClient client =
        new MqttClient(
            "tcp://127.0.0.1:" + node.mqttPort(), "dash-intruder", new MemoryPersistence());
    MqttConnectOptions options = new MqttConnectOptions();
    options.setUserName("dash-hoian-wl");
    options.setPassword("not-the-secret".toCharArray());
    try {
      assertThrows(MqttException.class, () -> client.connect(options));
    } finally {
      client.close();
    }
  }

  /** One acknowledged QoS 1 reading, so the per-protocol meters exist. */
  private static void publishOne(TestNode node) throws Exception {
    MqttClient client =
        new MqttClient(
            "tcp://127.0.0.1:" + node.mqttPort(), "dash-hoian-wl", new MemoryPersistence());
    MqttConnectOptions options = new MqttConnectOptions();
    options.setUserName("dash-hoian-wl");
    options.setPassword("dashboard-test-secret-0123456789".toCharArray());
    client.connect(options);
    try {
      client.publish("telemetry", "{\"m\":{\"level\":1.2}}".getBytes(), 1, false);
    } finally {
      client.disconnect();
      client.close();
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!node.http("GET", "/metrics", null)
            .body()
            .contains("lantern_ingest_ack_duration_seconds_count")
        && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
  }

  private static void expectCreated(TestNode.Response response) {
    assertEquals(201, response.status(), response.body());
  }
}
