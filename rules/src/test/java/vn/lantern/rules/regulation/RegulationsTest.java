package vn.lantern.rules.regulation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.lantern.common.telemetry.MetricUnits;

/**
 * Regulation packs are data: bundled, cited, versioned, and replaceable from the data directory.
 */
class RegulationsTest {

  @Test
  void bundledPacksAreVersionedAndEveryLimitIsCited(@TempDir Path dataDir) {
    Regulations regulations = Regulations.load(dataDir);
    List<String> ids = regulations.packs().stream().map(RegulationPack::id).toList();
    assertTrue(
        ids.containsAll(
            List.of("flood-alarm-levels", "qcvn-40-2011-wastewater", "vn-aqi", "device-offline")),
        ids.toString());
    for (RegulationPack pack : regulations.packs()) {
      assertTrue(pack.version() >= 1, pack.id());
      assertFalse(pack.name().vi().equals(pack.name().en()), pack.id() + " has a VI and EN name");
      assertFalse(pack.citation().isBlank(), pack.id());
      pack.thresholds().forEach(t -> assertFalse(t.citation().isBlank(), pack.id() + " " + t.id()));
      pack.stations().forEach(s -> assertFalse(s.citation().isBlank(), pack.id() + " " + s.id()));
      pack.rules()
          .forEach(
              r ->
                  assertFalse(
                      r.getJsonObject("source").getString("citation").isBlank(),
                      pack.id() + " " + r.getString("name")));
      assertEquals("bundled", pack.origin());
    }
  }

  @Test
  void stationsOwnTheirAlarmLevels(@TempDir Path dataDir) {
    Regulations regulations = Regulations.load(dataDir);
    FloodStation aiNghia = station(regulations, "ai-nghia");
    assertEquals(List.of(6.5, 8.0, 9.0), aiNghia.levels());
    assertEquals("Vu Gia", aiNghia.river());
    assertTrue(aiNghia.citation().contains("05/2020/QĐ-TTg"), aiNghia.citation());
    assertEquals(List.of(11.0, 13.0, 15.0), station(regulations, "nong-son").levels());
    assertEquals(List.of(1.0, 1.5, 2.0), station(regulations, "hoi-an").levels());
    assertEquals("hoi-an", station(regulations, "hoi-an").zone());
  }

  /**
   * Every QCVN 40 parameter is a metric the ingest knows, with a canonical unit: a limit on a name
   * devices never report (or whose unit is never checked) would silently never fire.
   */
  @Test
  void everyWastewaterLimitIsOnAMetricTheIngestKnows(@TempDir Path dataDir) {
    RegulationPack qcvn40 = Regulations.load(dataDir).pack("qcvn-40-2011-wastewater").orElseThrow();
    for (Threshold t : qcvn40.thresholds()) {
      assertTrue(
          MetricUnits.canonical(t.metric()).isPresent(),
          t.id() + ": metric " + t.metric() + " has no canonical unit at ingest");
    }
    assertEquals(
        List.of("bod5", "color", "total_n", "total_p"),
        qcvn40.thresholds().stream()
            .filter(t -> t.id().endsWith("_b"))
            .map(Threshold::metric)
            .filter(m -> List.of("bod5", "color", "total_n", "total_p", "tn", "tp").contains(m))
            .toList());
  }

  /** The river network: each upstream station names its downstream stations and lead times. */
  @Test
  void upstreamStationsListTheirDownstreamStations(@TempDir Path dataDir) {
    Regulations regulations = Regulations.load(dataDir);
    FloodStation nongSon = station(regulations, "nong-son");
    assertEquals("da-nang", nongSon.rulesZone());
    assertEquals(
        List.of("cau-lau", "hoi-an"),
        nongSon.downstream().stream().map(FloodStation.Downstream::station).toList());
    assertTrue(nongSon.downstream().stream().allMatch(FloodStation.Downstream::unconfirmed));
    assertEquals(
        List.of("hoi-an"),
        station(regulations, "cau-lau").downstream().stream()
            .map(FloodStation.Downstream::station)
            .toList());
    RegulationPack flood = regulations.pack("flood-alarm-levels").orElseThrow();
    assertEquals(
        5,
        flood.toJson().getJsonArray("stations").stream()
            .mapToInt(s -> ((JsonObject) s).getJsonArray("downstream").size())
            .sum());
  }

