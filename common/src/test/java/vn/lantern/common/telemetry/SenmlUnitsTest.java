package vn.lantern.common.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static vn.lantern.common.telemetry.SenmlPacks.cborIntegerLabels;
import static vn.lantern.common.telemetry.SenmlPacks.utf8;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** SenML units: converted to the catalogue's canonical unit at decoding, unknown ones refused. */
class SenmlUnitsTest {

  private static final long T = 1_732_350_000_000L;
  private final TelemetryDecoder decoder = new TelemetryDecoder(TelemetryLimits.defaults());

  private List<Reading> json(String json) throws PayloadRejectedException {
    return decoder.decode(utf8(json), PayloadFormat.SENML_JSON, T);
  }

  private static double value(List<Reading> readings, int i) {
    return readings.get(i).value();
  }

  /** The defect of issue 16: a CO analyser in mg/m³ was stored as µg/m³, giving AQI ≈ 0. */
  @Test
  void carbonMonoxideInMilligramsIsStoredInMicrograms() throws Exception {
    List<Reading> readings = json("[{\"bt\":1732350000,\"n\":\"co\",\"u\":\"mg/m3\",\"v\":12.5}]");
    assertEquals(List.of(new Reading("co", 12_500, T)), readings);
  }

  @Test
  void gasesConvertFromPpmAndPpbAtTwentyFiveDegrees() throws Exception {
    List<Reading> readings =
        json(
            "[{\"bt\":1732350000,\"n\":\"co\",\"u\":\"ppm\",\"v\":1},"
                + "{\"n\":\"no2\",\"u\":\"ppb\",\"v\":100},"
                + "{\"n\":\"so2\",\"u\":\"ppm\",\"v\":0.1},"
                + "{\"n\":\"o3\",\"u\":\"ppb\",\"v\":50}]");
    assertEquals(1145.6, value(readings, 0), 0.1); // 28.01 × 1000 / 24.45
    assertEquals(188.2, value(readings, 1), 0.1);
    assertEquals(262.0, value(readings, 2), 0.1);
    assertEquals(98.2, value(readings, 3), 0.1);
  }

  @Test
  void spellingsOfTheSameUnitAreEquivalent() throws Exception {
    for (String unit : List.of("ug/m3", "µg/m³", "μg/m³", "µg/m3")) {
      assertEquals(
          35.2,
          value(json("[{\"n\":\"pm25\",\"u\":\"" + unit + "\",\"v\":35.2,\"t\":-1}]"), 0),
          unit);
    }
  }

  @Test
  void fahrenheitRiverCentimetresAndWattsBecomeCanonical() throws Exception {
    List<Reading> readings =
        json(
            "[{\"bn\":\"urn:dev:x:\",\"n\":\"temperature\",\"u\":\"°F\",\"v\":95,\"t\":-1},"
                + "{\"n\":\"level\",\"u\":\"cm\",\"v\":218,\"t\":-1},"
                + "{\"n\":\"power\",\"u\":\"W\",\"v\":40000,\"t\":-1},"
                + "{\"n\":\"humidity\",\"u\":\"%RH\",\"v\":80,\"t\":-1}]");
    assertEquals(35.0, value(readings, 0), 1e-9);
    assertEquals(2.18, value(readings, 1), 1e-9);
    assertEquals(40.0, value(readings, 2), 1e-9);
    assertEquals(80.0, value(readings, 3), 1e-9);
  }

  @Test
  void baseUnitAppliesUntilARecordNamesItsOwn() throws Exception {
    List<Reading> readings =
        json(
            "[{\"bu\":\"cm\",\"n\":\"level\",\"v\":150,\"t\":-2},"
                + "{\"n\":\"level\",\"v\":160,\"t\":-1},"
                + "{\"n\":\"level\",\"u\":\"m\",\"v\":1.7}]");
    assertEquals(List.of(1.5, 1.6, 1.7), readings.stream().map(Reading::value).toList());
  }

  @Test
  void cborUnitsConvertToo() throws Exception {
    List<Reading> readings =
        decoder.decode(
            cborIntegerLabels(new Object[] {"n", "co", "u", "mg/m3", "v", 2.0, "t", 1.73235e9}),
            PayloadFormat.SENML_CBOR,
            T);
    assertEquals(2000.0, value(readings, 0), 1e-9);
  }

  @Test
  void unknownUnitOfACatalogueMetricIsRefusedWithTheAcceptedOnes() {
    PayloadRejectedException e =
        assertThrows(
            PayloadRejectedException.class,
            () ->
                json(
                    "[{\"n\":\"level\",\"v\":1.2,\"t\":-1},{\"n\":\"level\",\"u\":\"ft\",\"v\":4}]"));
    assertEquals(RejectionCause.UNSUPPORTED_UNIT, e.reason());
    assertEquals(Optional.of("[1].u"), e.field());
    assertEquals("unit ft is not known for level; send one of m, cm, mm", e.getMessage());
  }

  @Test
  void metricsOutsideTheCatalogueKeepTheirValueWhateverTheUnit() throws Exception {
    assertEquals(23.1, value(json("[{\"n\":\"temp\",\"u\":\"Cel\",\"v\":23.1,\"t\":-1}]"), 0));
    assertEquals(7.0, value(json("[{\"n\":\"rpm\",\"u\":\"1/min\",\"v\":7,\"t\":-1}]"), 0));
  }

  @Test
  void catalogueNamesItsCanonicalUnits() {
    assertEquals(Optional.of("ug/m3"), MetricUnits.canonical("co"));
    assertEquals(Optional.of("m"), MetricUnits.canonical("level"));
    assertEquals(Optional.empty(), MetricUnits.canonical("rpm"));
  }
}
