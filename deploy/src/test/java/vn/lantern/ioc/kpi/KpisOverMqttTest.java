package vn.lantern.ioc.kpi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import vn.lantern.deploy.testing.TestNode;
import vn.lantern.testing.InfluxDbExtension;
import vn.lantern.testing.TestInflux;

/**
 * Every KPI end to end: readings published over MQTT into a running node (ingest pipeline,
 * InfluxDB, bus) with timestamps inside one chosen window, the window's snapshot compared with
 * values computed by hand; then the API, InfluxDB, and a restarted engine rebuilding from InfluxDB.
 */
@ExtendWith(InfluxDbExtension.class)
class KpisOverMqttTest {
  private static final long WINDOW_MS = 4000;
  private static final long HOUR = 3_600_000L;
  private static final long FIVE_MIN = 300_000L;
  private static final String HOI_AN = "hoi-an";
  private static final String DIEN_BAN = "dien-ban";
  private static final String PARK = "kcn-dien-nam-dien-ngoc";
  private static final String RIVER_SITE = "Trạm Hội An";
  private static final String AIR_SITE = "Công viên";
  private static final String PLANT = "XLNT tập trung";
  private static final String LIGHTS = "Tủ chiếu sáng Vĩnh Điện";

  @TempDir static Path dataDir;
  static TestNode node;
  static TestInflux influx;

  @BeforeAll
  static void start(TestInflux testInflux) throws Exception {
    influx = testInflux;
    node =
        TestNode.builder(dataDir, testInflux)
            .set("rules.seedRulePacks", false)
            .fastKpis(WINDOW_MS)
            .start();
  }

  @AfterAll
  static void stop() throws Exception {
    node.close();
  }

  /** A window start ahead of now whose window lies in one 5-minute bucket (and one hour). */
  private static long futureWindow() {
    long now = System.currentTimeMillis();
    long w = now - Math.floorMod(now, WINDOW_MS) + 2 * WINDOW_MS;
    while (Math.floorDiv(w, FIVE_MIN) != Math.floorDiv(w + WINDOW_MS, FIVE_MIN)) {
      w += WINDOW_MS;
    }
    return w;
  }

