package vn.lantern.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static vn.lantern.deploy.ScaleOutCluster.await;
import static vn.lantern.deploy.ScaleOutCluster.expect;
import static vn.lantern.deploy.ScaleOutCluster.waitUntil;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
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
import vn.lantern.ioc.push.IocSettings;
import vn.lantern.testing.InfluxDbExtension;
import vn.lantern.testing.TestInflux;

/**
 * The views operators look at are the same through either of two rules nodes over a real Kafka
 * broker, whichever node owns a zone: each node's live stream carries every zone's alert and KPI
 * events, once; each node's {@code GET /api/v1/kpis} is current for every zone; the city above two
 * wards owned by different nodes rolls up both; the IOC gets one complete report per window; and
 * custom KPI definitions changed through one node, or moved by a zone merge through an ingest node,
 * reach every rules node. An alert goes to the node that evaluates it: a merged zone's open alert
 * to the surviving zone's node, an upstream flood warning (acknowledged through the other node) to
 * its gauge's next node. A window a ward's late reading changes is stored again for the city above
 * it on the other node.
 *
 * <p>Zones: Tam Kỳ and Điện Bàn, two wards of Đà Nẵng, are on different partitions of the
 * two-partition readings topic, so each node owns one of them; Đà Nẵng is on Điện Bàn's.
 */
