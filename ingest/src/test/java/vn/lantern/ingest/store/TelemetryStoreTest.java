package vn.lantern.ingest.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.influxdb.dto.Point;
import org.junit.jupiter.api.Test;
import vn.lantern.common.telemetry.DeviceRef;
import vn.lantern.common.telemetry.Reading;
import vn.lantern.common.telemetry.TelemetryBatch;

/** How a batch of readings becomes InfluxDB points, checked on the line protocol it produces. */
class TelemetryStoreTest {
  private static final DeviceRef DEVICE =
      new DeviceRef("aq,01", "air_quality", "dien-ban", "Điện Bàn = \"A\"");

  @Test
  void readingsWithTheSameTimestampBecomeOnePointWithSeveralFields() {
    TelemetryBatch batch =
        new TelemetryBatch(
            DEVICE,
            List.of(
                new Reading("pm25", 35.2, 1_000),
                new Reading("pm10", 61, 1_000),
                new Reading("pm25", 40.5, 2_000),
                new Reading("co_ppm", 0.4, 1_000)),
            "mqtt");

    List<String> lines =
        TelemetryStore.toPoints(batch).stream()
            .map(point -> point.lineProtocol(TimeUnit.MILLISECONDS))
            .toList();

    String tags = "air_quality,device=aq\\,01,site=Điện\\ Bàn\\ \\=\\ \"A\",zone=dien-ban";
    assertEquals(
        List.of(tags + " co_ppm=0.4,pm10=61.0,pm25=35.2 1000", tags + " pm25=40.5 2000"), lines);
  }

  @Test
  void pointsKeepTheOrderOfTheirFirstReading() {
    TelemetryBatch batch =
        new TelemetryBatch(
            DEVICE,
            List.of(new Reading("level_m", 1, 3_000), new Reading("level_m", 2, 1_000)),
            "coap");

    List<Point> points = TelemetryStore.toPoints(batch);

    assertEquals(2, points.size());
    assertEquals(true, points.get(0).lineProtocol(TimeUnit.MILLISECONDS).endsWith(" 3000"));
    assertEquals(true, points.get(1).lineProtocol(TimeUnit.MILLISECONDS).endsWith(" 1000"));
  }
}
