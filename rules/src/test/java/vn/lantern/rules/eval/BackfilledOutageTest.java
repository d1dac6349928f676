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

  @Test
  void gapInPastReadingsRaisesAndResolvesTheOfflineAlert() {
    Rule rule =
        RuleJson.parse(
            new JsonObject(
                "{\"name\": \"offline\", \"scope\": {\"zone\": \"tam-ky\"}, \"condition\":"
                    + " {\"type\": \"absence\", \"for\": \"3m\"}}"),
            zone -> true);
    long activatedAt = 1_000_000_000_000L;
    DeviceState state =
        new DeviceState(
            rule,
            new DeviceRef("air-1", "air_quality", "tam-ky", "Tam Kỳ"),
            ConditionNode.compile(rule.condition(), activatedAt, WindowLimits.defaults().budget()));
    List<String> transitions = new ArrayList<>();
    DeviceState.Transitions out =
        new DeviceState.Transitions() {
          @Override
          public void fired(DeviceState s, long at) {
            transitions.add("fired@" + (at - start()) / MINUTE);
          }

          @Override
          public void cleared(DeviceState s, long at) {
            transitions.add("cleared@" + (at - start()) / MINUTE);
          }

          private long start() {
            return activatedAt - 240 * MINUTE;
          }
        };
    long start = activatedAt - 240 * MINUTE; // the drill began four hours before the rule
    for (long t = 0; t <= 120; t++) {
      if (t < 60 || t >= 90) { // silent from minute 60 to 90
        state.read("pm25", 20, start + t * MINUTE, activatedAt + t * 100, out);
      }
    }
    assertEquals(List.of("fired@62", "cleared@90"), transitions);
  }
}
