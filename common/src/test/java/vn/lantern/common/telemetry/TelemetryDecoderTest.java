package vn.lantern.common.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static vn.lantern.common.telemetry.SenmlPacks.cborIntegerLabels;
import static vn.lantern.common.telemetry.SenmlPacks.utf8;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Format detection, limits, syntax errors and robustness of {@link TelemetryDecoder}. */
class TelemetryDecoderTest {

  private static final long RECEIVED = 1_732_350_005_000L;

  private final TelemetryDecoder decoder = new TelemetryDecoder(TelemetryLimits.defaults());

  private List<Reading> detect(byte[] payload) throws PayloadRejectedException {
    return decoder.decode(payload, null, RECEIVED);
  }

  private PayloadRejectedException rejected(byte[] payload, PayloadFormat format) {
    return assertThrows(
        PayloadRejectedException.class, () -> decoder.decode(payload, format, RECEIVED));
  }

  @Test
  void detectsLanternJsonObject() throws Exception {
    assertEquals(
        List.of(new Reading("pm25", 35.2, 1_732_350_000_000L)),
        detect(utf8(" \r\n\t{\"ts\":1732350000000,\"m\":{\"pm25\":35.2}}")));
  }

  @Test
  void detectsLanternJsonArrayByItsKeys() throws Exception {
    assertEquals(List.of(new Reading("a", 1, RECEIVED)), detect(utf8("[{\"m\":{\"a\":1}}]")));
    assertEquals(
        List.of(new Reading("a", 1, 1_732_350_000_000L)),
        detect(utf8("[{\"ts\":1732350000000,\"m\":{\"a\":1}}]")));
  }

  @Test
  void detectsSenmlJsonByItsLabels() throws Exception {
    assertEquals(
        List.of(new Reading("level", 1.5, RECEIVED)),
        detect(utf8("[{\"bn\":\"urn:dev:hoian-wl-01:\",\"n\":\"level\",\"v\":1.5}]")));
    // An extension label before the first SenML label does not hide the format.
    assertEquals(
        List.of(new Reading("a", 2, RECEIVED)),
        detect(utf8("[{\"x\":{\"m\":1},\"n\":\"a\",\"v\":2}]")));
  }

  @Test
  void detectsSenmlCbor() throws Exception {
    assertEquals(
        List.of(new Reading("temp", 21.5, RECEIVED)),
        detect(cborIntegerLabels(new Object[] {"bn", "urn:dev:x:", "n", "temp", "v", 21.5})));
  }

  @Test
  void detectionSkipsAUtf8ByteOrderMark() throws Exception {
    byte[] json = utf8("\uFEFF{\"m\":{\"a\":1}}");
    assertEquals(List.of(new Reading("a", 1, RECEIVED)), detect(json));
  }

  @Test
  void unrecognisedShapesAreRejectedWithAHint() {
    PayloadRejectedException text = rejected(utf8("pm25=35.2"), null);
    assertEquals(RejectionCause.UNSUPPORTED_FORMAT, text.reason());
    assertTrue(text.getMessage().contains("content format"), text.getMessage());

    PayloadRejectedException cborMap = rejected(new byte[] {(byte) 0xa1, 0x00, 0x61, 0x61}, null);
    assertEquals(RejectionCause.UNSUPPORTED_FORMAT, cborMap.reason());
    assertTrue(cborMap.getMessage().contains("CBOR map"), cborMap.getMessage());

    PayloadRejectedException neither = rejected(utf8("[{\"foo\":1}]"), null);
    assertEquals(RejectionCause.UNSUPPORTED_FORMAT, neither.reason());
    assertEquals(Optional.of("[0]"), neither.field());

    assertEquals(RejectionCause.MALFORMED, rejected(utf8("[1,2]"), null).reason());
  }

