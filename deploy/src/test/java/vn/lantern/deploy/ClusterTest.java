package vn.lantern.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.lantern.deploy.kafka.KafkaTelemetryBus;

/**
 * The whole scale-out topology as separate processes on loopback, started by {@code ./lantern
 * cluster up} itself ({@code deploy/cluster.sh}): a real Kafka broker (KRaft, its own JVM),
 * PostgreSQL, InfluxDB, 2 ingest and 2 rules nodes. The nodes and the broker run from this test's
 * class path instead of the shaded jar, which the {@code test} phase has not built yet.
 *
 * <p>Devices publish through both ingest nodes and every acknowledged reading is stored exactly
 * once; a device deleted through one ingest node is refused by the other; the rules node owning a
 * zone with a firing alert is killed with {@code kill -9}: the other node takes the zone over, each
 * expected alert exists exactly once, and the absence alerts of the zone still fire.
 */
class ClusterTest {
  private static final int PARTITIONS = 6; // the cluster broker's num.partitions
  private static final int READINGS = 8;
  private static final List<String> SEEDED_ZONES =
      List.of(
          "tam-ky",
          "hoi-an",
          "dien-ban",
          "kcn-dien-nam-dien-ngoc",
          "kcn-thuan-yen",
          "kcn-tam-thang",
          "kcn-bac-chu-lai",
          "kcn-tam-hiep");

