package vn.lantern.common.telemetry;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;

/**
 * Fuzzes the payload decoders with Jazzer: whatever bytes a device sends, decoding and validation
 * either return readings within the limits or refuse with a {@link PayloadRejectedException}; any
 * other exception, a hang or an out-of-memory error is a bug.
 *
 * <p>In {@code ./lantern test} (JUnit's regression mode) each method replays its corpus in {@code
 * src/test/resources/vn/lantern/common/telemetry/TelemetryDecoderFuzzTestInputs/<method>/}, in
 * milliseconds. {@code ./lantern bench fuzz} fuzzes each method ({@code JAZZER_FUZZ=1}); inputs
 * that fail are written next to the corpus, to be kept there once fixed.
 */
class TelemetryDecoderFuzzTest {
  private static final long NOW = 1_732_350_000_000L;
  private static final TelemetryLimits LIMITS = TelemetryLimits.defaults();
  private static final TelemetryDecoder DECODER = new TelemetryDecoder(LIMITS);
  private static final ReadingValidator VALIDATOR = new ReadingValidator(LIMITS);

  @FuzzTest(maxDuration = "2m")
  void lanternJson(byte[] payload) {
    check(payload, PayloadFormat.LANTERN_JSON);
  }

  @FuzzTest(maxDuration = "2m")
  void senmlJson(byte[] payload) {
    check(payload, PayloadFormat.SENML_JSON);
  }

  @FuzzTest(maxDuration = "2m")
  void senmlCbor(byte[] payload) {
    check(payload, PayloadFormat.SENML_CBOR);
  }

  @FuzzTest(maxDuration = "2m")
  void detected(byte[] payload) {
    check(payload, null);
  }

  private static void check(byte[] payload, PayloadFormat format) {
    List<Reading> readings;
    try {
      readings = DECODER.decode(payload, format, NOW);
      VALIDATOR.validate(readings, NOW);
    } catch (PayloadRejectedException refused) {
      return;
    }
    assertFalse(readings.isEmpty());
    assertTrue(readings.size() <= LIMITS.maxReadingsPerMessage(), "over the reading limit");
    for (Reading reading : readings) {
      assertTrue(ReadingValidator.isValidMetricName(reading.metric()), reading.metric());
      assertTrue(Double.isFinite(reading.value()), reading.metric());
    }
  }
}
