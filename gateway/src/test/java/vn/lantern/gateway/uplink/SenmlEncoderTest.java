package vn.lantern.gateway.uplink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import vn.lantern.common.telemetry.PayloadFormat;
import vn.lantern.common.telemetry.Reading;
import vn.lantern.common.telemetry.TelemetryDecoder;
import vn.lantern.common.telemetry.TelemetryLimits;
import vn.lantern.gateway.store.QueuedReading;

/** The uplink's SenML packs decode, with the platform's own decoder, to the exact readings. */
class SenmlEncoderTest {
  @Test
  void roundTripsValuesAndMillisecondTimestamps() throws Exception {
    long now = System.currentTimeMillis();
    List<QueuedReading> readings =
        List.of(
            new QueuedReading(1, "gw-ww1", "ph", 7.22, "pH", now - 3_600_123),
            new QueuedReading(2, "gw-ww1", "cod", 41.5, "mg/L", now - 3_600_123),
            new QueuedReading(3, "gw-ww1", "ph", 7.21, "pH", now - 1),
            new QueuedReading(4, "gw-ww1", "flow_in", 1234567.89, "m3/h", now));
    byte[] pack = SenmlEncoder.encode("gw-ww1", readings);
    List<Reading> decoded =
        new TelemetryDecoder(TelemetryLimits.defaults())
            .decode(pack, PayloadFormat.SENML_JSON, now);
    assertEquals(
        readings.stream().map(r -> new Reading(r.metric(), r.value(), r.timestampMs())).toList(),
        decoded);
  }
}