@ExtendWith(InfluxDbExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterViewsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  // long enough that both nodes' parts of a window reach the leader within its wait (half a
  // window) on a loaded machine
  private static final long WINDOW_MS = 4000;
  private static final long TICK_MS = 200;
  private static final String CITY = "da-nang";
  private static final String WARD_A = "tam-ky";
  private static final String WARD_B = "dien-ban";

  @TempDir static Path dataDir;
  private static TestInflux influx;
  private static HttpServer iocReceiver;
  private static final List<JsonObject> reports = new CopyOnWriteArrayList<>();
  private static ScaleOutCluster cluster;
  private static IngestRoleNode ingest;
  private static RulesRoleNode first;
  private static RulesRoleNode second;

  @BeforeAll
  static void start(TestInflux testInflux) throws Exception {
    assertNotEquals(
        KafkaTelemetryBus.partitionOf(WARD_A, 2),
        KafkaTelemetryBus.partitionOf(WARD_B, 2),
        "the two wards are on different partitions");
    influx = testInflux;
    cluster = ScaleOutCluster.start("views", dataDir, influx);
    ingest = cluster.ingest();
    iocReceiver =
        await(
            cluster
                .vertx()
                .createHttpServer()
                .requestHandler(
                    req ->
                        req.body()
                            .onSuccess(
                                body -> {
                                  reports.add(body.toJsonObject());
                                  req.response().setStatusCode(204).end();
                                }))
                .listen(0, "127.0.0.1"));
    for (String zone : List.of(WARD_A, WARD_B)) {
      cluster.registerDevice("wl-" + zone, zone);
    }
    first = await(cluster.startRules("rules-1", TICK_MS, kpiConfig()));
    for (String zone : List.of(WARD_A, WARD_B)) {
      createRule(first.httpPort(), zone);
    }
    second = await(cluster.startRules("rules-2", TICK_MS, kpiConfig()));
    waitUntil(
        () -> first.bus().assignedPartitions() == 1 && second.bus().assignedPartitions() == 1,
        "each rules node owns one partition");
    waitUntil(
        () -> cluster.items(second.httpPort(), "/api/v1/rules").size() == 2,
        "the second node holds the rules saved through the first");
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      cluster.close(second, first);
    }
  }

  /**
   * A wall display behind a balancer: whichever node it reaches, its stream shows the KPI update
   * and the alert of a zone the other node owns, each event once, and the node's current KPIs hold
   * that zone's value.
   */
  @Test
  @Order(1)
  void eachNodeStreamsAndListsTheZonesTheOtherNodeOwns() throws Exception {
    try (Stream onFirst = Stream.open(first.httpPort());
        Stream onSecond = Stream.open(second.httpPort())) {
      publish("wl-" + WARD_A, 2.5);
      publish("wl-" + WARD_B, 2.6);
      for (Stream stream : List.of(onFirst, onSecond)) {
        waitUntil(
            () ->
                stream.kpi(WARD_A, "river_level_max", 2.5)
                    && stream.kpi(WARD_B, "river_level_max", 2.6),
            () -> "each node's stream shows both wards' river levels: " + stream.events);
        waitUntil(
            () -> stream.fired(WARD_A) && stream.fired(WARD_B),
            () -> "each node's stream shows both wards' alerts: " + stream.events);
      }
      for (RulesRoleNode node : List.of(first, second)) {
        assertEquals(2.5, riverLevel(node, WARD_A).orElseThrow().getDouble("value"));
        assertEquals(2.6, riverLevel(node, WARD_B).orElseThrow().getDouble("value"));
        JsonObject events =
            expect(200, cluster.call(node.httpPort(), HttpMethod.GET, "/health", null))
                .bodyAsJsonObject()
                .getJsonObject("kafka")
                .getJsonObject("events");
        assertEquals("UP", events.getString("status"), "/health shows the feed: " + events);
      }
      Thread.sleep(2 * WINDOW_MS); // live refreshes and windows: nothing comes twice
      for (Stream stream : List.of(onFirst, onSecond)) {
        stream.assertNoEventTwice();
      }
    }
  }

  /**
   * Đà Nẵng is rolled up over both wards, though another node owns each: the worst river level
   * comes from the ward its node does not own, and the devices of both count.
   */
  @Test
  @Order(2)
  void aCityRollsUpWardsOwnedByBothNodes() throws Exception {
    publish("wl-" + WARD_A, 3.1);
    for (RulesRoleNode node : List.of(first, second)) {
      waitUntil(
          () ->
              riverLevel(node, CITY)
                  .filter(
                      v -> v.getDouble("value") == 3.1 && WARD_A.equals(v.getString("worstZone")))
                  .isPresent(),
          () -> "the city's river level is the worst of both wards: " + riverLevel(node, CITY));
      JsonObject devices = kpi(node, CITY, "devices_online_pct").orElseThrow();
      assertEquals(2, devices.getInteger("devices"), devices.encode());
    }
  }

  /**
   * The IOC gets one report per window, holding every zone once: both wards, and the city rolled up
   * over both.
   */
  @Test
  @Order(3)
  void theIocGetsOneCompleteReportPerWindow() throws Exception {
    long after = System.currentTimeMillis() + WINDOW_MS;
    waitUntil(
        () -> reports.stream().filter(r -> r.getLong("windowStart") >= after).count() >= 3,
        "three windows are reported");
    Thread.sleep(WINDOW_MS); // a second report of the same window would come by now
    Map<Long, Integer> perWindow = new HashMap<>();
    List<JsonObject> checked = new ArrayList<>();
    for (JsonObject report : reports) {
      if (report.getLong("windowStart") >= after) {
        perWindow.merge(report.getLong("windowEnd"), 1, Integer::sum);
        checked.add(report);
      }
    }
    perWindow.forEach((end, n) -> assertEquals(1, n, "reports of the window ending " + end));
    for (JsonObject report : checked) {
      Set<String> keys = new HashSet<>();
      Map<String, JsonObject> zoneLevel = new HashMap<>();
      for (Object o : report.getJsonArray("items")) {
        JsonObject item = (JsonObject) o;
        String key =
            item.getString("zone") + "/" + item.getString("site", "") + "/" + item.getString("kpi");
        assertTrue(keys.add(key), "once in a report: " + key);
        if (item.getString("site") == null) {
          zoneLevel.put(item.getString("zone") + "/" + item.getString("kpi"), item);
        }
      }
      for (String zone : List.of(WARD_A, WARD_B, CITY)) {
        assertTrue(
            zoneLevel.containsKey(zone + "/river_level_max"), zone + " in " + report.encode());
      }
      JsonObject city = zoneLevel.get(CITY + "/river_level_max");
      assertEquals(3.1, city.getDouble("value"), city.encode());
      assertEquals(2, zoneLevel.get(CITY + "/devices_online_pct").getInteger("devices"));
    }
  }

  /**
   * Custom KPIs follow through any node without a restart: one defined through the first rules node
   * is computed and listed by the second too, and a zone merged through the ingest node moves it in
   * both rules nodes' memory.
   */
  @Test
  @Order(4)
  void kpiDefinitionsFollowChangesMadeThroughOtherNodes() throws Exception {
    String from = "kcn-tam-hiep";
    String into = "kcn-tam-thang";
    HttpResponse<Buffer> saved =
        cluster.call(
            first.httpPort(),
            HttpMethod.PUT,
            "/api/v1/kpis/definitions/views_level_max",
            new JsonObject()
                .put("metric", "level")
                .put("aggregation", "max")
                .put("window", "1h")
                .put("scope", new JsonObject().put("type", "water_level").put("zone", from)));
    assertTrue(saved.statusCode() == 201, saved.bodyAsString());
    for (RulesRoleNode node : List.of(first, second)) {
      waitUntil(
          () -> from.equals(definedZone(node, "views_level_max")),
          () -> "the rules node lists the definition: " + definedZone(node, "views_level_max"));
    }
    expect(
        200,
        cluster.call(
            ingest.httpPort(),
            HttpMethod.POST,
            "/api/v1/zones/" + from + "/merge",
            new JsonObject().put("into", into)));
    for (RulesRoleNode node : List.of(first, second)) {
      waitUntil(
          () -> into.equals(definedZone(node, "views_level_max")),
          () -> "the merge moves the definition: " + definedZone(node, "views_level_max"));
    }
  }

  /**
   * A zone merged through the ingest node while a rule's alert is open in it: the alert moves to
   * the node that evaluates the surviving zone (another node), which goes on with it while the
   * condition holds, raises no second alert, and clears it when the condition clears.
   */
  @Test
  @Order(5)
  void aMergedZonesOpenAlertMovesToTheNodeOfTheSurvivingZone() throws Exception {
    String from = "kcn-thuan-yen";
    String into = "kcn-dien-nam-dien-ngoc";
    String device = "wl-" + from;
    RulesRoleNode fromOwner = ownerOf(from);
    RulesRoleNode intoOwner = ownerOf(into);
    assertNotEquals(fromOwner, intoOwner, "the two zones are evaluated by different nodes");
    cluster.registerDevice(device, from);
    createRule(first.httpPort(), from);
    waitUntil(
        () -> cluster.items(fromOwner.httpPort(), "/api/v1/rules").size() == 3,
        "the old zone's node holds the rule");
    publish(device, 2.0);
    waitUntil(() -> alertsOf(device, "firing").size() == 1, "the alert fires in " + from);
    String id = alertsOf(device, "firing").getJsonObject(0).getString("id");
    double fromOpen = openAlerts(fromOwner);
    double intoOpen = openAlerts(intoOwner);

    expect(
        200,
        cluster.call(
            ingest.httpPort(),
            HttpMethod.POST,
            "/api/v1/zones/" + from + "/merge",
            new JsonObject().put("into", into)));
    waitUntil(
        () -> openAlerts(intoOwner) == intoOpen + 1 && openAlerts(fromOwner) == fromOpen - 1,
        () ->
            "the surviving zone's node holds the moved alert, the old zone's node no longer: "
                + openAlerts(intoOwner)
                + " / "
                + openAlerts(fromOwner));
    publish(device, 2.1); // still above: goes on, not raised again
    publish(device, 1.0); // below the clear level: cleared
    waitUntil(
        () -> alertsOf(device, null).stream().noneMatch(a -> isOpen((JsonObject) a)),
        () -> "the alert is cleared: " + alertsOf(device, null).encode());
    JsonArray all = alertsOf(device, null);
    assertEquals(1, all.size(), "one alert, never a second: " + all.encode());
    JsonObject alert = all.getJsonObject(0);
    assertEquals(id, alert.getString("id"));
    assertEquals(into, alert.getString("zone"));
    assertEquals("resolved", alert.getString("state"));
  }

  /**
   * An upstream flood warning goes to a downstream zone another node evaluates. Acknowledged
   * through that other node, it is acknowledged by the gauge's node, which evaluates it. Whichever
   * node evaluates the upstream gauge after the zones move (the node of the gauge leaves, the other
   * takes every zone, a new node joins and takes half of them) goes on with the warning while the
   * level stays up (no second warning) and clears it when the level falls.
   */
  @Test
  @Order(6)
  void anUpstreamWarningFollowsItsGaugeToTheNextNode() throws Exception {
    String upstream = WARD_A;
    String downstream = WARD_B;
    String device = "up-" + upstream;
    RulesRoleNode gaugeOwner = ownerOf(upstream);
    assertNotEquals(gaugeOwner, ownerOf(downstream), "the warning goes to the other node's zone");
    cluster.registerDevice(device, upstream);
    expect(
        201,
        cluster.call(
            first.httpPort(),
            HttpMethod.POST,
            "/api/v1/rules",
            new JsonObject()
                .put("name", "upstream " + upstream)
                .put(
                    "scope",
                    new JsonObject()
                        .put("zone", upstream)
                        .put("devices", new JsonArray().add(device)))
                .put("metric", "level")
                .put(
                    "condition",
                    new JsonObject()
                        .put("type", "upstream")
                        .put("station", new JsonObject().put("name", "Thượng").put("river", "Thử"))
                        .put(
                            "levels",
                            new JsonArray()
                                .add(
                                    new JsonObject()
                                        .put("name", "BĐ1")
                                        .put("value", 3.0)
                                        .put("severity", "warning")))
                        .put(
                            "rise",
                            new JsonObject()
                                .put("type", "rate")
                                .put("op", ">=")
                                .put("value", 0.2)
                                .put("per", "1h"))
                        .put(
                            "downstream",
                            new JsonObject()
                                .put("name", "Hạ")
                                .put("zone", downstream)
                                .put("leadHours", 2)))
                .put("severity", "info")
                .put("channels", new JsonArray())
                .put("enabled", true)));
    waitUntil(
        () -> cluster.items(gaugeOwner.httpPort(), "/api/v1/rules").size() == 4,
        "the gauge's node holds the rule");
    publish(device, 3.5);
    waitUntil(
        () -> alertsOf(device, "firing").size() == 1,
        () -> "the warning fires: " + alertsOf(device, null).encode());
    JsonObject warning = alertsOf(device, "firing").getJsonObject(0);
    assertEquals(downstream, warning.getString("zone"));
    String id = warning.getString("id");

    // acknowledged through the other node (the downstream zone's, where the warning is shown): the
    // change goes to the gauge's node, which evaluates it, and both nodes show it
    RulesRoleNode other = gaugeOwner == first ? second : first;
    JsonObject acked =
        expect(
                200,
                cluster.call(
                    other.httpPort(),
                    HttpMethod.POST,
                    "/api/v1/alerts/" + id + "/ack",
                    new JsonObject().put("comment", "watching the river")))
            .bodyAsJsonObject();
    assertEquals("acknowledged", acked.getString("state"), acked.encode());
    assertEquals("watching the river", acked.getString("ackComment"));
    for (RulesRoleNode node : List.of(gaugeOwner, other)) {
      JsonObject seen = alert(node, id);
      assertEquals("acknowledged", seen.getString("state"), seen.encode());
    }

    gaugeOwner.close(Duration.ofSeconds(15));
    RulesRoleNode joining = await(cluster.startRules("rules-3", TICK_MS, kpiConfig()));
    if (gaugeOwner == first) {
      first = joining;
    } else {
      second = joining;
    }
    waitUntil(
        () -> first.bus().assignedPartitions() == 1 && second.bus().assignedPartitions() == 1,
        "the remaining and the joining node own a partition each");
    assertNotEquals(ownerOf(upstream), ownerOf(downstream));
    publish(device, 3.6); // still above BĐ1: goes on, not raised again
    publish(device, 2.0); // fallen below BĐ1: cleared
    waitUntil(
        () -> alertsOf(device, null).stream().noneMatch(a -> isOpen((JsonObject) a)),
        () -> "the warning is cleared: " + alertsOf(device, null).encode());
    JsonArray all = alertsOf(device, null);
    assertEquals(1, all.size(), "one warning, never a second: " + all.encode());
    assertEquals("resolved", all.getJsonObject(0).getString("state"));
    assertEquals(
        List.of("fired", "acknowledged", "resolved"),
        alert(ownerOf(upstream), id).getJsonArray("transitions").stream()
            .map(t -> ((JsonObject) t).getString("transition"))
            .toList(),
        "acknowledged once, by the request through the other node");
  }

  private static JsonObject alert(RulesRoleNode node, String id) throws Exception {
    return expect(200, cluster.call(node.httpPort(), HttpMethod.GET, "/api/v1/alerts/" + id, null))
        .bodyAsJsonObject();
  }

  /**
   * A ward's reading that arrives late, for a window already closed: the ward's node stores the
   * window again, and the city above it, owned by the other node, is stored again for that window
   * rolled up over the late value.
   */
  @Test
  @Order(7)
  void aBackfilledWindowIsStoredAgainInTheCityAboveOnTheOtherNode() throws Exception {
    assertNotEquals(ownerOf(WARD_A), ownerOf(CITY), "the city's node is not the ward's");
    long ts = System.currentTimeMillis() - 3 * WINDOW_MS;
    long windowEnd = ts - Math.floorMod(ts, WINDOW_MS) + WINDOW_MS;
    publish("wl-" + WARD_A, 4.2, ts);
    waitUntil(
        () -> storedRiverLevel(WARD_A, windowEnd) == 4.2,
        () -> "the ward's window is stored again: " + storedRiverLevel(WARD_A, windowEnd));
    waitUntil(
        () -> storedRiverLevel(CITY, windowEnd) == 4.2,
        () -> "the city's window is stored again: " + storedRiverLevel(CITY, windowEnd));
  }

  /** A zone's river level as last stored for the window ending at {@code end}; NaN if none. */
  private static double storedRiverLevel(String zone, long end) {
    List<Map<String, Object>> rows =
        influx.query(
            "SELECT LAST(\"value\") FROM kpi WHERE \"zone\" = '"
                + zone
                + "' AND \"kpi\" = 'river_level_max' AND \"site\" = '' AND time = "
                + end
                + "ms");
    return rows.isEmpty() ? Double.NaN : ((Number) rows.get(0).get("last")).doubleValue();
  }

  private static RulesRoleNode ownerOf(String zone) {
    return first.bus().ownership().owns(zone) ? first : second;
  }

  /**
   * A device's alerts in one state (null: all), but those of Tam Kỳ's threshold rule (which the
   * upstream gauge's readings trip too).
   */
  private static JsonArray alertsOf(String device, String state) {
    RulesRoleNode node = first != null ? first : second;
    JsonArray alerts =
        cluster.items(
            node.httpPort(),
            "/api/v1/alerts?device=" + device + (state == null ? "" : "&state=" + state));
    JsonArray kept = new JsonArray();
    for (Object o : alerts) {
      if (!((JsonObject) o).getString("ruleName").startsWith("high " + WARD_A)) {
        kept.add(o);
      }
    }
    return kept;
  }

  private static boolean isOpen(JsonObject alert) {
    return !"resolved".equals(alert.getString("state"));
  }

  /** The open alerts a rules node holds in memory, as its metrics show them. */
  private static double openAlerts(RulesRoleNode node) {
    try {
      String metrics =
          expect(200, cluster.call(node.httpPort(), HttpMethod.GET, "/metrics", null))
              .bodyAsString();
      for (String line : metrics.split("\n")) {
        if (line.startsWith("lantern_rules_alerts_open ")) {
          return Double.parseDouble(line.substring(line.indexOf(' ') + 1));
        }
      }
      throw new AssertionError("no lantern_rules_alerts_open in " + metrics);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** The zone a rules node's custom KPI is limited to, as it lists it; null when not listed. */
  private static String definedZone(RulesRoleNode node, String name) {
    return cluster.items(node.httpPort(), "/api/v1/kpis/definitions").stream()
        .map(JsonObject.class::cast)
        .filter(d -> name.equals(d.getString("name")))
        .map(d -> d.getJsonObject("scope").getString("zone"))
        .findFirst()
        .orElse(null);
  }

  private static Optional<JsonObject> riverLevel(RulesRoleNode node, String zone) {
    return kpi(node, zone, "river_level_max");
  }

  private static Optional<JsonObject> kpi(RulesRoleNode node, String zone, String kpi) {
    return cluster.items(node.httpPort(), "/api/v1/kpis?zone=" + zone + "&kpi=" + kpi).stream()
        .map(JsonObject.class::cast)
        .filter(v -> v.getString("site") == null)
        .findFirst();
  }

  /** A live stream of one node, collecting its events. */
  private static final class Stream implements AutoCloseable {
    private final HttpClient client;
    final List<JsonObject> events = new CopyOnWriteArrayList<>();
    private final StringBuilder pending = new StringBuilder();

    private Stream(HttpClient client) {
      this.client = client;
    }

    static Stream open(int port) throws Exception {
      Stream stream = new Stream(cluster.vertx().createHttpClient());
      RequestOptions options =
          new RequestOptions()
              .setMethod(HttpMethod.GET)
              .setHost("127.0.0.1")
              .setPort(port)
              .setURI("/api/v1/stream")
              .addHeader("Authorization", "Bearer " + cluster.token());
      int status =
          await(
              stream
                  .client
                  .request(options)
                  .compose(r -> r.send())
                  .map(
                      response -> {
                        response.handler(stream::received);
                        return response.statusCode();
                      }));
      assertEquals(200, status);
      return stream;
    }

    private synchronized void received(Buffer chunk) {
      pending.append(chunk.toString());
      int end;
      while ((end = pending.indexOf("\n\n")) >= 0) {
        String type = null;
        String data = null;
        for (String line : pending.substring(0, end).split("\n")) {
          if (line.startsWith("event: ")) {
            type = line.substring(7);
          } else if (line.startsWith("data: ")) {
            data = line.substring(6);
          }
        }
        pending.delete(0, end + 2);
        if (type != null && data != null) {
          events.add(new JsonObject().put("type", type).put("data", new JsonObject(data)));
        }
      }
    }

    boolean kpi(String zone, String kpi, double value) {
      return events.stream()
          .filter(e -> e.getString("type").equals("kpi"))
          .map(e -> e.getJsonObject("data"))
          .anyMatch(
              d ->
                  zone.equals(d.getString("zone"))
                      && d.getString("site") == null
                      && kpi.equals(d.getString("kpi"))
                      && d.getDouble("value") == value);
    }

    boolean fired(String zone) {
      return events.stream()
          .filter(e -> e.getString("type").equals("alert"))
          .map(e -> e.getJsonObject("data"))
          .anyMatch(
              d ->
                  "fired".equals(d.getString("transition"))
                      && zone.equals(d.getJsonObject("alert").getString("zone")));
    }

    /**
     * Every alert transition comes once, and a KPI value comes again only when it changed (its time
     * aside).
     */
    void assertNoEventTwice() {
      Set<String> alerts = new HashSet<>();
      Map<String, JsonObject> lastOfKpi = new HashMap<>();
      for (JsonObject event : events) {
        JsonObject data = event.getJsonObject("data");
        if (event.getString("type").equals("alert")) {
          assertTrue(alerts.add(data.encode()), "alert event twice: " + data.encode());
        } else {
          String key =
              data.getString("zone")
                  + "/"
                  + data.getString("site", "")
                  + "/"
                  + data.getString("kpi");
          JsonObject withoutTime = data.copy();
          withoutTime.remove("ts");
          assertNotEquals(
              withoutTime, lastOfKpi.put(key, withoutTime), "KPI event twice: " + data.encode());
        }
      }
    }

    @Override
    public void close() throws Exception {
      await(client.close());
    }
  }

  /** Short windows, pushed to the test's IOC receiver. */
  private static KpiConfig kpiConfig() throws Exception {
    ObjectNode tree = JSON.valueToTree(KpiConfig.defaults());
    tree.put("windowMs", WINDOW_MS)
        .put("graceMs", 500)
        .put("liveRefreshMs", 200)
        .put("aqiRefreshMs", 1000)
        .put("completenessPeriodMs", WINDOW_MS);
    IocSettings ioc =
        IocSettings.builder()
            .webhookUrl("http://127.0.0.1:" + iocReceiver.actualPort() + "/ioc/kpi")
            .webhookSecret("views-secret-for-tests")
            .build();
    tree.set("ioc", JSON.valueToTree(ioc));
    return JSON.treeToValue(tree, KpiConfig.class);
  }

  private static void createRule(int port, String zone) throws Exception {
    expect(
        201,
        cluster.call(
            port,
            HttpMethod.POST,
            "/api/v1/rules",
            new JsonObject()
                .put("name", "high " + zone)
                .put("scope", new JsonObject().put("zone", zone).put("type", "water_level"))
                .put("metric", "level")
                .put(
                    "condition",
                    new JsonObject()
                        .put("type", "threshold")
                        .put("op", ">")
                        .put("value", 1.5)
                        .put("for", "0s")
                        .put("clear", 1.4))
                .put("severity", "warning")
                .put("channels", new JsonArray())
                .put("enabled", true)));
  }

  private static void publish(String device, double level) throws Exception {
    publish(device, new JsonObject().put("m", new JsonObject().put("level", level)));
  }

  /** Publishes a reading taken at {@code ts}. */
  private static void publish(String device, double level, long ts) throws Exception {
    publish(device, new JsonObject().put("ts", ts).put("m", new JsonObject().put("level", level)));
  }

  private static void publish(String device, JsonObject message) throws Exception {
    cluster.publish(device, message);
  }
}