  @Test
  void declaredFormatWinsOverShape() {
    // A SenML pack declared as Lantern JSON is judged by Lantern's rules.
    PayloadRejectedException e =
        rejected(utf8("[{\"n\":\"a\",\"v\":1}]"), PayloadFormat.LANTERN_JSON);
    assertEquals(RejectionCause.MALFORMED, e.reason());
    assertEquals(Optional.of("[0].n"), e.field());
    assertEquals(
        RejectionCause.MALFORMED,
        rejected(cborIntegerLabels(new Object[] {"n", "a", "v", 1}), PayloadFormat.SENML_JSON)
            .reason());
    assertEquals(
        RejectionCause.MALFORMED,
        rejected(utf8("[{\"n\":\"a\",\"v\":1}]"), PayloadFormat.SENML_CBOR).reason());
  }

  @Test
  void emptyPayloadsAreMalformed() {
    for (PayloadFormat format : new PayloadFormat[] {null, PayloadFormat.LANTERN_JSON}) {
      PayloadRejectedException e = rejected(new byte[0], format);
      assertEquals(RejectionCause.MALFORMED, e.reason());
      assertEquals("empty payload", e.getMessage());
    }
    assertEquals(RejectionCause.MALFORMED, rejected(utf8(" \n "), null).reason());
    assertEquals(
        RejectionCause.MALFORMED, rejected(utf8(" \n "), PayloadFormat.SENML_JSON).reason());
  }

  @Test
  void truncatedAndGarbageInputIsMalformedWithoutParserDetails() {
    PayloadRejectedException truncated =
        rejected(utf8("{\"ts\":1732350000000,\"m\":{\"pm25\":35"), null);
    assertEquals(RejectionCause.MALFORMED, truncated.reason());
    assertTrue(truncated.getMessage().startsWith("truncated JSON"), truncated.getMessage());

    PayloadRejectedException garbage = rejected(utf8("{\"m\":{\"a\":1}x}"), null);
    assertEquals(RejectionCause.MALFORMED, garbage.reason());
    assertTrue(garbage.getMessage().startsWith("invalid JSON"), garbage.getMessage());
    assertFalse(garbage.getMessage().contains("Source"), garbage.getMessage());

    byte[] cbor = cborIntegerLabels(new Object[] {"n", "temp", "v", 21.5});
    PayloadRejectedException truncatedCbor =
        rejected(Arrays.copyOf(cbor, cbor.length - 4), PayloadFormat.SENML_CBOR);
    assertEquals(RejectionCause.MALFORMED, truncatedCbor.reason());
    assertTrue(truncatedCbor.getMessage().contains("CBOR"), truncatedCbor.getMessage());

    byte[] junk = {(byte) 0x9f, (byte) 0xff, (byte) 0xff, 0x1c};
    assertEquals(RejectionCause.MALFORMED, rejected(junk, null).reason());
  }

  @Test
  void rejectionsCarryNoStackTrace() {
    PayloadRejectedException e = rejected(utf8("{"), null);
    assertEquals(0, e.getStackTrace().length);
    assertEquals(null, e.getCause());
  }

  @Test
  void payloadLargerThanTheLimitIsRejectedBeforeParsing() throws Exception {
    TelemetryDecoder small =
        new TelemetryDecoder(new TelemetryLimits(32, 500, Duration.ofDays(7), Duration.ZERO));
    byte[] fits = utf8("{\"m\":{\"a\":1}}" + " ".repeat(32 - 13));
    assertEquals(32, fits.length);
    assertEquals(1, small.decode(fits, null, RECEIVED).size());
    byte[] garbage = new byte[33];
    PayloadRejectedException e =
        assertThrows(PayloadRejectedException.class, () -> small.decode(garbage, null, RECEIVED));
    assertEquals(RejectionCause.TOO_LARGE, e.reason());
  }

