package vn.lantern.rules.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBFactory;
import org.influxdb.dto.Query;
import org.junit.jupiter.api.Test;
import vn.lantern.common.influx.InfluxClients;
import vn.lantern.common.influx.InfluxSettings;
import vn.lantern.common.influx.PointBatcher;
import vn.lantern.rules.rule.Severity;
import vn.lantern.testing.InfluxdProcess;

/**
 * An alert transition written while InfluxDB is down is not lost: it is written once InfluxDB is
 * back (the relational store stays the record; {@code alert_event} feeds dashboards).
 */
class AlertEventOutageTest {
  private static final String DATABASE = "lantern";

  @Test
  void aTransitionWrittenDuringAnOutageArrivesAfterIt() throws Exception {
    try (InfluxdProcess influxd = InfluxdProcess.start();
        InfluxDB client = InfluxDBFactory.connect(influxd.url())) {
      client.query(new Query("CREATE DATABASE " + DATABASE));
      InfluxSettings settings = InfluxSettings.defaults();
      settings =
          new InfluxSettings(
              influxd.url(),
              DATABASE,
              "",
              "",
              settings.batchSize(),
              settings.writesInFlight(),
              settings.maxBufferedReadings(),
              500,
              "false");
      try (InfluxDB shared = InfluxClients.connect(settings);
          PointBatcher batcher =
              new PointBatcher(shared, settings, "alert_event", 1000, new SimpleMeterRegistry())) {
        AlertEventWriter writer = new AlertEventWriter(batcher);
        influxd.stop();
        writer.write(event("outage-1", System.currentTimeMillis() - 1_000));
        influxd.restart();
        awaitRow(client);
      }
    }
  }

  private static void awaitRow(InfluxDB client) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    List<List<Object>> rows = List.of();
    while (rows.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(200);
      var series =
          client
              .query(
                  new Query("SELECT \"alert\" FROM \"alert_event\"", DATABASE),
                  TimeUnit.MILLISECONDS)
              .getResults()
              .get(0)
              .getSeries();
      rows = series == null ? List.of() : series.get(0).getValues();
    }
    assertEquals(1, rows.size(), "the transition written during the outage");
    assertEquals("outage-1", rows.get(0).get(1));
  }

  private static AlertEvent event(String id, long at) {
    Alert alert =
        new Alert(
            id,
            "rule-1",
            "River level high",
            "wl-01",
            "hoi-an",
            "Sông Hoài",
            "level_m",
            AlertState.FIRING,
            Severity.CRITICAL,
            at,
            2.5,
            null,
            0,
            null,
            0,
            null,
            at,
            false,
            false,
            0,
            false);
    return new AlertEvent(alert, "fired", Alert.SYSTEM, null, at, true);
  }
}
