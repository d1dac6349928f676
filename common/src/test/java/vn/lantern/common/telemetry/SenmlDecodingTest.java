package vn.lantern.common.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static vn.lantern.common.telemetry.SenmlPacks.cborIntegerLabels;
import static vn.lantern.common.telemetry.SenmlPacks.cborTextLabels;
import static vn.lantern.common.telemetry.SenmlPacks.utf8;

import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** SenML (RFC 8428) in JSON and CBOR; examples are our own, built by the rules of RFC 8428 §5. */
class SenmlDecodingTest {

  private static final long RECEIVED = 1_732_350_005_000L;

  /** Base name, base time, base unit; times relative to bt (RFC 8428 §5.1.2 style). */
  private static final Object[][] HUMIDITY_PACK = {
    {
      "bn",
      "urn:dev:ow:10e2073a01080063:",
      "bt",
      1.320067464e+09,
      "bu",
      "%RH",
      "n",
      "humidity",
      "v",
      20.5,
      "t",
      0
    },
    {"n", "humidity", "v", 21, "t", 60},
    {"n", "humidity", "v", 22.25, "t", 120},
    {"n", "temp", "u", "Cel", "v", 23.1, "t", 120}
  };

  private static final List<Reading> HUMIDITY_READINGS =
      List.of(
          new Reading("humidity", 20.5, 1_320_067_464_000L),
          new Reading("humidity", 21.0, 1_320_067_524_000L),
          new Reading("humidity", 22.25, 1_320_067_584_000L),
          new Reading("temp", 23.1, 1_320_067_584_000L));

  private final TelemetryDecoder decoder = new TelemetryDecoder(TelemetryLimits.defaults());

  private List<Reading> json(String json) throws PayloadRejectedException {
    return decoder.decode(utf8(json), PayloadFormat.SENML_JSON, RECEIVED);
  }

  private List<Reading> cbor(byte[] cbor) throws PayloadRejectedException {
    return decoder.decode(cbor, PayloadFormat.SENML_CBOR, RECEIVED);
  }

  private PayloadRejectedException rejectedJson(String json) {
    return assertThrows(PayloadRejectedException.class, () -> json(json));
  }

  private PayloadRejectedException rejectedCbor(byte[] cbor) {
    return assertThrows(PayloadRejectedException.class, () -> cbor(cbor));
  }

  @Test
  void basePackInJson() throws Exception {
    String pack =
        """
        [
          {"bn":"urn:dev:ow:10e2073a01080063:","bt":1.320067464e+09,"bu":"%RH",
           "n":"humidity","v":20.5,"t":0},
          {"n":"humidity","v":21,"t":60},
          {"n":"humidity","v":22.25,"t":120},
          {"n":"temp","u":"Cel","v":23.1,"t":120}
        ]
        """;
    assertEquals(HUMIDITY_READINGS, json(pack));
  }

  @Test
  void samePackDecodesAlikeInJsonAndBothCborLabelStyles() throws Exception {
    assertEquals(
        HUMIDITY_READINGS,
        decoder.decode(SenmlPacks.json(HUMIDITY_PACK), PayloadFormat.SENML_JSON, RECEIVED));
    assertEquals(HUMIDITY_READINGS, cbor(cborIntegerLabels(HUMIDITY_PACK)));
    assertEquals(HUMIDITY_READINGS, cbor(cborTextLabels(HUMIDITY_PACK)));
  }

  @Test
  void handWrittenDefiniteLengthCbor() throws Exception {
    // [{-2: "urn:dev:x:", -3: 1732350000, 0: "temp", 2: 21.5 as a half float}]
    byte[] payload =
        HexFormat.of()
            .parseHex(
                "81a4"
                    + "21"
                    + "6a"
                    + HexFormat.of().formatHex(utf8("urn:dev:x:"))
                    + "22"
                    + "1a67419030"
                    + "00"
                    + "64"
                    + HexFormat.of().formatHex(utf8("temp"))
                    + "02"
                    + "f94d60");
    assertEquals(List.of(new Reading("temp", 21.5, 1_732_350_000_000L)), cbor(payload));
  }

  @Test
  void metricIsTheLastSegmentOfTheResolvedName() throws Exception {
    assertEquals(
        List.of(new Reading("level", 1.2, RECEIVED)),
        json("[{\"bn\":\"urn:dev:hoian-wl-01:\",\"n\":\"level\",\"v\":1.2}]"));
    assertEquals(
        List.of(new Reading("temp", 23.5, RECEIVED)),
        json("[{\"bn\":\"urn:dev:ow:10e2073a01080063/temp\",\"v\":23.5}]"));
    assertEquals(
        List.of(new Reading("b", 1, RECEIVED)),
        json("[{\"bn\":\"urn:dev:x:\",\"n\":\"a/b\",\"v\":1}]"));
    assertEquals(
        List.of(new Reading("pm25", 7, RECEIVED)),
        json("[{\"bn\":\"urn:dev:x:pm\",\"n\":\"25\",\"v\":7}]"));
    assertEquals(List.of(new Reading("rain", 0.4, RECEIVED)), json("[{\"n\":\"rain\",\"v\":0.4}]"));
  }