  @Test
  void everyKpiMatchesTheHandComputedValue() throws Exception {
    node.device("wl-1", "water_level", HOI_AN, RIVER_SITE);
    node.device("rain-1", "rain_gauge", HOI_AN, RIVER_SITE);
    node.device("air-1", "air_quality", HOI_AN, AIR_SITE);
    node.device("air-silent", "air_quality", HOI_AN, AIR_SITE);
    node.device("ww-1", "wastewater", PARK, PLANT);
    node.device("en-1", "energy", PARK, PLANT);
    node.device("wl-caulau", "water_level", DIEN_BAN, "Cầu Lâu");
    node.device("sl-lit", "street_light", DIEN_BAN, LIGHTS);
    node.device("sl-dark", "street_light", DIEN_BAN, LIGHTS);
    node.createRule(
        new JsonObject(
            "{\"name\": \"Cau Lau above alarm 2\", \"scope\": {\"zone\": \"dien-ban\", \"type\":"
                + " \"water_level\"}, \"metric\": \"level\", \"condition\": {\"type\":"
                + " \"threshold\", \"op\": \">\", \"value\": 3.0, \"for\": \"0s\"}, \"severity\":"
                + " \"critical\", \"channels\": [], \"enabled\": true}"));

    defineCustomKpi();

    long w = futureWindow();
    long end = w + WINDOW_MS;
    CompletableFuture<KpiSnapshot> snapshot = new CompletableFuture<>();
    node.node()
        .kpis()
        .engine()
        .onWindow(
            s -> {
              if (s.windowEnd() == end) {
                snapshot.complete(s);
              }
            });

    long hour = end - Math.floorMod(end, HOUR);
    long lastBucketEnd = end - Math.floorMod(end, FIVE_MIN);
    MqttClient wl = node.mqtt("wl-1");
    MqttClient rain = node.mqtt("rain-1");
    MqttClient air = node.mqtt("air-1");
    MqttClient ww = node.mqtt("ww-1");
    MqttClient en = node.mqtt("en-1");
    MqttClient caulau = node.mqtt("wl-caulau");
    MqttClient lit = node.mqtt("sl-lit");
    MqttClient dark = node.mqtt("sl-dark");
    try {
      // Cau Lau at 3.5 m now: above alarm 2 (2.0 / 3.0 / 4.0), which raises a critical alert.
      TestNode.publish(caulau, "level", 3.5);
      // River: the latest level counts.
      TestNode.publish(wl, w + 100, new JsonObject().put("level", 1.2));
      TestNode.publish(wl, w + 1100, new JsonObject().put("level", 1.6));
      // Rain: 5.5 mm in the last hour, 10 mm two hours ago (backfilled).
      TestNode.publish(rain, w - 2 * HOUR, new JsonObject().put("rain", 10.0));
      TestNode.publish(rain, w + 200, new JsonObject().put("rain", 2.0));
      TestNode.publish(rain, w + 1200, new JsonObject().put("rain", 3.5));
      // Air: hourly means 40 (two hours ago), 20 (last hour), 30 (this hour), backfilled.
      TestNode.publish(air, hour - 2 * HOUR + 600_000, new JsonObject().put("pm25", 40.0));
      TestNode.publish(air, hour - HOUR + 600_000, new JsonObject().put("pm25", 20.0));
      for (int i = 0; i < 4; i++) {
        TestNode.publish(air, w + i * 1000L, new JsonObject().put("pm25", 30.0));
      }
      // Wastewater: one compliant 5-minute average, one above column B, one while calibrating.
      long b1 = lastBucketEnd - 2 * FIVE_MIN;
      long b2 = lastBucketEnd - FIVE_MIN;
      long b3 = lastBucketEnd - 3 * FIVE_MIN;
      TestNode.publish(ww, b1 + 60_000, new JsonObject().put("cod", 100.0).put("ph", 7.0));
      TestNode.publish(ww, b1 + 120_000, new JsonObject().put("cod", 120.0).put("ph", 7.2));
      TestNode.publish(ww, b2 + 60_000, new JsonObject().put("cod", 160.0).put("ph", 7.0));
      TestNode.publish(ww, b2 + 120_000, new JsonObject().put("cod", 170.0).put("ph", 7.0));
      TestNode.publish(ww, b3 + 60_000, new JsonObject().put("cod", 500.0).put("status", 1));
      TestNode.publish(ww, w + 500, new JsonObject().put("cod", 100.0).put("status", 0));
      // Energy: the meter resets between 105 and 3 kWh.
      TestNode.publish(
          en, w, new JsonObject().put("energy", 100.0).put("power", 40.0).put("pf", 0.9));
      TestNode.publish(
          en, w + 1000, new JsonObject().put("energy", 105.0).put("power", 55.0).put("pf", 0.8));
      TestNode.publish(en, w + 2000, new JsonObject().put("energy", 3.0).put("power", 50.0));
      TestNode.publish(en, w + 3000, new JsonObject().put("energy", 7.0));
      // Street lights: two cabinets switched on, one lit, one drawing nothing (lamps dark).
      TestNode.publish(lit, w + 3000, new JsonObject().put("on", 1).put("power", 8.1));
      TestNode.publish(dark, w + 3000, new JsonObject().put("on", 1).put("power", 0.0));
    } finally {
      for (MqttClient c : List.of(wl, rain, air, ww, en, caulau, lit, dark)) {
        c.disconnect();
        c.close();
      }
    }
    assertTrue(System.currentTimeMillis() < end, "readings published before the window closed");

    KpiSnapshot s = snapshot.get(30, TimeUnit.SECONDS);
    assertEquals(w, s.windowStart());

    // River level 1.6 m: alarm 2 of Hoi An (1.0 / 1.5 / 2.0).
    KpiValue river = value(s.values(), HOI_AN, RIVER_SITE, KpiNames.RIVER_LEVEL_MAX);
    assertEquals(1.6, river.value());
    assertEquals(2, river.attributes().get("alarmLevel"));
    assertEquals(
        "Mực nước sông Thu Bồn tại Hội An: 1,60 m, trên BĐ2 0,10 m",
        river.attributes().get("bulletin"),
        "the station table names the station and its river");
    KpiValue riverZone = value(s.values(), HOI_AN, null, KpiNames.RIVER_LEVEL_MAX);
    assertEquals(1.6, riverZone.value());
    assertEquals(RIVER_SITE, riverZone.attributes().get("station"));
    assertEquals(5.5, value(s.values(), HOI_AN, null, KpiNames.RAIN_1H).value());
    assertEquals(15.5, value(s.values(), HOI_AN, null, KpiNames.RAIN_24H).value());
    // Decision 18/2021: 15.5 mm in 24 h is no heavy-rain level; 1.6 m at Hội An is above BĐ2 (1.5):
    // flood risk level 1. Cầu Lâu at 3.5 m is above its BĐ2 (3.0) too.
    KpiValue risk = value(s.values(), HOI_AN, null, KpiNames.DISASTER_RISK_LEVEL);
    assertEquals(1, risk.value());
    assertEquals(0, risk.attributes().get("rainLevel"));
    assertEquals("Rủi ro thiên tai do lũ: cấp độ 1 (Hội An)", risk.attributes().get("bulletin"));
    assertEquals(1, value(s.values(), DIEN_BAN, null, KpiNames.DISASTER_RISK_LEVEL).value());

    // NowCast of 30, 20, 40: w = 0.5 → (30 + 10 + 10) / 1.75 = 28.57 µg/m³ → AQI 57.
    KpiValue aqi = value(s.values(), HOI_AN, AIR_SITE, KpiNames.AQI);
    assertEquals(57, aqi.value());
    assertEquals("moderate", aqi.attributes().get("band"));
    assertEquals("#ffff00", aqi.attributes().get("color"));
    assertEquals("PM2.5", aqi.attributes().get("dominant"), "by its name, not its metric");
    assertEquals(57, value(s.values(), HOI_AN, null, KpiNames.AQI).value());
    assertEquals(0, value(s.values(), HOI_AN, null, KpiNames.AQI_HOURS_ABOVE_100).value());
    // Daily AQI: the mean of today's hourly means (today is counted where it is about noon, so
    // all three hours are today's): (40 + 20 + 30) / 3 = 30 → 50 + 50 / 25 × 5 = 60.
    int expectedDaily = 60;
    KpiValue daily = value(s.values(), HOI_AN, AIR_SITE, KpiNames.AQI_DAILY);
    assertEquals(expectedDaily, daily.value());
    assertEquals("PM2.5", daily.attributes().get("dominant"));
    assertEquals(true, daily.attributes().get("provisional"), "today is in progress");
    assertEquals(3, daily.attributes().get("hours"));
    assertEquals(expectedDaily, value(s.values(), HOI_AN, null, KpiNames.AQI_DAILY).value());

    // 3 of 4 devices reported within 3 intervals; 2 + 2 + 4 + 0 of 4 + 4 + 4 + 4 readings.
    assertEquals(75, value(s.values(), HOI_AN, null, KpiNames.DEVICES_ONLINE_PCT).value());
    assertEquals(50, value(s.values(), HOI_AN, null, KpiNames.DATA_COMPLETENESS_PCT).value());
    // The silent station halves its site's completeness: 4 + 0 of 4 + 4.
    assertEquals(50, value(s.values(), HOI_AN, AIR_SITE, KpiNames.DATA_COMPLETENESS_PCT).value());
    assertEquals(0, value(s.values(), HOI_AN, null, KpiNames.ALERTS_OPEN_CRITICAL).value());
    KpiValue caulauLevel = value(s.values(), DIEN_BAN, null, KpiNames.RIVER_LEVEL_MAX);
    assertEquals(3.5, caulauLevel.value());
    assertEquals(2, caulauLevel.attributes().get("alarmLevel"));
    assertEquals(1, value(s.values(), DIEN_BAN, null, KpiNames.ALERTS_OPEN_CRITICAL).value());
    assertEquals(1, value(s.values(), DIEN_BAN, LIGHTS, KpiNames.STREET_LIGHT_FAULTS).value());
    assertEquals(1, value(s.values(), DIEN_BAN, null, KpiNames.STREET_LIGHT_FAULTS).value());
    assertEquals(0, value(s.values(), HOI_AN, null, KpiNames.ALERTS_OPEN_WARNING).value());

    // One of two complete 5-minute averages above column B (COD 165 > 150).
    assertEquals(50, value(s.values(), PARK, PLANT, KpiNames.WASTEWATER_COMPLIANCE_PCT).value());
    assertEquals(1, value(s.values(), PARK, null, KpiNames.WASTEWATER_EXCEEDANCES_TODAY).value());
    // 100 → 105 → (reset) 3 → 7: 5 + 3 + 4 kWh.
    assertEquals(12, value(s.values(), PARK, null, KpiNames.ENERGY_KWH_TODAY).value());
    assertEquals(55, value(s.values(), PARK, null, KpiNames.POWER_PEAK_KW).value());
    assertEquals(0.85, value(s.values(), PARK, null, KpiNames.PF_AVG).value());
    assertEquals(50, value(s.values(), PARK, null, KpiNames.DEVICES_ONLINE_PCT).value());
    assertEquals(62.5, value(s.values(), PARK, null, KpiNames.DATA_COMPLETENESS_PCT).value());

    // Custom KPI: the highest COD reading of the last hour, whatever the station's status.
    assertEquals(500, value(s.values(), PARK, PLANT, "cod_max_1h").value());
    assertEquals(500, value(s.values(), PARK, null, "cod_max_1h").value());

    assertApiServesCurrentValues();
    assertStoredAndRebuilt(end);
  }

