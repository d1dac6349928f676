package vn.lantern.ingest.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.influxdb.dto.Point;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import vn.lantern.common.influx.Downsampling;
import vn.lantern.deploy.testing.TestNode;
import vn.lantern.testing.InfluxDbExtension;
import vn.lantern.testing.TestInflux;

/** Retention policies and downsampling continuous queries on the real InfluxDB 1.x. */
@ExtendWith(InfluxDbExtension.class)
class InfluxSchemaTest {
  @TempDir Path dataDir;

  @Test
  void aNodeSetsUpRetentionAndDownsamplingOnEveryStart(TestInflux influx) throws Exception {
    for (int start = 1; start <= 2; start++) {
      try (TestNode node =
          TestNode.builder(dataDir, influx.url(), influx.database())
              .set("rules.seedRulePacks", false)
              .start()) {
        Map<String, String> policies = awaitPolicies(influx);
        assertEquals("2160h0m0s", policies.get("autogen"), "start " + start);
        assertEquals("26280h0m0s", policies.get("lantern_5m"), "start " + start);
        assertEquals("87600h0m0s", policies.get("lantern_1h"), "start " + start);
        assertEquals(
            List.of("lantern_1h", "lantern_5m"),
            influx.queryAll("SHOW CONTINUOUS QUERIES").stream()
                .filter(row -> influx.database().equals(row.get(TestInflux.MEASUREMENT)))
                .map(row -> (String) row.get("name"))
                .sorted()
                .toList());
      }
    }
  }

  @Test
  void aChangedRetentionIsAppliedOnTheNextStart(TestInflux influx) {
    schema(influx, RetentionSettings.defaults()).apply();
    schema(influx, new RetentionSettings("30d", "52w", "INF")).apply();

    Map<String, String> policies = policies(influx);
    assertEquals("720h0m0s", policies.get("autogen"));
    assertEquals("8736h0m0s", policies.get("lantern_5m"));
    assertEquals("0s", policies.get("lantern_1h"));
  }

  @Test
  void downsampledTiersKeepMeanMinAndMaxPerInterval(TestInflux influx) {
    InfluxSchema schema = schema(influx, RetentionSettings.defaults());
    schema.apply();
    Instant hour = Instant.now().minus(Duration.ofHours(3)).truncatedTo(ChronoUnit.HOURS);
    for (int minute = 0; minute < 60; minute++) {
      influx
          .client()
          .write(
              Point.measurement("water_level")
                  .time(hour.plusSeconds(60L * minute).toEpochMilli(), TimeUnit.MILLISECONDS)
                  .tag("device", "hoian-wl-01")
                  .tag("zone", "hoi-an")
                  .addField("level", (double) minute)
                  .build());
    }
    // measurements with text fields (alert events) are downsampled by their numeric fields only
    influx
        .client()
        .write(
            Point.measurement("alert_event")
                .time(hour.plusSeconds(90).toEpochMilli(), TimeUnit.MILLISECONDS)
                .tag("zone", "hoi-an")
                .addField("kind", "fired")
                .addField("value", 2.5)
                .build());
    // The continuous queries run on the server's clock; their exact statements, run over a
    // closed range, are what an operator runs after an old backfill.
    schema
        .backfillStatements(hour.toString(), hour.plus(Duration.ofHours(1)).toString())
        .forEach(influx::query);

    List<Map<String, Object>> fiveMinutes =
        influx.query(
            Downsampling.FIVE_MINUTES.select("level", "water_level")
                + " WHERE \"device\" = 'hoian-wl-01' GROUP BY time(5m) fill(none)");
    assertEquals(12, fiveMinutes.size(), fiveMinutes.toString());
    assertEquals(2.0, ((Number) fiveMinutes.get(0).get("value")).doubleValue());
    assertEquals(0.0, ((Number) fiveMinutes.get(0).get("min")).doubleValue());
    assertEquals(4.0, ((Number) fiveMinutes.get(0).get("max")).doubleValue());

    List<Map<String, Object>> hourly =
        influx.query(
            Downsampling.HOURLY.select("level", "water_level")
                + " WHERE \"zone\" = 'hoi-an' GROUP BY time(1h) fill(none)");
    assertEquals(1, hourly.size(), hourly.toString());
    assertEquals(29.5, ((Number) hourly.get(0).get("value")).doubleValue());
    assertEquals(59.0, ((Number) hourly.get(0).get("max")).doubleValue());
    assertEquals(
        2.5,
        ((Number)
                influx
                    .query(
                        Downsampling.HOURLY.select("value", "alert_event") + " GROUP BY time(1h)")
                    .get(0)
                    .get("value"))
            .doubleValue());
  }

  @Test
  void longRangesReadCoarserTiers() {
    long day = Duration.ofDays(1).toMillis();
    assertEquals(Downsampling.RAW, Downsampling.forQuery(day, 300));
    assertEquals(Downsampling.FIVE_MINUTES, Downsampling.forQuery(7 * day, 1800));
    assertEquals(Downsampling.RAW, Downsampling.forQuery(7 * day, 90));
    assertEquals(Downsampling.HOURLY, Downsampling.forQuery(365 * day, 86_400));
  }

  private static InfluxSchema schema(TestInflux influx, RetentionSettings retention) {
    return new InfluxSchema(influx.url(), influx.database(), "", "", retention);
  }

  private static Map<String, String> awaitPolicies(TestInflux influx) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    Map<String, String> policies = policies(influx);
    while (!policies.containsKey("lantern_1h") && System.nanoTime() < deadline) {
      Thread.sleep(100);
      policies = policies(influx);
    }
    assertTrue(policies.containsKey("lantern_1h"), policies.toString());
    return policies;
  }

  private static Map<String, String> policies(TestInflux influx) {
    return influx.query("SHOW RETENTION POLICIES ON \"" + influx.database() + "\"").stream()
        .collect(
            Collectors.toMap(row -> (String) row.get("name"), row -> (String) row.get("duration")));
  }
}
