package vn.lantern.sim.device;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import vn.lantern.common.telemetry.Reading;
import vn.lantern.common.telemetry.TelemetryDecoder;
import vn.lantern.common.telemetry.TelemetryLimits;
import vn.lantern.sim.scenario.Format;

/** What the simulated firmware sends is what the platform's decoder reads. */
class PayloadEncoderTest {
  @ParameterizedTest
  @EnumSource(Format.class)
  void theNodesDecoderReadsEveryFormat(Format format) throws Exception {
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put("pm25", 35.2);
    metrics.put("pm10", 61.0);
    long ts = 1_763_600_000_123L;
    byte[] payload = PayloadEncoder.encode(format, "tamky-air-01", ts, metrics);
    List<Reading> readings =
        new TelemetryDecoder(TelemetryLimits.defaults())
            .decode(payload, format.payloadFormat(), ts + 1000);
    assertEquals(List.of(new Reading("pm25", 35.2, ts), new Reading("pm10", 61.0, ts)), readings);
    // Without a declared format the node detects it from the payload's shape.
    assertEquals(
        readings,
        new TelemetryDecoder(TelemetryLimits.defaults()).decode(payload, null, ts + 1000));
  }
}
