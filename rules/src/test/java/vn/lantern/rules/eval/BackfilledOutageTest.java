package vn.lantern.rules.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import vn.lantern.common.telemetry.DeviceRef;
import vn.lantern.rules.rule.Rule;
import vn.lantern.rules.rule.RuleJson;

/**
 * An outage inside readings older than the rule itself (an accelerated drill, a gateway's backlog):
 * evaluated in data time, the gap raises the offline alert at its own time and the next reading
 * resolves it, rather than the rule's start time hiding every gap before it.
 */
class BackfilledOutageTest {
  private static final long MINUTE = 60_000;

  /** The rule starts four hours after the drill's first reading. */
  private static final long ACTIVATED_AT = 1_000_000_000_000L;

  private static final long START = ACTIVATED_AT - 240 * MINUTE;

  private final List<String> transitions = new ArrayList<>();
  private final DeviceState.Transitions out =
      new DeviceState.Transitions() {
        @Override
        public void fired(DeviceState s, long at) {
          transitions.add("fired@" + minute(at));
        }

        @Override
        public void cleared(DeviceState s, long at) {
          transitions.add("cleared@" + minute(at));
        }
      };

  private static long minute(long at) {
    return (at - START) / MINUTE;
  }

  private static DeviceState offlineRule() {
    Rule rule =
        RuleJson.parse(
            new JsonObject(
                "{\"name\": \"offline\", \"scope\": {\"zone\": \"tam-ky\"}, \"condition\":"
                    + " {\"type\": \"absence\", \"for\": \"3m\"}}"),
            zone -> true);
    return new DeviceState(
        rule,
        new DeviceRef("air-1", "air_quality", "tam-ky", "Tam Kỳ"),
        ConditionNode.compile(rule.condition(), ACTIVATED_AT, WindowLimits.defaults().budget()));
  }

  /** Minutes 0–120 of the drill, silent from minute 60 to 90, arriving after the rule started. */
  private void drill(DeviceState state, long arrivingFrom) {
    for (long t = 0; t <= 120; t++) {
      if (t < 60 || t >= 90) {
        state.read("pm25", 20, START + t * MINUTE, arrivingFrom + t * 100, out);
      }
    }
  }

  @Test
  void gapInPastReadingsRaisesAndResolvesTheOfflineAlert() {
    drill(offlineRule(), ACTIVATED_AT);
    assertEquals(List.of("fired@62", "cleared@90"), transitions);
  }

  @Test
  void ticksBeforeTheFirstReadingDoNotHideTheGap() {
    // The device is registered and the engine ticks on the wall clock before its first reading
    // (an accelerated drill is provisioned, then starts four hours in the past).
    DeviceState state = offlineRule();
    for (long s = 1; s <= 60; s++) {
      state.advance(ACTIVATED_AT + s * 1000, out);
    }
    drill(state, ACTIVATED_AT + 61_000);
    assertEquals(List.of("fired@62", "cleared@90"), transitions);
  }

  @Test
  void neverReportedAlertEndsWhenTheDeviceFirstReportsPastData() {
    // Silent since the rule started, the registered device raised its "never reported" alert on
    // the wall clock; its first readings are then four hours old.
    DeviceState state = offlineRule();
    for (long s = 1; s <= 240; s++) {
      state.advance(ACTIVATED_AT + s * 1000, out);
    }
    drill(state, ACTIVATED_AT + 241_000);
    assertEquals(
        List.of("fired@243", "cleared@244", "fired@62", "cleared@90"),
        transitions,
        "the never-reported alert ends when the first reading arrives (wall clock, not before it"
            + " was raised); the drill's own gap follows in data time");
  }
}
