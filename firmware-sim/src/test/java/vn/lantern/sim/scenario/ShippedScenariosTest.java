package vn.lantern.sim.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import vn.lantern.sim.signal.SignalModel;
import vn.lantern.sim.signal.SignalModels;

/** The scenario files shipped in {@code firmware-sim/scenarios} load and do what they say. */
class ShippedScenariosTest {
  private static final Set<String> CATALOGUE_ZONES =
      Set.of(
          "tam-ky",
          "hoi-an",
          "dien-ban",
          "kcn-dien-nam-dien-ngoc",
          "kcn-thuan-yen",
          "kcn-tam-thang",
          "kcn-bac-chu-lai",
          "kcn-tam-hiep");

  private final ScenarioLoader loader = new ScenarioLoader();

  @ParameterizedTest
  @ValueSource(strings = {"quang-nam", "hoi-an-flood", "wastewater-breach", "sensor-outage"})
  void loadsWithCatalogueZonesAndEventsThatHitDevices(String name) {
    Scenario s = load(name);
    Fleet fleet = new Fleet(s, s.seed());
    for (DeviceGroup g : s.devices()) {
      assertTrue(CATALOGUE_ZONES.contains(g.zone()), g.zone());
    }
    for (ScenarioEvent e : s.events()) {
      assertTrue(
          fleet.devices().stream().anyMatch(d -> e.appliesTo(d.id())),
          "event for " + e.devices() + " hits a device");
    }
    Set<String> ids = new HashSet<>();
    fleet.devices().forEach(d -> assertTrue(ids.add(d.id()), "unique id " + d.id()));
  }

  @Test
  void quangNamCoversEverySiteAndSensorTypeWithAFewHundredDevices() {
    Scenario s = load("quang-nam");
    Fleet fleet = new Fleet(s, s.seed());
    assertEquals(
        CATALOGUE_ZONES, s.devices().stream().map(DeviceGroup::zone).collect(Collectors.toSet()));
    assertEquals(
        EnumSet.allOf(DeviceType.class),
        s.devices().stream()
            .map(DeviceGroup::type)
            .collect(Collectors.toCollection(() -> EnumSet.noneOf(DeviceType.class))));
    int n = fleet.devices().size();
    assertTrue(n >= 200 && n <= 500, n + " devices");
  }

  @Test
  void floodDrillCrossesEachAlarmWhenTheScenarioSays() {
    Scenario s = load("hoi-an-flood");
    Fleet fleet = new Fleet(s, s.seed());
    List<Expectation> crossings =
        s.expect().stream().filter(e -> e.kind() == Expectation.Kind.CROSSING).toList();
    assertEquals(6, crossings.size());
    Instant start = Instant.parse("2026-11-20T11:00:00Z"); // 18:00 in Hoi An
    for (Expectation expect : crossings) {
      DeviceSpec device =
          fleet.devices().stream().filter(d -> d.id().equals(expect.device())).findFirst().get();
      SplittableRandom random = Fleet.randomFor(fleet.seed(), device.id());
      SignalModel model = SignalModels.create(device, s.eventsFor(device.id()), random.split());
      Duration crossed = null;
      for (Duration t = Duration.ZERO;
          t.compareTo(s.duration()) <= 0;
          t = t.plus(device.interval())) {
        Map<String, Double> sample = model.sample(start.plus(t), t, random);
        if (crossed == null && sample.get(expect.metric()) >= expect.crosses()) {
          crossed = t;
        }
      }
      assertTrue(crossed != null, expect.note() + " never crossed");
      long offBy = Math.abs(crossed.minus(expect.at()).toMinutes());
      assertTrue(
          offBy <= 5, expect.note() + " crossed at " + crossed + ", scenario says " + expect.at());
    }
  }

  @Test
  void outageDrillSilencesAndKeepsUplinkOutagesApart() {
    Scenario s = load("sensor-outage");
    List<Outage> outages =
        s.events().stream().filter(Outage.class::isInstance).map(Outage.class::cast).toList();
    assertTrue(outages.stream().anyMatch(o -> o.mode() == Outage.Mode.SILENT));
    assertTrue(outages.stream().anyMatch(o -> o.mode() == Outage.Mode.OFFLINE));
    assertFalse(s.eventsFor("tamky-air-a-01").isEmpty());
    assertTrue(s.eventsFor("tamky-air-b-01").isEmpty());
  }

  private Scenario load(String name) {
    return loader.load(Path.of("scenarios", name + ".yaml"));
  }
}
