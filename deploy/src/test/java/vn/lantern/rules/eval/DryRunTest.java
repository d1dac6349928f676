package vn.lantern.rules.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.influxdb.dto.Point;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import vn.lantern.deploy.testing.TestNode;
import vn.lantern.testing.InfluxDbExtension;
import vn.lantern.testing.TestInflux;

/** A dry run over a flood drill stored in InfluxDB raises the alarms at the right times. */
@ExtendWith(InfluxDbExtension.class)
class DryRunTest {
  private static final long MINUTE = 60_000;

  /** Hoi An gauge every 10 minutes during the drill, in metres. */
  private static final double[] DRILL = {0.8, 0.9, 1.1, 1.3, 1.6, 2.1, 1.9, 1.4, 1.2, 0.9};

  @TempDir static Path dataDir;
  static TestNode node;
  static long start;

  @BeforeAll
  static void setUp(TestInflux influx) throws Exception {
    node = TestNode.builder(dataDir, influx).set("rules.seedRulePacks", false).start();
    start = (System.currentTimeMillis() - Duration.ofHours(6).toMillis()) / MINUTE * MINUTE;
    for (int i = 0; i < DRILL.length; i++) {
      influx
          .client()
          .write(
              Point.measurement("water_level")
                  .time(start + i * 10 * MINUTE, TimeUnit.MILLISECONDS)
                  .tag("zone", "hoi-an")
                  .tag("site", "Hoi An station")
                  .tag("device", "hoian-wl-drill")
                  .addField("level", DRILL[i])
                  .build());
    }
    influx.awaitRows("SELECT level FROM water_level", DRILL.length, Duration.ofSeconds(10));
  }

  @AfterAll
  static void tearDown() throws Exception {
    node.close();
  }

  private static JsonArray dryRun(String condition) throws Exception {
    JsonObject rule =
        new JsonObject(
            "{\"name\": \"drill\", \"scope\": {\"zone\": \"hoi-an\", \"type\": \"water_level\"},"
                + " \"metric\": \"level\", \"condition\": "
                + condition
                + ", \"severity\": \"warning\"}");
    TestNode.Response r =
        node.http(
            "POST",
            "/api/v1/rules/dry-run",
            new JsonObject().put("rule", rule).put("from", start).put("to", start + 180 * MINUTE),
            node.admin());
    assertEquals(200, r.status(), r.body());
    assertEquals(DRILL.length, r.json().getInteger("readings"));
    return r.json().getJsonArray("alerts");
  }

  @Test
  void floodAlarmLevelsFireAndClearAtTheRightReadings() throws Exception {
    JsonArray alarm2 =
        dryRun("{\"type\": \"threshold\", \"op\": \">=\", \"value\": 1.5, \"clear\": 1.4}");
    assertEquals(1, alarm2.size(), alarm2.encodePrettily());
    assertEquals(start + 40 * MINUTE, alarm2.getJsonObject(0).getLong("firedAt"));
    assertEquals(start + 70 * MINUTE, alarm2.getJsonObject(0).getLong("resolvedAt"));
    assertEquals(1.6, alarm2.getJsonObject(0).getDouble("value"));
    assertEquals("hoian-wl-drill", alarm2.getJsonObject(0).getString("device"));

    JsonArray alarm1 =
        dryRun("{\"type\": \"threshold\", \"op\": \">=\", \"value\": 1.0, \"clear\": 0.9}");
    assertEquals(1, alarm1.size(), alarm1.encodePrettily());
    assertEquals(start + 20 * MINUTE, alarm1.getJsonObject(0).getLong("firedAt"));
    assertEquals(start + 90 * MINUTE, alarm1.getJsonObject(0).getLong("resolvedAt"));

    JsonArray alarm3 = dryRun("{\"type\": \"threshold\", \"op\": \">=\", \"value\": 2.0}");
    assertEquals(1, alarm3.size());
    assertEquals(start + 50 * MINUTE, alarm3.getJsonObject(0).getLong("firedAt"));
    assertEquals(start + 60 * MINUTE, alarm3.getJsonObject(0).getLong("resolvedAt"));
  }

  @Test
  void theGaugeGoingSilentAfterTheDrillIsAnAbsence() throws Exception {
    JsonArray silent = dryRun("{\"type\": \"absence\", \"for\": \"15m\"}");
    assertEquals(1, silent.size(), silent.encodePrettily());
    assertEquals(start + 105 * MINUTE, silent.getJsonObject(0).getLong("firedAt"));
    assertEquals(null, silent.getJsonObject(0).getValue("resolvedAt"));
  }
}