  private static void defineCustomKpi() throws Exception {
    JsonObject definition =
        new JsonObject(
            "{\"metric\": \"cod\", \"aggregation\": \"max\", \"window\": \"1h\","
                + " \"scope\": {\"type\": \"wastewater\", \"zone\": \""
                + PARK
                + "\"}}");
    TestNode.Response created =
        node.http("PUT", "/api/v1/kpis/definitions/cod_max_1h", definition, node.admin());
    assertEquals(201, created.status(), created.body());
    TestNode.Response bad =
        node.http(
            "PUT",
            "/api/v1/kpis/definitions/cod_p99",
            definition.copy().put("aggregation", "p99"),
            node.admin());
    assertEquals(400, bad.status());
    assertEquals("aggregation", bad.json().getString("field"));
    TestNode.Response builtIn =
        node.http("PUT", "/api/v1/kpis/definitions/aqi", definition, node.admin());
    assertEquals(400, builtIn.status());
    assertEquals("name", builtIn.json().getString("field"));
  }

  private static void assertApiServesCurrentValues() throws Exception {
    TestNode.Response r = node.http("GET", "/api/v1/kpis?zone=hoi-an", null, node.admin());
    assertEquals(200, r.status(), r.body());
    JsonArray items = r.json().getJsonArray("items");
    JsonObject aqi = null;
    for (int i = 0; i < items.size(); i++) {
      JsonObject item = items.getJsonObject(i);
      assertEquals(HOI_AN, item.getString("zone"));
      if (item.getString("kpi").equals("aqi") && !item.containsKey("site")) {
        aqi = item;
      }
    }
    assertNotNull(aqi, items.encodePrettily());
    assertEquals(57, aqi.getInteger("value"));
    assertEquals("moderate", aqi.getString("band"));
    assertEquals("PM2.5", aqi.getString("dominant"));
    JsonObject advice = aqi.getJsonObject("advice");
    assertTrue(advice.getJsonObject("normal").getString("vi").contains("ngoài trời"), aqi.encode());
    assertTrue(advice.getJsonObject("sensitive").getString("en").contains("symptoms"));
    assertEquals(true, advice.getBoolean("paraphrased"), "marked as not the official wording");
    assertTrue(
        items.stream()
            .map(JsonObject.class::cast)
            .anyMatch(
                i ->
                    i.getString("kpi").equals("aqi_daily")
                        && i.containsKey("advice")
                        && i.getBoolean("provisional")
                        && i.getInteger("hours") == 3),
        items.encodePrettily());
    assertEquals(401, node.http("GET", "/api/v1/kpis", null, null).status(), "no token");

    TestNode.Response bad =
        node.http("GET", "/api/v1/kpis/history?zone=hoi-an&kpi=nope", null, node.admin());
    assertEquals(400, bad.status());
    assertEquals("kpi", bad.json().getString("field"));
  }