  @Test
  void aDownstreamStationMustBeInThePack(@TempDir Path dataDir) throws Exception {
    JsonObject pack = new JsonObject(read("flood-alarm-levels.json"));
    JsonObject cauLau = pack.getJsonArray("stations").getJsonObject(1);
    cauLau.getJsonArray("downstream").getJsonObject(0).put("station", "giao-thuy");
    Path directory = Files.createDirectories(dataDir.resolve(Regulations.DIRECTORY));
    Files.writeString(directory.resolve("flood.json"), pack.encode());
    InvalidPackException e =
        assertThrows(InvalidPackException.class, () -> Regulations.load(dataDir));
    assertEquals(
        "flood.json: stations[1].downstream[0].station must be a station of this pack with a zone"
            + " or gaugeZone",
        e.getMessage());
  }

  private static FloodStation station(Regulations regulations, String id) {
    return regulations.floodStations().stream()
        .filter(s -> s.id().equals(id))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no station " + id));
  }

  @Test
  void aPackInTheDataDirectoryReplacesTheBundledOneOrAddsOne(@TempDir Path dataDir)
      throws Exception {
    JsonObject flood =
        Regulations.bundled().stream()
            .filter(p -> p.id().equals("flood-alarm-levels"))
            .findFirst()
            .orElseThrow()
            .toJson();
    // The bundled file's JSON, changed as an operator would: a new version with BĐ3 at Hội An
    // raised to 2.1 m.
    JsonObject changed = new JsonObject(read("flood-alarm-levels.json"));
    changed.put("version", flood.getInteger("version") + 1);
    changed.getJsonArray("stations").getJsonObject(0).getJsonArray("levels").set(2, 2.1);
    Path directory = Files.createDirectories(dataDir.resolve(Regulations.DIRECTORY));
    Files.writeString(directory.resolve("flood.json"), changed.encodePrettily());
    Files.writeString(
        directory.resolve("local.json"),
        new JsonObject()
            .put("id", "local-heat")
            .put("version", 1)
            .put("effectiveFrom", "2026-06-01")
            .put("name", new JsonObject().put("vi", "Nắng nóng").put("en", "Heat"))
            .put("description", new JsonObject().put("vi", "Ngưỡng địa phương").put("en", "Local"))
            .put("citation", "Provincial decision (example)")
            .put(
                "thresholds",
                new io.vertx.core.json.JsonArray()
                    .add(
                        new JsonObject()
                            .put("id", "heat")
                            .put("name", new JsonObject().put("vi", "Nhiệt độ").put("en", "Heat"))
                            .put("metric", "temperature")
                            .put("unit", "°C")
                            .put("value", 35)
                            .put("citation", "Provincial decision (example), art. 2")))
            .encode());

    Regulations regulations = Regulations.load(dataDir);
    RegulationPack replaced = regulations.pack("flood-alarm-levels").orElseThrow();
    assertEquals(flood.getInteger("version") + 1, replaced.version());
    assertEquals("data directory", replaced.origin());
    assertEquals(List.of(1.0, 1.5, 2.1), station(regulations, "hoi-an").levels());
    assertEquals(
        35,
        regulations
            .pack("local-heat")
            .orElseThrow()
            .threshold("heat")
            .orElseThrow()
            .periods()
            .get(0)
            .value());
  }