  @Test
  void baseNameIsReplacedByALaterOne() throws Exception {
    assertEquals(
        List.of(new Reading("a", 1, RECEIVED), new Reading("b", 2, RECEIVED)),
        json("[{\"bn\":\"urn:dev:x/a\",\"v\":1},{\"bn\":\"urn:dev:y/b\",\"v\":2}]"));
  }

  @Test
  void baseValueIsAddedToFollowingValues() throws Exception {
    String pack =
        """
        [{"bn":"urn:dev:hoian-wl-01:","bv":100,"n":"level","v":-2.5},
         {"n":"level","v":1},
         {"n":"level"},
         {"n":"pump_on","vb":true},
         {"bv":0,"n":"flow","v":3}]
        """;
    assertEquals(
        List.of(
            new Reading("level", 97.5, RECEIVED),
            new Reading("level", 101, RECEIVED),
            new Reading("level", 100, RECEIVED),
            new Reading("pump_on", 1, RECEIVED),
            new Reading("flow", 3, RECEIVED)),
        json(pack));
  }

  @Test
  void booleanValues() throws Exception {
    assertEquals(
        List.of(new Reading("on", 1, RECEIVED), new Reading("off", 0, RECEIVED)),
        json("[{\"n\":\"on\",\"vb\":true},{\"n\":\"off\",\"vb\":false}]"));
  }

  @Test
  void relativeTimes() throws Exception {
    String pack =
        """
        [{"n":"a","v":1,"t":-5},
         {"n":"b","v":2},
         {"n":"c","v":3,"t":0},
         {"n":"d","v":4,"t":0.25},
         {"n":"e","v":5,"t":268435455},
         {"bt":-60,"n":"f","v":6,"t":30},
         {"n":"g","v":7,"t":-1}]
        """;
    assertEquals(
        List.of(
            new Reading("a", 1, RECEIVED - 5_000),
            new Reading("b", 2, RECEIVED),
            new Reading("c", 3, RECEIVED),
            new Reading("d", 4, RECEIVED + 250),
            new Reading("e", 5, RECEIVED + 268_435_455_000L),
            new Reading("f", 6, RECEIVED - 30_000),
            new Reading("g", 7, RECEIVED - 61_000)),
        json(pack));
  }

  @Test
  void absoluteTimesFrom2To28SecondsAndFractions() throws Exception {
    assertEquals(
        List.of(
            new Reading("a", 1, 268_435_456_000L),
            new Reading("b", 2, 1_732_350_000_123L),
            new Reading("c", 3, 1_732_350_000_124L)),
        json(
            "[{\"n\":\"a\",\"v\":1,\"t\":268435456},{\"bt\":1732350000,\"n\":\"b\",\"v\":2,"
                + "\"t\":0.1234},{\"n\":\"c\",\"v\":3,\"t\":0.1235}]"));
  }

  @Test
  void pureBaseRecordIsSkipped() throws Exception {
    assertEquals(
        List.of(new Reading("level", 2, 1_732_350_000_000L)),
        json("[{\"bn\":\"urn:dev:x:\",\"bt\":1732350000,\"bu\":\"m\"},{\"n\":\"level\",\"v\":2}]"));
  }

  @Test
  void sumAlongsideValueUsesTheValue() throws Exception {
    assertEquals(
        List.of(new Reading("energy", 5, RECEIVED)),
        json("[{\"n\":\"energy\",\"v\":5,\"s\":1200}]"));
  }

  @Test
  void unknownLabelsAreIgnoredButMustUnderstandOnesRejected() throws Exception {
    assertEquals(
        List.of(new Reading("a", 1, RECEIVED)),
        json("[{\"n\":\"a\",\"v\":1,\"custom\":{\"x\":[1,2]}}]"));
    assertEquals(
        List.of(new Reading("a", 1, RECEIVED)),
        cbor(cborIntegerLabels(new Object[] {"n", "a", "v", 1, 42, "ignored", -99, 5})));
    PayloadRejectedException e = rejectedJson("[{\"n\":\"a\",\"v\":1,\"rate_\":2}]");
    assertEquals(RejectionCause.UNSUPPORTED_FORMAT, e.reason());
    assertEquals(Optional.of("[0].rate_"), e.field());
  }

  @Test
  void versionAbove10IsUnsupported() throws Exception {
    assertEquals(1, json("[{\"bver\":10,\"n\":\"a\",\"v\":1}]").size());
    PayloadRejectedException e = rejectedJson("[{\"bver\":11,\"n\":\"a\",\"v\":1}]");
    assertEquals(RejectionCause.UNSUPPORTED_FORMAT, e.reason());
    assertEquals(Optional.of("[0].bver"), e.field());
  }