  /** The same history as CSV, for spreadsheets: a header and one row per interval. */
  private static void assertHistoryAsCsv(long end) throws Exception {
    String query =
        "/api/v1/kpis/history?zone="
            + PARK
            + "&kpi=energy_kwh_today&from="
            + (end - HOUR)
            + "&to="
            + (end + 1000)
            + "&resolution=1s";
    TestNode.Response csv = node.http("GET", query + "&format=csv", null, node.admin());
    assertEquals(200, csv.status(), csv.body());
    assertTrue(csv.header("content-type").startsWith("text/csv"), csv.header("content-type"));
    assertTrue(csv.header("content-disposition").contains(".csv"));
    List<String> lines = csv.body().lines().toList();
    assertEquals("time,value,min,max", lines.get(0));
    assertTrue(
        lines.stream().skip(1).anyMatch(line -> line.matches("\\d{4}-.*Z,12\\.0,.*")),
        lines.toString());
    TestNode.Response tooFine =
        node.http(
            "GET",
            "/api/v1/kpis/history?zone="
                + PARK
                + "&kpi=energy_kwh_today&from="
                + (end - 40 * 24 * HOUR)
                + "&to="
                + end
                + "&resolution=30m",
            null,
            node.admin());
    assertEquals(400, tooFine.status(), tooFine.body());
    assertEquals("resolution", tooFine.json().getString("field"));
  }

