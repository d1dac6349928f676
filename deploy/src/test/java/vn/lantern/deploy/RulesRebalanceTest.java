package vn.lantern.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static vn.lantern.deploy.ScaleOutCluster.await;
import static vn.lantern.deploy.ScaleOutCluster.expect;
import static vn.lantern.deploy.ScaleOutCluster.waitUntil;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import vn.lantern.deploy.kafka.KafkaTelemetryBus;
import vn.lantern.ioc.kpi.KpiConfig;
import vn.lantern.testing.InfluxDbExtension;
import vn.lantern.testing.TestInflux;

/**
 * Two rules nodes in one consumer group over a real Kafka broker, sharing a real PostgreSQL store
 * and InfluxDB, each owning one partition of zones. An alert is acknowledged and resolved through
 * the node that does not own its zone, as through its owner. When one node leaves, its zone moves
 * to the other: the alerts it had raised are taken over (not raised again), the zone's KPIs are
 * published at once, and the absence deadline of its zone's device counts from the device's last
 * stored reading, so the absence alert still fires, once.
 */
@ExtendWith(InfluxDbExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RulesRebalanceTest {

  @TempDir static Path dataDir;
  private static TestInflux influx;
  private static ScaleOutCluster cluster;
  private static IngestRoleNode ingest;
  private static RulesRoleNode first;
  private static RulesRoleNode second;
  private static final List<String> ZONES = zonesOnBothPartitions();

  @BeforeAll
  static void start(TestInflux testInflux) throws Exception {
    influx = testInflux;
    cluster = ScaleOutCluster.start("rebalance", dataDir, influx);
    ingest = cluster.ingest();
    startBothRulesNodes();
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      cluster.close(second, first);
    }
  }

  /**
   * Registers a device in each of four zones (two per partition), starts both rules nodes and saves
   * the rules through the first: those of the first pair of zones for the rebalance, those of the
   * second pair for alert changes through either node.
   */
  private static void startBothRulesNodes() throws Exception {
    for (String zone : ZONES) {
      cluster.registerDevice("wl-" + zone, zone);
    }
    first = await(cluster.startRules("rules-1", TICK_MS, KpiConfig.defaults()));
    for (String zone : ZONES.subList(0, 2)) {
      createRule(first.httpPort(), zone, "high", threshold());
      createRule(first.httpPort(), zone, "silent", absence());
    }
    for (String zone : ZONES.subList(2, 4)) {
      createRule(first.httpPort(), zone, "limit", threshold());
    }
    second = await(cluster.startRules("rules-2", TICK_MS, KpiConfig.defaults()));
    waitUntil(
        () -> first.bus().assignedPartitions() == 1 && second.bus().assignedPartitions() == 1,
        "each rules node owns one partition");
    waitUntil(
        () -> cluster.items(second.httpPort(), "/api/v1/rules").size() == 6,
        "the second node holds the rules saved through the first");
  }

  /**
   * A load-balanced API: an alert is acknowledged and resolved through the rules node that does not
   * evaluate its zone, with the answers a single node gives; the owner's own state follows, so it
   * neither raises the alert again nor resolves it a second time, and each change is recorded,
   * audited and written to InfluxDB once.
   */
  @Test
  @Order(1)
  void anAlertIsAcknowledgedAndResolvedThroughTheNodeThatDoesNotOwnItsZone() throws Exception {
    String acked = ZONES.get(2);
    String resolved = ZONES.get(3);
    publish("wl-" + acked, 2.5);
    publish("wl-" + resolved, 2.5);
    waitUntil(() -> open("limit").size() == 2, "each zone's owner raises its alert");
    JsonObject ackedAlert = alertOf(open("limit"), acked);
    JsonObject resolvedAlert = alertOf(open("limit"), resolved);

    // acknowledge through the node that does not own the zone
    RulesRoleNode ackOwner = ownerOf(acked);
    RulesRoleNode ackOther = ackOwner == first ? second : first;
    String ackId = ackedAlert.getString("id");
    JsonObject answer =
        expect(
                200,
                cluster.call(
                    ackOther.httpPort(),
                    HttpMethod.POST,
                    "/api/v1/alerts/" + ackId + "/ack",
                    new JsonObject().put("comment", "on my way")))
            .bodyAsJsonObject();
    assertEquals("acknowledged", answer.getString("state"), answer.encode());
    assertEquals("on my way", answer.getString("ackComment"));
    // the owner answers from its own memory, the other node from the store: both agree
    for (RulesRoleNode node : List.of(ackOwner, ackOther)) {
      JsonObject seen = alert(node, ackId);
      assertEquals("acknowledged", seen.getString("state"), seen.encode());
      assertEquals(answer.getString("ackedBy"), seen.getString("ackedBy"));
    }
    // acknowledging again changes nothing, as on one node
    expect(
        200,
        cluster.call(
            ackOther.httpPort(), HttpMethod.POST, "/api/v1/alerts/" + ackId + "/ack", null));

    // resolve through the node that does not own the zone
    RulesRoleNode resolveOwner = ownerOf(resolved);
    RulesRoleNode resolveOther = resolveOwner == first ? second : first;
    String resolveId = resolvedAlert.getString("id");
    JsonObject resolvedAnswer =
        expect(
                200,
                cluster.call(
                    resolveOther.httpPort(),
                    HttpMethod.POST,
                    "/api/v1/alerts/" + resolveId + "/resolve",
                    new JsonObject().put("comment", "sensor cleaned")))
            .bodyAsJsonObject();
    assertEquals("resolved", resolvedAnswer.getString("state"), resolvedAnswer.encode());
    for (RulesRoleNode node : List.of(resolveOwner, resolveOther)) {
      assertEquals("resolved", alert(node, resolveId).getString("state"));
    }
    // the answers of one node: resolved is 409, unknown is 404
    expect(
        409,
        cluster.call(
            resolveOther.httpPort(),
            HttpMethod.POST,
            "/api/v1/alerts/" + resolveId + "/resolve",
            null));
    expect(
        409,
        cluster.call(
            resolveOther.httpPort(),
            HttpMethod.POST,
            "/api/v1/alerts/" + resolveId + "/ack",
            null));
    expect(
        404,
        cluster.call(
            resolveOther.httpPort(), HttpMethod.POST, "/api/v1/alerts/no-such-alert/ack", null));

    // the owners go on: the resolved zone's condition clears, the acknowledged one still holds
    publish("wl-" + resolved, 1.0);
    publish("wl-" + acked, 2.7);
    waitUntil(
        () -> stored("wl-" + acked, "wl-" + resolved) == 4, "the writer group stores the readings");
    Thread.sleep(5 * TICK_MS);
    assertEquals(
        List.of("fired", "acknowledged"), transitions(ackOther, ackId), "acknowledged once");
    assertEquals(
        List.of("fired", "resolved"),
        transitions(ackOther, resolveId),
        "resolved once: the owner did not resolve it again when its condition cleared");
    List<Object> stillOpen = open("limit");
    assertEquals(1, stillOpen.size(), "no alert raised again: " + stillOpen);
    assertEquals(ackId, ((JsonObject) stillOpen.get(0)).getString("id"));
    assertEquals("acknowledged", alert(ackOwner, ackId).getString("state"));
    assertEquals(
        2,
        audited("alert.acknowledge", ackId),
        "one entry per request (the second changed nothing), none added by the owner");
    assertEquals(1, audited("alert.resolve", resolveId), "audited once");
    String acknowledgedEvents =
        "SELECT \"transition\" FROM alert_event WHERE \"alert\" = '"
            + ackId
            + "' AND \"transition\" = 'acknowledged'";
    assertEquals(
        1,
        influx.awaitRows(acknowledgedEvents, 1, Duration.ofSeconds(30)).size(),
        "one acknowledged event in InfluxDB");
  }

  @Test
  @Order(2)
  void aLeavingNodesZoneMovesWithItsAlertsAndAbsenceDeadlines() throws Exception {
    Map<String, String> deviceOfZone = new TreeMap<>();
    for (String zone : ZONES.subList(0, 2)) {
      deviceOfZone.put(zone, "wl-" + zone);
    }
    String moved =
        ZONES.subList(0, 2).stream().filter(z -> ownerOf(z) == second).findFirst().orElseThrow();

    for (Map.Entry<String, String> e : deviceOfZone.entrySet()) {
      publish(e.getValue(), 2.5);
    }
    waitUntil(
        () -> firing("high").size() == 2,
        "each zone's owner raises its threshold alert: " + firing("high"));
    waitUntil(
        () -> stored(deviceOfZone.values().toArray(String[]::new)) == 2,
        "the writer group stores both readings");

    // the second node leaves; its zone moves to the first
    second.close(Duration.ofSeconds(15));
    second = null;
    waitUntil(() -> first.bus().assignedPartitions() == 2, "the first node owns both partitions");
    // the gained zone's KPIs go on at once, from the history it rebuilds, with no new reading
    waitUntil(
        () ->
            cluster
                .items(first.httpPort(), "/api/v1/kpis?zone=" + moved + "&kpi=river_level_max")
                .stream()
                .anyMatch(v -> ((JsonObject) v).getDouble("value") == 2.5),
        "the first node publishes the river level of the zone it gained");

    // no reading since: both devices fall silent, the moved one included
    waitUntil(
        () -> firing("silent").size() == 2,
        "the absence alerts of both zones fire: " + firing("silent"));
    Thread.sleep(2 * TICK_MS);
    assertEquals(2, firing("high").size(), "the moved threshold alert was taken over, not raised");
    assertEquals(2, firing("silent").size(), "each absence alert raised once");
    for (String zone : deviceOfZone.keySet()) {
      assertEquals(
          1,
          firing("high").stream()
              .filter(a -> zone.equals(((JsonObject) a).getString("zone")))
              .count(),
          zone);
    }
  }

  private static final long TICK_MS = 200;

  /**
   * Four seeded zones, two on each partition of the two-partition topic: the first two (one per
   * partition) and the last two (likewise).
   */
  private static List<String> zonesOnBothPartitions() {
    List<String> seeded = List.of("tam-ky", "hoi-an", "dien-ban", "kcn-tam-thang", "kcn-tam-hiep");
    List<String> onZero =
        seeded.stream().filter(z -> KafkaTelemetryBus.partitionOf(z, 2) == 0).toList();
    List<String> onOne =
        seeded.stream().filter(z -> KafkaTelemetryBus.partitionOf(z, 2) == 1).toList();
    if (onZero.size() < 2 || onOne.size() < 2) {
      throw new AssertionError("fewer than two seeded zones on a partition");
    }
    return List.of(onZero.get(0), onOne.get(0), onZero.get(1), onOne.get(1));
  }

  /** Readings of these devices stored in InfluxDB. */
  private static int stored(String... devices) {
    String which =
        java.util.Arrays.stream(devices)
            .map(d -> "\"device\" = '" + d + "'")
            .collect(java.util.stream.Collectors.joining(" OR "));
    return influx.query("SELECT * FROM water_level WHERE " + which).size();
  }

  private static RulesRoleNode ownerOf(String zone) {
    return first.bus().ownership().owns(zone) ? first : second;
  }

  private static JsonObject alertOf(List<Object> alerts, String zone) {
    return alerts.stream()
        .map(JsonObject.class::cast)
        .filter(a -> zone.equals(a.getString("zone")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no alert of " + zone + " in " + alerts));
  }

  /** One alert as a node answers it. */
  private static JsonObject alert(RulesRoleNode node, String id) throws Exception {
    return expect(200, cluster.call(node.httpPort(), HttpMethod.GET, "/api/v1/alerts/" + id, null))
        .bodyAsJsonObject();
  }

  private static List<String> transitions(RulesRoleNode node, String id) throws Exception {
    return alert(node, id).getJsonArray("transitions").stream()
        .map(t -> ((JsonObject) t).getString("transition"))
        .toList();
  }

  /** How many audit entries record {@code action} on {@code target}. */
  private static long audited(String action, String target) throws Exception {
    return expect(
            200,
            cluster.call(first.httpPort(), HttpMethod.GET, "/api/v1/audit?action=" + action, null))
        .bodyAsJsonObject()
        .getJsonArray("entries")
        .stream()
        .filter(e -> target.equals(((JsonObject) e).getString("target")))
        .count();
  }

  /** Open alerts (firing or acknowledged) in the shared store of the rules named {@code name …}. */
  private static List<Object> open(String name) {
    List<Object> open = new java.util.ArrayList<>();
    for (String state : List.of("firing", "acknowledged")) {
      cluster.items(first.httpPort(), "/api/v1/alerts?state=" + state).stream()
          .filter(a -> ((JsonObject) a).getString("ruleName", "").startsWith(name + " "))
          .forEach(open::add);
    }
    return open;
  }

  private static JsonObject threshold() {
    return new JsonObject()
        .put("type", "threshold")
        .put("op", ">")
        .put("value", 1.5)
        .put("for", "0s")
        .put("clear", 1.4);
  }

  private static JsonObject absence() {
    return new JsonObject().put("type", "absence").put("for", "12s");
  }

  private static void createRule(int port, String zone, String name, JsonObject condition)
      throws Exception {
    expect(
        201,
        cluster.call(
            port,
            HttpMethod.POST,
            "/api/v1/rules",
            new JsonObject()
                .put("name", name + " " + zone)
                .put("scope", new JsonObject().put("zone", zone).put("type", "water_level"))
                .put("metric", "level")
                .put("condition", condition)
                .put("severity", "warning")
                .put("channels", new JsonArray())
                .put("enabled", true)));
  }

  /** Firing alerts in the shared store of the rules named {@code name …}. */
  private static List<Object> firing(String name) {
    int port = first.httpPort();
    return cluster.items(port, "/api/v1/alerts?state=firing").stream()
        .filter(a -> ((JsonObject) a).getString("ruleName", "").startsWith(name + " "))
        .toList();
  }

  private static void publish(String device, double level) throws Exception {
    cluster.publish(device, new JsonObject().put("m", new JsonObject().put("level", level)));
  }
}