  @Test
  void defaultSizeLimitIs64KiB() throws Exception {
    String body = "{\"m\":{\"a\":1}}";
    byte[] exactly = utf8(body + " ".repeat(65_536 - body.length()));
    assertEquals(1, detect(exactly).size());
    byte[] over = utf8(body + " ".repeat(65_537 - body.length()));
    assertEquals(RejectionCause.TOO_LARGE, rejected(over, null).reason());
  }

  @Test
  void readingCountIsLimited() throws Exception {
    assertEquals(500, detect(utf8(lanternWithMetrics(500))).size());
    PayloadRejectedException e = rejected(utf8(lanternWithMetrics(501)), null);
    assertEquals(RejectionCause.TOO_MANY_READINGS, e.reason());

    Object[][] records = new Object[501][];
    for (int i = 0; i < records.length; i++) {
      records[i] = new Object[] {"n", "m" + i, "v", i};
    }
    assertEquals(
        RejectionCause.TOO_MANY_READINGS,
        rejected(cborIntegerLabels(records), PayloadFormat.SENML_CBOR).reason());
    assertEquals(
        500,
        decoder
            .decode(cborIntegerLabels(Arrays.copyOf(records, 500)), PayloadFormat.SENML_CBOR, 0)
            .size());
  }

  @Test
  void countLimitStopsParsingEarly() {
    TelemetryDecoder two =
        new TelemetryDecoder(new TelemetryLimits(1024, 2, Duration.ofDays(7), Duration.ZERO));
    // The garbage after the third reading is never reached.
    byte[] payload = utf8("[{\"m\":{\"a\":1}},{\"m\":{\"b\":2}},{\"m\":{\"c\":3}}, !!!");
    PayloadRejectedException e =
        assertThrows(PayloadRejectedException.class, () -> two.decode(payload, null, RECEIVED));
    assertEquals(RejectionCause.TOO_MANY_READINGS, e.reason());
  }

  @Test
  void truncatedOrRandomInputOnlyEverFailsWithARejection() {
    byte[][] valid = {
      utf8("[{\"ts\":1732350000000,\"m\":{\"pm25\":35.2,\"pm10\":61}},{\"m\":{\"on\":true}}]"),
      utf8(
          "[{\"bn\":\"urn:dev:x:\",\"bt\":1.7e9,\"n\":\"a\",\"v\":1.5},{\"n\":\"b\",\"vb\":true}]"),
      cborIntegerLabels(
          new Object[] {"bn", "urn:dev:x:", "bt", 1.7e9, "n", "a", "v", 1.5},
          new Object[] {"n", "b", "vb", true, "t", -5})
    };
    for (byte[] payload : valid) {
      for (int length = 0; length < payload.length; length++) {
        decodeSafely(Arrays.copyOf(payload, length));
      }
    }
    Random random = new Random(8428);
    for (int i = 0; i < 2_000; i++) {
      byte[] payload = valid[i % valid.length].clone();
      payload[random.nextInt(payload.length)] = (byte) random.nextInt(256);
      decodeSafely(payload);
      byte[] noise = new byte[1 + random.nextInt(64)];
      random.nextBytes(noise);
      decodeSafely(noise);
    }
  }

  /** Any outcome is fine except an exception other than a rejection. */
  private void decodeSafely(byte[] payload) {
    for (PayloadFormat format :
        new PayloadFormat[] {
          null, PayloadFormat.LANTERN_JSON, PayloadFormat.SENML_JSON, PayloadFormat.SENML_CBOR
        }) {
      try {
        decoder.decode(payload, format, RECEIVED);
      } catch (PayloadRejectedException expected) {
        assertTrue(expected.getMessage() != null && !expected.getMessage().isBlank());
      }
    }
  }

  private static String lanternWithMetrics(int count) {
    StringBuilder json = new StringBuilder("{\"m\":{");
    for (int i = 0; i < count; i++) {
      json.append(i == 0 ? "" : ",").append("\"m").append(i).append("\":").append(i);
    }
    return json.append("}}").toString();
  }
}