  private static void assertStoredAndRebuilt(long end) throws Exception {
    influx.awaitRows(
        "SELECT * FROM kpi WHERE kpi = 'energy_kwh_today' AND zone = '" + PARK + "'",
        2,
        Duration.ofSeconds(10));
    TestNode.Response history =
        node.http(
            "GET",
            "/api/v1/kpis/history?zone="
                + PARK
                + "&kpi=energy_kwh_today&from="
                + (end - HOUR)
                + "&to="
                + (end + 1000)
                + "&resolution=1s",
            null,
            node.admin());
    assertEquals(200, history.status(), history.body());
    JsonArray points = history.json().getJsonArray("points");
    assertTrue(
        points.stream().anyMatch(p -> ((JsonObject) p).getDouble("value") == 12.0),
        points.encodePrettily());
    assertHistoryAsCsv(end);

    // A fresh engine rebuilds the current values and the series from InfluxDB.
    try (SideKpiEngines engines = new SideKpiEngines(node, influx, "kpi-rebuild-test")) {
      KpiEngine restarted = engines.create();
      try {
        TestNode.await(restarted.start(new QuietBus()));
        assertEquals(
            12,
            value(restarted.current(PARK, null, null), PARK, null, KpiNames.ENERGY_KWH_TODAY)
                .value());
        CompletableFuture<KpiSnapshot> next = new CompletableFuture<>();
        restarted.onWindow(next::complete);
        KpiSnapshot s = next.get(30, TimeUnit.SECONDS);
        assertEquals(12, value(s.values(), PARK, null, KpiNames.ENERGY_KWH_TODAY).value());
        assertEquals(
            1, value(s.values(), PARK, null, KpiNames.WASTEWATER_EXCEEDANCES_TODAY).value());
      } finally {
        TestNode.await(restarted.stop());
      }

      // In a cluster each zone's KPIs come from the one rules node owning its partition.
      KpiEngine elsewhere = engines.create();
      try {
        TestNode.await(elsewhere.start(new QuietBus(zone -> !zone.equals(PARK))));
        CompletableFuture<KpiSnapshot> next = new CompletableFuture<>();
        elsewhere.onWindow(next::complete);
        List<KpiValue> window = next.get(30, TimeUnit.SECONDS).values();
        assertTrue(window.stream().noneMatch(v -> v.zone().equals(PARK)), window.toString());
        assertTrue(window.stream().anyMatch(v -> !v.zone().equals(PARK)), window.toString());
      } finally {
        TestNode.await(elsewhere.stop());
      }
    }
  }

  private static KpiValue value(List<KpiValue> values, String zone, String site, String kpi) {
    for (KpiValue v : values) {
      if (v.zone().equals(zone)
          && java.util.Objects.equals(v.site(), site)
          && v.kpi().equals(kpi)) {
        return v;
      }
    }
    throw new AssertionError("no " + kpi + " for " + zone + "/" + site + " in " + values);
  }
}