  @Test
  void aLimitWithoutCitationIsRefusedNamingFileAndField(@TempDir Path dataDir) throws Exception {
    JsonObject pack = new JsonObject(read("qcvn-40-2011-wastewater.json"));
    pack.getJsonArray("thresholds").getJsonObject(1).remove("citation");
    Path directory = Files.createDirectories(dataDir.resolve(Regulations.DIRECTORY));
    Files.writeString(directory.resolve("ww.json"), pack.encode());
    InvalidPackException e =
        assertThrows(InvalidPackException.class, () -> Regulations.load(dataDir));
    assertEquals("ww.json: thresholds[1].citation is required", e.getMessage());
  }

  static String read(String bundled) throws Exception {
    try (var in = Regulations.class.getResourceAsStream("/regulations/" + bundled)) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  /**
   * A wastewater site in the QCVN 40 pack gets its own rules at Cmax = C × Kq × Kf (here a river of
   * 30 m³/s, Kq 0.9, and 300 m³/24h, Kf 1.1: × 0.99), instead of its park's rule at C.
   */
  @Test
  void aWastewaterSiteIsSeededAtItsCmax(@TempDir Path dataDir) throws Exception {
    JsonObject pack =
        new JsonObject(
            new String(
                RegulationsTest.class
                    .getResourceAsStream("/regulations/qcvn-40-2011-wastewater.json")
                    .readAllBytes(),
                java.nio.charset.StandardCharsets.UTF_8));
    pack.put(
        "sites",
        new io.vertx.core.json.JsonArray()
            .add(
                new JsonObject(
                    "{\"zone\": \"kcn-thuan-yen\", \"site\": \"XLNT Thuận Yên\", \"receiving\":"
                        + " {\"type\": \"river\", \"flowM3s\": 30}, \"flowM3PerDay\": 300,"
                        + " \"source\": \"discharge permit\"}")));
    Files.createDirectories(dataDir.resolve("regulations"));
    Files.writeString(dataDir.resolve("regulations/qcvn-40-2011-wastewater.json"), pack.encode());

    RegulationPack loaded = Regulations.load(dataDir).pack("qcvn-40-2011-wastewater").orElseThrow();
    JsonObject site = loaded.toJson().getJsonArray("sites").getJsonObject(0);
    assertEquals(0.9, site.getDouble("kq"));
    assertEquals(1.1, site.getDouble("kf"));

    List<JsonObject> rules = loaded.rules();
    JsonObject columnB =
        rules.stream()
            .filter(r -> "XLNT Thuận Yên".equals(r.getJsonObject("scope").getString("site")))
            .filter(r -> r.getString("name").startsWith("Wastewater above QCVN 40 column B"))
            .findFirst()
            .orElseThrow();
    assertEquals("kcn-thuan-yen", columnB.getJsonObject("scope").getString("zone"));
    assertTrue(columnB.getString("name").contains("Kq 0.90 × Kf 1.10"), columnB.getString("name"));
    io.vertx.core.json.JsonArray leaves =
        columnB.getJsonObject("condition").getJsonArray("conditions");
    for (int i = 0; i < leaves.size(); i++) {
      JsonObject leaf = leaves.getJsonObject(i);
      switch (leaf.getString("metric")) {
        case "cod" -> assertEquals(148.5, leaf.getDouble("value"));
        case "tss" -> assertEquals(99.0, leaf.getDouble("value"));
        case "color" -> assertEquals(150.0, leaf.getDouble("value"), "colour takes Kq = Kf = 1");
        case "ph" -> assertEquals(5.5, leaf.getJsonArray("value").getDouble(0), "pH too");
        default -> {}
      }
    }
    assertTrue(
        rules.stream()
            .noneMatch(
                r ->
                    "kcn-thuan-yen".equals(r.getJsonObject("scope").getString("zone"))
                        && r.getJsonObject("scope").getString("site") == null),
        "no park-wide rule at C beside the site's");
    assertTrue(
        rules.stream()
            .anyMatch(r -> "kcn-tam-hiep".equals(r.getJsonObject("scope").getString("zone"))),
        "other parks keep theirs");
  }
}
