package vn.lantern.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.influxdb.dto.Point;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(InfluxDbExtension.class)
class TestInfluxTest {

  private static TestInflux fromBeforeAll;
  private final TestInflux fromConstructor;

  TestInfluxTest(TestInflux influx) {
    this.fromConstructor = influx;
  }

  @BeforeAll
  static void beforeAll(TestInflux influx) {
    fromBeforeAll = influx;
  }

  @Test
  void sameDatabaseEverywhereInTheClass(TestInflux influx) {
    assertSame(fromBeforeAll, influx);
    assertSame(fromConstructor, influx);
    assertTrue(influx.database().startsWith("t_TestInfluxTest_"), influx.database());
    assertTrue(InfluxdProcess.ping(influx.url()), influx.url());
  }

  @Test
  void pointWrittenWithInfluxdbJavaIsReadBack(TestInflux influx) {
    influx
        .client()
        .write(
            Point.measurement("roundtrip")
                .time(1_700_000_000_123L, TimeUnit.MILLISECONDS)
                .tag("device", "d1")
                .addField("temperature", 21.5)
                .addField("status", "ok")
                .build());

    List<Map<String, Object>> rows = influx.query("SELECT * FROM roundtrip");

    assertEquals(1, rows.size(), rows.toString());
    assertEquals(1_700_000_000_123L, rows.get(0).get("time"));
    assertEquals("d1", rows.get(0).get("device"));
    assertEquals(21.5, rows.get(0).get("temperature"));
    assertEquals("ok", rows.get(0).get("status"));
    assertEquals(1, influx.count("roundtrip"));
  }

  @Test
  void queryAllReturnsEverySeriesWithMeasurementAndTags(TestInflux influx) {
    influx
        .client()
        .write(
            Point.measurement("grouped")
                .time(1000, TimeUnit.MILLISECONDS)
                .tag("device", "a")
                .addField("v", 1)
                .build());
    influx
        .client()
        .write(
            Point.measurement("grouped")
                .time(1000, TimeUnit.MILLISECONDS)
                .tag("device", "b")
                .addField("v", 2)
                .build());

    List<Map<String, Object>> rows = influx.queryAll("SELECT v FROM grouped GROUP BY device");

    assertEquals(2, rows.size(), rows.toString());
    assertEquals(
        Map.of(TestInflux.MEASUREMENT, "grouped", "device", "a", "time", 1000L, "v", 1.0),
        rows.get(0));
    assertEquals("b", rows.get(1).get("device"));
    // query() keeps only the first series of a GROUP BY; count() sees points of every series
    assertEquals(1, influx.query("SELECT v FROM grouped GROUP BY device").size());
    assertEquals(2, influx.count("grouped"));
  }

  @Test
  void awaitRowsWaitsForLateWrites(TestInflux influx) {
    CompletableFuture.runAsync(
        () -> {
          sleep(500);
          influx.client().write(Point.measurement("late").addField("v", 1.0).build());
        });

    List<Map<String, Object>> rows =
        influx.awaitRows("SELECT v FROM late", 1, Duration.ofSeconds(10));

    assertEquals(1.0, rows.get(0).get("v"));
  }

  @Test
  void awaitRowsFailsWithTheLastResult(TestInflux influx) {
    influx.client().write(Point.measurement("few").addField("v", 1.0).build());

    AssertionError error =
        assertThrows(
            AssertionError.class,
            () -> influx.awaitRows("SELECT v FROM few", 2, Duration.ofMillis(300)));

    assertTrue(error.getMessage().contains("last result had 1"), error.getMessage());
  }

  @Test
  void serverErrorsAreReported(TestInflux influx) {
    IllegalStateException parseError =
        assertThrows(IllegalStateException.class, () -> influx.query("SELECT v FROM m GROUP BY"));
    IllegalStateException statementError =
        assertThrows(
            IllegalStateException.class, () -> influx.queryAll("SELECT * FROM no_such_db..m"));

    assertTrue(parseError.getMessage().contains("error parsing query"), parseError.getMessage());
    assertTrue(
        statementError.getMessage().contains("database not found"), statementError.getMessage());
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
