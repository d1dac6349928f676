package vn.lantern.common.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static vn.lantern.common.telemetry.SenmlPacks.utf8;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LanternJsonDecodingTest {

  private static final long RECEIVED = 1_732_350_005_000L;

  private final TelemetryDecoder decoder = new TelemetryDecoder(TelemetryLimits.defaults());

  private List<Reading> decode(String json) throws PayloadRejectedException {
    return decoder.decode(utf8(json), PayloadFormat.LANTERN_JSON, RECEIVED);
  }

  private PayloadRejectedException rejected(String json) {
    return assertThrows(PayloadRejectedException.class, () -> decode(json));
  }

  @Test
  void singleObject() throws Exception {
    assertEquals(
        List.of(
            new Reading("pm25", 35.2, 1_732_350_000_000L),
            new Reading("pm10", 61.0, 1_732_350_000_000L)),
        decode("{\"ts\": 1732350000000, \"m\": {\"pm25\": 35.2, \"pm10\": 61}}"));
  }

  @Test
  void batch() throws Exception {
    assertEquals(
        List.of(
            new Reading("level", 1.25, 1_732_350_000_000L),
            new Reading("level", 1.5, 1_732_350_060_000L),
            new Reading("rain", 0.0, 1_732_350_060_000L)),
        decode(
            "[{\"ts\":1732350000000,\"m\":{\"level\":1.25}},"
                + "{\"ts\":1732350060000,\"m\":{\"level\":1.5,\"rain\":0}}]"));
  }

  @Test
  void missingTsMeansReceiveTime() throws Exception {
    assertEquals(
        List.of(new Reading("noise_db", 48.5, RECEIVED)), decode("{\"m\":{\"noise_db\":48.5}}"));
  }

  @Test
  void tsAfterMAppliesToTheWholeObject() throws Exception {
    assertEquals(
        List.of(new Reading("a", 1, 1_732_350_000_000L), new Reading("b", 2, 1_732_350_000_000L)),
        decode("{\"m\":{\"a\":1,\"b\":2},\"ts\":1732350000000}"));
  }

  @Test
  void booleansMapToOneAndZero() throws Exception {
    assertEquals(
        List.of(new Reading("lamp_on", 1, RECEIVED), new Reading("door_open", 0, RECEIVED)),
        decode("{\"m\":{\"lamp_on\":true,\"door_open\":false}}"));
  }

  @Test
  void emptyBatchDecodesToNoReadings() throws Exception {
    assertTrue(decode("[]").isEmpty());
  }

  @Test
  void nonNumericValuesAreUnsupported() {
    for (String value : List.of("\"35\"", "null", "{}", "[1]")) {
      PayloadRejectedException e = rejected("{\"m\":{\"ok\":1,\"pm25\":" + value + "}}");
      assertEquals(RejectionCause.UNSUPPORTED_VALUE, e.reason(), value);
      assertEquals(Optional.of("m.pm25"), e.field());
    }
    PayloadRejectedException inBatch = rejected("[{\"m\":{\"a\":1}},{\"m\":{\"pm10\":\"x\"}}]");
    assertEquals(RejectionCause.UNSUPPORTED_VALUE, inBatch.reason());
    assertEquals(Optional.of("[1].m.pm10"), inBatch.field());
  }

  @Test
  void unknownTopLevelKeyIsNamed() {
    PayloadRejectedException e = rejected("{\"ts\":1,\"dev\":\"x\",\"m\":{\"a\":1}}");
    assertEquals(RejectionCause.MALFORMED, e.reason());
    assertEquals(Optional.of("dev"), e.field());
    assertTrue(e.getMessage().contains("dev"), e.getMessage());

    PayloadRejectedException inBatch = rejected("[{\"m\":{\"a\":1}},{\"m\":{\"a\":1},\"x\":2}]");
    assertEquals(Optional.of("[1].x"), inBatch.field());
  }

  @Test
  void senmlLabelInAnObjectHintsAtTheArrayForm() {
    PayloadRejectedException e = rejected("{\"n\":\"temp\",\"v\":21}");
    assertEquals(RejectionCause.MALFORMED, e.reason());
    assertTrue(e.getMessage().contains("SenML"), e.getMessage());
  }

  @Test
  void emptyOrMissingMIsMalformed() {
    PayloadRejectedException empty = rejected("{\"ts\":1732350000000,\"m\":{}}");
    assertEquals(RejectionCause.MALFORMED, empty.reason());
    assertEquals(Optional.of("m"), empty.field());

    PayloadRejectedException missing = rejected("[{\"ts\":1732350000000}]");
    assertEquals(RejectionCause.MALFORMED, missing.reason());
    assertEquals(Optional.of("[0].m"), missing.field());

    assertEquals(RejectionCause.MALFORMED, rejected("{\"m\":[1,2]}").reason());
  }

  @Test
  void duplicatesAreMalformed() {
    assertEquals(Optional.of("ts"), rejected("{\"ts\":1,\"ts\":2,\"m\":{\"a\":1}}").field());
    assertEquals(Optional.of("m"), rejected("{\"m\":{\"a\":1},\"m\":{\"b\":1}}").field());
    PayloadRejectedException metric = rejected("{\"m\":{\"a\":1,\"b\":2,\"a\":3}}");
    assertEquals(RejectionCause.MALFORMED, metric.reason());
    assertEquals(Optional.of("m.a"), metric.field());
  }

  @Test
  void tsMustBeIntegerMilliseconds() {
    for (String ts : List.of("1732350000000.5", "\"1732350000000\"", "null")) {
      PayloadRejectedException e = rejected("{\"ts\":" + ts + ",\"m\":{\"a\":1}}");
      assertEquals(RejectionCause.MALFORMED, e.reason(), ts);
      assertEquals(Optional.of("ts"), e.field());
    }
    PayloadRejectedException huge = rejected("{\"ts\":99999999999999999999999,\"m\":{\"a\":1}}");
    assertEquals(RejectionCause.TIMESTAMP_OUT_OF_RANGE, huge.reason());
  }

  @Test
  void batchElementsMustBeObjects() {
    PayloadRejectedException e = rejected("[{\"m\":{\"a\":1}}, 5]");
    assertEquals(RejectionCause.MALFORMED, e.reason());
    assertEquals(Optional.of("[1]"), e.field());
    assertEquals(RejectionCause.MALFORMED, rejected("42").reason());
  }

  @Test
  void nonNumericNumberTokensAreNotJson() {
    assertEquals(RejectionCause.MALFORMED, rejected("{\"m\":{\"a\":NaN}}").reason());
    assertEquals(RejectionCause.MALFORMED, rejected("{\"m\":{\"a\":Infinity}}").reason());
  }

  @Test
  void trailingDataIsMalformed() {
    assertEquals(
        RejectionCause.MALFORMED, rejected("{\"m\":{\"a\":1}} {\"m\":{\"a\":1}}").reason());
    assertEquals(RejectionCause.MALFORMED, rejected("{\"m\":{\"a\":1}} x").reason());
  }
}
