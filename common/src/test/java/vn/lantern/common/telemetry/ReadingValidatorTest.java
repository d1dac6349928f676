package vn.lantern.common.telemetry;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReadingValidatorTest {

  private static final long NOW = 1_732_350_000_000L;

  private final ReadingValidator validator = new ReadingValidator(TelemetryLimits.defaults());

  private void accepts(Reading reading) {
    assertDoesNotThrow(() -> validator.validate(List.of(reading), NOW));
  }

  private PayloadRejectedException rejects(Reading reading) {
    return assertThrows(
        PayloadRejectedException.class, () -> validator.validate(List.of(reading), NOW));
  }

  @Test
  void acceptsGoodReadings() {
    assertDoesNotThrow(
        () ->
            validator.validate(
                List.of(new Reading("pm25", 35.2, NOW), new Reading("pm10", -1.5, NOW)), NOW));
  }

  @Test
  void noReadingsIsMalformed() {
    PayloadRejectedException e =
        assertThrows(PayloadRejectedException.class, () -> validator.validate(List.of(), NOW));
    assertEquals(RejectionCause.MALFORMED, e.reason());
    assertEquals("no readings", e.getMessage());
  }

  @Test
  void badMetricNames() {
    for (String name : List.of("PM25", "1abc", "a-b", "", "_a", "pm 25", "é", "a".repeat(65))) {
      PayloadRejectedException e = rejects(new Reading(name, 1, NOW));
      assertEquals(RejectionCause.BAD_METRIC_NAME, e.reason(), name);
      assertEquals(Optional.of(name), e.field());
    }
  }

  @Test
  void reservedNamesAreRefused() {
    // "time" is InfluxDB's own column (a field of that name is dropped silently after the ack);
    // the others are the tag keys every point carries.
    for (String name : List.of("time", "zone", "site", "device")) {
      PayloadRejectedException e = rejects(new Reading(name, 1, NOW));
      assertEquals(RejectionCause.BAD_METRIC_NAME, e.reason(), name);
      assertEquals(Optional.of(name), e.field());
      assertTrue(e.getMessage().contains("reserved"), e.getMessage());
      assertFalse(ReadingValidator.isValidMetricName(name), name);
    }
    accepts(new Reading("zone_temp", 1, NOW));
  }

  @Test
  void goodMetricNames() {
    for (String name : List.of("a", "pm25", "water_level_2", "z".repeat(64))) {
      assertTrue(ReadingValidator.isValidMetricName(name), name);
      accepts(new Reading(name, 1, NOW));
    }
    assertFalse(ReadingValidator.isValidMetricName("a".repeat(65)));
  }

  @Test
  void nonFiniteValues() {
    for (double value :
        new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
      PayloadRejectedException e = rejects(new Reading("temp", value, NOW));
      assertEquals(RejectionCause.NON_FINITE_VALUE, e.reason());
      assertEquals(Optional.of("temp"), e.field());
    }
  }

  @Test
  void nonFiniteValuesSentInCborAreRejectedEndToEnd() throws Exception {
    TelemetryDecoder decoder = new TelemetryDecoder(TelemetryLimits.defaults());
    for (double value : new double[] {Double.NaN, Double.NEGATIVE_INFINITY}) {
      List<Reading> readings =
          decoder.decode(
              SenmlPacks.cborIntegerLabels(new Object[] {"n", "temp", "v", value}), null, NOW);
      PayloadRejectedException e =
          assertThrows(PayloadRejectedException.class, () -> validator.validate(readings, NOW));
      assertEquals(RejectionCause.NON_FINITE_VALUE, e.reason());
    }
  }

  @Test
  void timestampWindow() {
    accepts(new Reading("a", 1, NOW - Duration.ofDays(6).toMillis()));
    accepts(new Reading("a", 1, NOW + Duration.ofMinutes(4).toMillis()));
    accepts(new Reading("a", 1, NOW - Duration.ofDays(7).toMillis()));
    accepts(new Reading("a", 1, NOW + Duration.ofMinutes(5).toMillis()));

    PayloadRejectedException old =
        rejects(new Reading("a", 1, NOW - Duration.ofDays(8).toMillis()));
    assertEquals(RejectionCause.TIMESTAMP_OUT_OF_RANGE, old.reason());
    assertEquals("timestamp is more than 7 days in the past", old.getMessage());

    PayloadRejectedException future =
        rejects(new Reading("a", 1, NOW + Duration.ofMinutes(10).toMillis()));
    assertEquals(RejectionCause.TIMESTAMP_OUT_OF_RANGE, future.reason());
    assertEquals("timestamp is more than 5 minutes in the future", future.getMessage());

    assertEquals(
        RejectionCause.TIMESTAMP_OUT_OF_RANGE,
        rejects(new Reading("a", 1, NOW - Duration.ofDays(7).toMillis() - 1)).reason());
    assertEquals(
        RejectionCause.TIMESTAMP_OUT_OF_RANGE,
        rejects(new Reading("a", 1, NOW + Duration.ofMinutes(5).toMillis() + 1)).reason());
  }

  @Test
  void secondsInsteadOfMillisecondsAreTooOld() {
    assertEquals(
        RejectionCause.TIMESTAMP_OUT_OF_RANGE, rejects(new Reading("a", 1, NOW / 1000)).reason());
  }

  @Test
  void customLimitsShapeTheMessages() {
    ReadingValidator tight =
        new ReadingValidator(
            new TelemetryLimits(1024, 10, Duration.ofHours(1), Duration.ofSeconds(90)));
    PayloadRejectedException e =
        assertThrows(
            PayloadRejectedException.class,
            () -> tight.validate(List.of(new Reading("a", 1, NOW + 91_000)), NOW));
    assertEquals("timestamp is more than 90000 ms in the future", e.getMessage());
  }

  @Test
  void stopsAtTheFirstBadReading() {
    PayloadRejectedException e =
        assertThrows(
            PayloadRejectedException.class,
            () ->
                validator.validate(
                    List.of(new Reading("ok", 1, NOW), new Reading("Bad", 1, NOW)), NOW));
    assertEquals(Optional.of("Bad"), e.field());
  }
}
