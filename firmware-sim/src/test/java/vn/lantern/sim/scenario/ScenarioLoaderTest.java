package vn.lantern.sim.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ScenarioLoaderTest {
  private final ScenarioLoader loader = new ScenarioLoader();

  private static final String GOOD =
      """
      name: test
      devices:
        - id: hoian-wl
          type: water_level
          zone: hoi-an
          interval: 1m
      """;

  @Test
  void readsAGoodFileWithDefaults() {
    Scenario s = loader.parse("good.yaml", GOOD);
    DeviceGroup g = s.devices().get(0);
    assertEquals(Duration.ofMinutes(1), g.interval());
    assertEquals(1, g.count());
    assertEquals(Transport.MQTT3, g.transport());
    assertEquals(Format.LANTERN_JSON, g.format());
    assertEquals(7L, s.seed());
  }

  @Test
  void badDurationNamesLineAndField() {
    ScenarioException e = fail(GOOD.replace("interval: 1m", "interval: fast"));
    assertEquals(6, e.line());
    assertEquals("devices[0].interval", e.field());
    assertTrue(e.getMessage().startsWith("bad.yaml line 6, column 15, field devices[0].interval:"));
    assertTrue(e.getMessage().contains("'fast' is not a duration"), e.getMessage());
  }

  @Test
  void unknownTypeNamesLineFieldAndTheAcceptedValues() {
    ScenarioException e = fail(GOOD.replace("water_level", "water_levl"));
    assertEquals(4, e.line());
    assertEquals("devices[0].type", e.field());
    assertTrue(e.getMessage().contains("water_level"), e.getMessage());
  }

  @Test
  void unknownFieldIsNamed() {
    ScenarioException e = fail(GOOD.replace("zone: hoi-an", "zone: hoi-an\n    cuont: 3"));
    assertEquals(6, e.line());
    assertEquals("devices[0].cuont", e.field());
    assertTrue(e.getMessage().contains("unknown field 'cuont'"), e.getMessage());
  }

  @Test
  void missingRequiredFieldIsNamed() {
    ScenarioException e = fail(GOOD.replace("    zone: hoi-an\n", ""));
    assertTrue(e.line() > 0);
    assertTrue(e.getMessage().contains("zone"), e.getMessage());
    assertTrue(e.field().startsWith("devices[0]"), e.field());
  }

  @Test
  void invalidValueFromValidationNamesLineAndField() {
    ScenarioException e = fail(GOOD.replace("interval: 1m", "interval: 1m\n    count: 0"));
    assertEquals("devices[0].count", e.field());
    assertTrue(e.line() >= 6, "line " + e.line());
    assertTrue(e.getMessage().contains("between 1 and 99999"), e.getMessage());
  }

  @Test
  void unknownEventKindIsNamed() {
    ScenarioException e = fail(GOOD + "events:\n  - {kind: earthquake, devices: hoian-wl}\n");
    assertEquals(8, e.line());
    assertTrue(e.field().startsWith("events[0]"), e.field());
    assertTrue(e.getMessage().contains("earthquake"), e.getMessage());
  }

  @Test
  void malformedYamlNamesTheLine() {
    ScenarioException e = fail(GOOD + "  - id: [unclosed\n");
    assertTrue(e.line() >= 7, "line " + e.line());
  }

  private ScenarioException fail(String yaml) {
    return assertThrows(ScenarioException.class, () -> loader.parse("bad.yaml", yaml));
  }
}
