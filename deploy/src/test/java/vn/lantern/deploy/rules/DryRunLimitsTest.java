package vn.lantern.deploy.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBFactory;
import org.influxdb.dto.BatchPoints;
import org.influxdb.dto.Point;
import org.influxdb.dto.Query;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.lantern.deploy.testing.Metrics;
import vn.lantern.deploy.testing.TestNode;
import vn.lantern.testing.InfluxdProcess;

/**
 * Dry runs are bounded: too many at once are refused with 429 and {@code Retry-After} instead of
 * queueing, a run stops at its reading limit and says so, and the range is capped. Before, any
 * operator's dry runs queued without bound and loaded every reading of the range at once. The node
 * has an InfluxDB of its own here, so the test can freeze it (SIGSTOP) to hold a run in progress.
 */
class DryRunLimitsTest {
  private static final long MINUTE = 60_000;
  private static final int MAX_POINTS = 100;

  @TempDir static Path dataDir;
  static InfluxdProcess influxd;
  static TestNode node;
  static long start;

  @BeforeAll
  static void setUp() throws Exception {
    influxd = InfluxdProcess.start();
    node =
        TestNode.builder(dataDir, influxd.url(), "lantern")
            .set("rules.seedRulePacks", false)
            .set("rules.dryRun.maxConcurrent", 1)
            .set("rules.dryRun.maxPoints", MAX_POINTS)
            .set("rules.dryRun.maxDays", 7)
            .start();
    start = (System.currentTimeMillis() - Duration.ofHours(6).toMillis()) / MINUTE * MINUTE;
    try (InfluxDB influx = InfluxDBFactory.connect(influxd.url())) {
      influx.query(new Query("CREATE DATABASE lantern"));
      BatchPoints.Builder batch = BatchPoints.database("lantern");
      for (int i = 0; i < 300; i++) {
        batch.point(
            Point.measurement("water_level")
                .time(start + i * MINUTE, TimeUnit.MILLISECONDS)
                .tag("zone", "hoi-an")
                .tag("site", "Hoi An station")
                .tag("device", "dry-run-gauge")
                .addField("level", 1.0)
                .build());
      }
      influx.write(batch.build());
    }
  }

  @AfterAll
  static void tearDown() throws Exception {
    try {
      if (node != null) {
        node.close();
      }
    } finally {
      influxd.close();
    }
  }

  private static JsonObject dryRun(long from, long to) {
    JsonObject rule =
        new JsonObject(
            "{\"name\": \"dry\", \"scope\": {\"zone\": \"hoi-an\", \"type\": \"water_level\"},"
                + " \"metric\": \"level\", \"condition\": {\"type\": \"threshold\", \"op\": \">\","
                + " \"value\": 2}}");
    return new JsonObject().put("rule", rule).put("from", from).put("to", to);
  }

  private static CompletableFuture<HttpResponse<String>> send(JsonObject body) {
    return HttpClient.newHttpClient()
        .sendAsync(
            HttpRequest.newBuilder(URI.create(node.apiUrl() + "/api/v1/rules/dry-run"))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + TestNode.SERVICE_TOKEN)
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.encode()))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aDryRunBeyondTheConcurrencyLimitIsRefusedAtOnceWith429() throws Exception {
    CompletableFuture<HttpResponse<String>> first;
    influxd.pause();
    try {
      first = send(dryRun(start, start + 60 * MINUTE));
      Metrics.await(node, "lantern_rules_dry_run_running", 1, Duration.ofSeconds(10));
      HttpResponse<String> second =
          send(dryRun(start, start + 60 * MINUTE)).get(10, TimeUnit.SECONDS);
      assertEquals(429, second.statusCode(), second.body());
      assertEquals("5", second.headers().firstValue("Retry-After").orElse(""));
      assertEquals("busy", new JsonObject(second.body()).getString("error"));
    } finally {
      influxd.resume();
    }
    HttpResponse<String> answered = first.get(30, TimeUnit.SECONDS);
    assertEquals(200, answered.statusCode(), answered.body());
    assertEquals(
        1.0,
        Metrics.value(
            node.http("GET", "/metrics", null).body(), "lantern_rules_dry_run_refused_total", ""));
  }

  @Test
  void aDryRunStopsAtItsReadingLimitAndSaysSo() throws Exception {
    HttpResponse<String> r = send(dryRun(start, start + 300 * MINUTE)).get(30, TimeUnit.SECONDS);
    assertEquals(200, r.statusCode(), r.body());
    JsonObject answer = new JsonObject(r.body());
    assertFalse(answer.getBoolean("complete"), r.body());
    assertTrue(answer.getLong("readings") <= MAX_POINTS, r.body());
    assertTrue(answer.getString("stoppedBecause").contains("readings"), r.body());

    HttpResponse<String> whole = send(dryRun(start, start + 90 * MINUTE)).get(30, TimeUnit.SECONDS);
    assertEquals(91, new JsonObject(whole.body()).getInteger("readings"), whole.body());
    assertTrue(new JsonObject(whole.body()).getBoolean("complete"));
  }

  @Test
  void aRangeLongerThanTheLimitIsRefusedNamingTheField() throws Exception {
    long to = System.currentTimeMillis();
    HttpResponse<String> r = send(dryRun(to - 8 * 24 * 60 * MINUTE, to)).get(30, TimeUnit.SECONDS);
    assertEquals(400, r.statusCode(), r.body());
    assertEquals("from", new JsonObject(r.body()).getString("field"));
  }
}