  private static Path dir;
  private static Map<String, String> env;
  private static final Map<String, String> state = new HashMap<>();
  private static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void up() throws Exception {
    ShellRun.require("influxd", "influxdb");
    ShellRun.require("curl", "curl");
    dir = Files.createTempDirectory("lantern-cluster-test-");
    // PostgreSQL runs as its own user under root and must reach its directory
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    String classPath = System.getProperty("java.class.path");
    env =
        Map.ofEntries(
            Map.entry("LANTERN_CLUSTER_DIR", dir.resolve("cluster").toString()),
            Map.entry("LANTERN_NODE_CLASSPATH", classPath),
            Map.entry("LANTERN_KAFKA_CLASSPATH", classPath),
            Map.entry("LANTERN_DIRECTORY_REFRESH_MS", "500"),
            Map.entry("LANTERN_RULES_TICK_MS", "200"),
            // the shipped rule packs would raise never-reported alerts for the test's devices
            Map.entry("LANTERN_RULES_SEED_PACKS", "false"),
            // a bound for a loaded machine; a quiet one starts a node in seconds
            Map.entry("LANTERN_CLUSTER_WAIT_S", "400"));
    try {
      ShellRun.run(List.of("deploy/cluster.sh", "up"), env, Duration.ofMinutes(10));
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "\n" + nodeLogs(), e);
    }
    for (String line : Files.readAllLines(dir.resolve("cluster/cluster.env"))) {
      int eq = line.indexOf('=');
      state.put(line.substring(0, eq), line.substring(eq + 1));
    }
  }

  @AfterAll
  static void down() throws Exception {
    if (env != null) {
      ShellRun.run(List.of("deploy/cluster.sh", "down"), env, Duration.ofMinutes(2));
    }
  }

  @Test
  void readingsAreStoredOnceDeletionsReachEveryNodeAndAKilledRulesNodesZonesMove()
      throws Exception {
    String rules1 = state.get("RULES_1");
    String rules2 = state.get("RULES_2");
    String status = ShellRun.run(List.of("deploy/cluster.sh", "status"), env);
    for (String name : List.of("kafka", "postgres", "influxdb", "ingest-2", "rules-2")) {
      assertTrue(status.contains(name + ": running"), status);
    }
    waitUntil(
        () ->
            owned(rules1).size() + owned(rules2).size() == PARTITIONS
                && !owned(rules1).isEmpty()
                && !owned(rules2).isEmpty(),
        "the two rules nodes share the partitions");

    // the victim owns hoi-an; the other zone is the survivor's when a seeded zone is
    String victim = owned(rules1).contains(partition("hoi-an")) ? rules1 : rules2;
    String survivor = victim.equals(rules1) ? rules2 : rules1;
    Set<Integer> survivors = owned(survivor);
    String other =
        SEEDED_ZONES.stream()
            .filter(z -> survivors.contains(partition(z)))
            .findFirst()
            .orElse("tam-ky");
    List<String> zones = List.of("hoi-an", other);
    String spare = SEEDED_ZONES.stream().filter(z -> !zones.contains(z)).findFirst().orElseThrow();

    String ingest1 = httpOf("INGEST_1");
    for (String zone : zones) {
      register(ingest1, "wl-" + zone, zone);
      createRule(rules1, zone, "high", threshold());
      createRule(rules1, zone, "silent", new JsonObject().put("type", "absence").put("for", "25s"));
    }
    waitUntil(
        () ->
            get(rules2, "/api/v1/rules").getJsonArray("items").stream()
                    .filter(r -> ((JsonObject) r).getString("name").matches("(high|silent) .*"))
                    .count()
                == 4,
        "rules saved through rules-1 reach rules-2");

    // every reading is acknowledged by one of the two ingest nodes, alternately
    long t0 = System.currentTimeMillis() - READINGS * 1000L;
    for (int i = 0; i < READINGS; i++) {
      for (String zone : zones) {
        publish(mqttOf(i % 2 == 0 ? "INGEST_1" : "INGEST_2"), "wl-" + zone, t0 + i * 1000L, 2.5);
      }
    }
    waitUntil(() -> firing("high").size() == 2, "each zone raises its threshold alert");

    // acknowledged through the node that does not evaluate hoi-an: its owner makes the change
    String hoiAnAlert =
        firing("high").stream()
            .map(JsonObject.class::cast)
            .filter(a -> "hoi-an".equals(a.getString("zone")))
            .findFirst()
            .orElseThrow()
            .getString("id");
    HttpResponse<String> acked =
        send(
            survivor,
            "POST",
            "/api/v1/alerts/" + hoiAnAlert + "/ack",
            new JsonObject().put("comment", "on site"));
    assertEquals(200, acked.statusCode(), acked.body());
    assertEquals(
        "acknowledged", get(victim, "/api/v1/alerts/" + hoiAnAlert).getString("state"), "owner");

    // kill -9 the rules node of hoi-an while its alert is open and its absence deadline ahead
    long pid =
        Long.parseLong(Files.readString(dir.resolve("cluster/" + nameOf(victim) + "/pid")).trim());
    ProcessHandle.of(pid).orElseThrow().destroyForcibly();
    waitUntil(() -> owned(survivor).size() == PARTITIONS, "the survivor owns every partition");
    waitUntil(() -> firing("silent").size() == 2, "both zones' absence alerts fire");
    Thread.sleep(2_000);
    // hoi-an's threshold alert was taken over acknowledged, not raised again
    assertEquals(1, firing("high").size(), firing("high").encodePrettily());
    JsonArray acknowledged = alerts("high", "acknowledged");
    assertEquals(1, acknowledged.size(), acknowledged.encodePrettily());
    assertEquals(hoiAnAlert, acknowledged.getJsonObject(0).getString("id"));
    assertEquals(2, firing("silent").size(), firing("silent").encodePrettily());
    for (String zone : zones) {
      for (String rule : List.of("high", "silent")) {
        JsonArray open = firing(rule).copy().addAll(alerts(rule, "acknowledged"));
        assertEquals(
            1,
            open.stream().filter(a -> zone.equals(((JsonObject) a).getString("zone"))).count(),
            rule + " " + zone);
      }
    }

    // every acknowledged reading stored exactly once, whichever node took it
    for (String zone : zones) {
      waitUntil(() -> storedReadings("wl-" + zone) >= READINGS, "the writers store wl-" + zone);
      assertEquals(READINGS, storedReadings("wl-" + zone), "wl-" + zone);
    }

    // deleted through ingest-1, refused by ingest-2 within seconds
    String doomed = "wl-doomed";
    register(ingest1, doomed, spare);
    publish(mqttOf("INGEST_2"), doomed, System.currentTimeMillis(), 1.0);
    assertEquals(204, send(ingest1, "DELETE", "/api/v1/devices/" + doomed, null).statusCode());
    waitUntil(
        () -> {
          try {
            publish(mqttOf("INGEST_2"), doomed, System.currentTimeMillis(), 1.0);
            return false;
          } catch (MqttException refused) {
            return true;
          } catch (Exception e) {
            throw new AssertionError(e);
          }
        },
        "ingest-2 refuses the device deleted through ingest-1");
    assertThrows(
        MqttException.class,
        () -> publish(mqttOf("INGEST_2"), doomed, System.currentTimeMillis(), 1.0));
  }

  private static int partition(String zone) {
    return KafkaTelemetryBus.partitionOf(zone, PARTITIONS);
  }

  private static String nameOf(String rulesUrl) {
    return rulesUrl.equals(state.get("RULES_1")) ? "rules-1" : "rules-2";
  }

  private static Set<Integer> owned(String rulesUrl) {
    try {
      JsonArray owned = get(rulesUrl, "/health").getJsonObject("kafka").getJsonArray("owned");
      return owned == null ? Set.of() : Set.copyOf(owned.stream().map(o -> (Integer) o).toList());
    } catch (RuntimeException e) {
      return Set.of(); // a killed node
    }
  }

  private static String httpOf(String key) {
    return state.get(key).split(" ")[0];
  }

  private static int mqttOf(String key) {
    String mqtt = state.get(key).split(" ")[1];
    return Integer.parseInt(mqtt.substring(mqtt.lastIndexOf(':') + 1));
  }

  private static String secretOf(String device) {
    return "secret-of-" + device + "-0123456789";
  }

  private static void register(String ingest, String device, String zone) throws Exception {
    HttpResponse<String> created =
        send(
            ingest,
            "POST",
            "/api/v1/devices",
            new JsonObject()
                .put("id", device)
                .put("type", "water_level")
                .put("zone", zone)
                .put("site", "Trạm " + zone)
                .put("secret", secretOf(device)));
    assertEquals(201, created.statusCode(), created.body());
  }

  private static JsonObject threshold() {
    return new JsonObject()
        .put("type", "threshold")
        .put("op", ">")
        .put("value", 1.5)
        .put("for", "0s")
        .put("clear", 1.4);
  }

  private static void createRule(String rules, String zone, String name, JsonObject condition)
      throws Exception {
    HttpResponse<String> created =
        send(
            rules,
            "POST",
            "/api/v1/rules",
            new JsonObject()
                .put("name", name + " " + zone)
                .put("scope", new JsonObject().put("zone", zone).put("type", "water_level"))
                .put("metric", "level")
                .put("condition", condition)
                .put("severity", "warning")
                .put("channels", new JsonArray())
                .put("enabled", true));
    assertEquals(201, created.statusCode(), created.body());
  }

  /** Firing alerts of the rules named {@code name …}, from the shared store via a live node. */
  private static JsonArray firing(String name) {
    return alerts(name, "firing");
  }

  /** Alerts in {@code state} of the rules named {@code name …}, via a live node. */
  private static JsonArray alerts(String name, String alertState) {
    JsonArray all = null;
    for (String rules : List.of(state.get("RULES_1"), state.get("RULES_2"))) {
      try {
        all = get(rules, "/api/v1/alerts?state=" + alertState).getJsonArray("items");
        break;
      } catch (RuntimeException killed) {
        // the other node answers
      }
    }
    if (all == null) {
      throw new AssertionError("no rules node answers");
    }
    return new JsonArray(
        all.stream()
            .filter(a -> ((JsonObject) a).getString("ruleName", "").startsWith(name + " "))
            .toList());
  }

  private static long storedReadings(String device) {
    String query =
        "SELECT count(\"level\") FROM \"water_level\" WHERE \"device\" = '" + device + "'";
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(
                      URI.create(
                          state.get("INFLUX")
                              + "/query?db=lantern&q="
                              + URLEncoder.encode(query, StandardCharsets.UTF_8)))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      JsonObject result = new JsonObject(response.body()).getJsonArray("results").getJsonObject(0);
      JsonArray series = result.getJsonArray("series");
      return series == null
          ? 0
          : series.getJsonObject(0).getJsonArray("values").getJsonArray(0).getLong(1);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static void publish(int port, String device, long ts, double level) throws Exception {
    MqttClient client =
        new MqttClient("tcp://127.0.0.1:" + port, device + "-" + ts, new MemoryPersistence());
    MqttConnectOptions options = new MqttConnectOptions();
    options.setUserName(device);
    options.setPassword(secretOf(device).toCharArray());
    options.setConnectionTimeout(30);
    client.setTimeToWait(30_000);
    client.connect(options);
    try {
      // returns on PUBACK: Kafka (acks=all) has the reading
      client.publish(
          "telemetry",
          new JsonObject()
              .put("ts", ts)
              .put("m", new JsonObject().put("level", level))
              .encode()
              .getBytes(StandardCharsets.UTF_8),
          1,
          false);
    } finally {
      client.disconnect();
      client.close();
    }
  }

  private static JsonObject get(String base, String path) {
    try {
      HttpResponse<String> response = send(base, "GET", path, null);
      return new JsonObject(response.body());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static HttpResponse<String> send(String base, String method, String path, JsonObject body)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + state.get("TOKEN"))
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body.encode()));
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The tail of every node's log, to tell why the cluster did not come up. */
  private static String nodeLogs() {
    StringBuilder logs = new StringBuilder();
    try (Stream<Path> files = Files.walk(dir)) {
      // the servers' own logs, not Kafka's data segments
      for (Path log :
          files
              .filter(f -> f.toString().endsWith(".log") && !f.toString().contains("/data/"))
              .toList()) {
        List<String> lines =
            Files.readAllLines(log, StandardCharsets.ISO_8859_1).stream()
                .filter(l -> !l.startsWith("\tat ") && !l.contains("BlockedThreadChecker"))
                .toList();
        logs.append("== ").append(dir.relativize(log)).append('\n');
        new ArrayList<>(lines.subList(Math.max(0, lines.size() - 15), lines.size()))
            .forEach(l -> logs.append(l).append('\n'));
      }
    } catch (Exception e) {
      logs.append("(logs unreadable: ").append(e).append(")");
    }
    return logs.toString();
  }

  private static void waitUntil(BooleanSupplier condition, String what)
      throws InterruptedException {
    long deadline = System.currentTimeMillis() + 180_000;
    while (!condition.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.sleep(250);
    }
  }
}