  @Test
  void stringDataAndSumOnlyValuesAreUnsupported() {
    PayloadRejectedException vs =
        rejectedJson("[{\"n\":\"a\",\"v\":1},{\"n\":\"b\",\"vs\":\"x\"}]");
    assertEquals(RejectionCause.UNSUPPORTED_VALUE, vs.reason());
    assertEquals(Optional.of("[1].vs"), vs.field());

    PayloadRejectedException vd = rejectedJson("[{\"n\":\"a\",\"vd\":\"aGk\"}]");
    assertEquals(RejectionCause.UNSUPPORTED_VALUE, vd.reason());
    assertEquals(Optional.of("[0].vd"), vd.field());

    PayloadRejectedException cborVd =
        rejectedCbor(cborIntegerLabels(new Object[] {"n", "a", "vd", new byte[] {1, 2}}));
    assertEquals(RejectionCause.UNSUPPORTED_VALUE, cborVd.reason());
    assertEquals(Optional.of("[0].vd"), cborVd.field());

    PayloadRejectedException sum = rejectedJson("[{\"n\":\"energy\",\"s\":1200}]");
    assertEquals(RejectionCause.UNSUPPORTED_VALUE, sum.reason());
    assertEquals(Optional.of("[0].s"), sum.field());
  }

  @Test
  void nameWithoutValueAndValueWithoutNameAreMalformed() {
    PayloadRejectedException noValue = rejectedJson("[{\"n\":\"a\",\"v\":1},{\"n\":\"b\"}]");
    assertEquals(RejectionCause.MALFORMED, noValue.reason());
    assertEquals(Optional.of("[1].v"), noValue.field());

    PayloadRejectedException noName = rejectedJson("[{\"v\":1}]");
    assertEquals(RejectionCause.MALFORMED, noName.reason());
    assertEquals(Optional.of("[0].n"), noName.field());

    PayloadRejectedException empty = rejectedJson("[{}]");
    assertEquals(RejectionCause.MALFORMED, empty.reason());
    assertEquals(Optional.of("[0]"), empty.field());
  }

  @Test
  void duplicateLabelsAreMalformed() {
    PayloadRejectedException e = rejectedJson("[{\"n\":\"a\",\"v\":1,\"v\":2}]");
    assertEquals(RejectionCause.MALFORMED, e.reason());
    assertEquals(Optional.of("[0].v"), e.field());
    // In CBOR the integer and the text spelling of a label are the same label.
    PayloadRejectedException mixed =
        rejectedCbor(cborTextLabels(new Object[] {"n", "a", "v", 1, 2, 2}));
    assertEquals(RejectionCause.MALFORMED, mixed.reason());
    assertEquals(Optional.of("[0].v"), mixed.field());
  }

  @Test
  void moreThanOneValueIsMalformed() {
    assertEquals(
        RejectionCause.MALFORMED, rejectedJson("[{\"n\":\"a\",\"v\":1,\"vb\":true}]").reason());
  }

  @Test
  void wrongValueTypesAreMalformed() {
    assertEquals(Optional.of("[0].n"), rejectedJson("[{\"n\":5,\"v\":1}]").field());
    assertEquals(Optional.of("[0].v"), rejectedJson("[{\"n\":\"a\",\"v\":\"1\"}]").field());
    assertEquals(Optional.of("[0].vb"), rejectedJson("[{\"n\":\"a\",\"vb\":1}]").field());
    assertEquals(Optional.of("[0].t"), rejectedJson("[{\"n\":\"a\",\"v\":1,\"t\":\"0\"}]").field());
    assertEquals(Optional.of("[0].u"), rejectedJson("[{\"n\":\"a\",\"v\":1,\"u\":1}]").field());
    assertEquals(Optional.of("[1]"), rejectedJson("[{\"n\":\"a\",\"v\":1}, 3]").field());
  }

  @Test
  void packMustBeAnArray() {
    PayloadRejectedException e = rejectedJson("{\"n\":\"a\",\"v\":1}");
    assertEquals(RejectionCause.MALFORMED, e.reason());
    assertEquals(Optional.empty(), e.field());
  }

  @Test
  void nameEndingInASeparatorLeavesNoMetric() {
    PayloadRejectedException e = rejectedJson("[{\"bn\":\"urn:dev:x:\",\"v\":1}]");
    assertEquals(RejectionCause.BAD_METRIC_NAME, e.reason());
    assertEquals(Optional.of("[0].n"), e.field());
  }

  @Test
  void nonFiniteTimeIsOutOfRange() {
    PayloadRejectedException e = rejectedJson("[{\"bt\":1e400,\"n\":\"a\",\"v\":1}]");
    assertEquals(RejectionCause.TIMESTAMP_OUT_OF_RANGE, e.reason());
    assertEquals(Optional.of("[0].t"), e.field());
  }

  @Test
  void nonFiniteCborValuesDecodeForTheValidatorToReject() throws Exception {
    List<Reading> readings =
        cbor(
            cborIntegerLabels(
                new Object[] {"n", "a", "v", Double.NaN},
                new Object[] {"n", "b", "v", Double.POSITIVE_INFINITY}));
    assertEquals(2, readings.size());
    assertEquals(Double.NaN, readings.get(0).value());
    assertEquals(Double.POSITIVE_INFINITY, readings.get(1).value());
  }
}
