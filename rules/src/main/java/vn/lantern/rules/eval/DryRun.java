package vn.lantern.rules.eval;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import vn.lantern.common.telemetry.DeviceRef;
import vn.lantern.rules.rule.Rule;

/**
 * Replays stored history through a rule with the same evaluation code as the live engine, on a
 * simulated clock, and lists the alerts it would have raised.
 */
public final class DryRun {

  private DryRun() {}

  /**
   * Evaluates {@code rule} over {@code samples} (oldest first) in {@code [fromMs, toMs]}.
   *
   * @param expected registered devices in the rule's scope, which absence conditions expect
   */
  public static JsonObject run(
      Rule rule,
      List<HistoryReader.Sample> samples,
      Collection<DeviceRef> expected,
      long fromMs,
      long toMs) {
    Map<String, List<HistoryReader.Sample>> byDevice = new LinkedHashMap<>();
    Map<String, DeviceRef> devices = new LinkedHashMap<>();
    for (DeviceRef d : expected) {
      devices.put(d.id(), d);
      byDevice.put(d.id(), new ArrayList<>());
    }
    for (HistoryReader.Sample s : samples) {
      devices.putIfAbsent(s.device().id(), s.device());
      byDevice.computeIfAbsent(s.device().id(), k -> new ArrayList<>()).add(s);
    }
    JsonArray alerts = new JsonArray();
    for (Map.Entry<String, List<HistoryReader.Sample>> e : byDevice.entrySet()) {
      simulate(rule, devices.get(e.getKey()), e.getValue(), fromMs, toMs, alerts);
    }
    return new JsonObject()
        .put("from", fromMs)
        .put("to", toMs)
        .put("devices", byDevice.size())
        .put("readings", samples.size())
        .put("alerts", alerts);
  }

  /** Feeds one device's readings as the live engine does, each at its own time, then runs on. */
  private static void simulate(
      Rule rule,
      DeviceRef device,
      List<HistoryReader.Sample> samples,
      long fromMs,
      long toMs,
      JsonArray out) {
    DeviceState state =
        new DeviceState(rule, device, ConditionNode.compile(rule.condition(), fromMs));
    DeviceState.Transitions collect =
        new DeviceState.Transitions() {
          private JsonObject open;

          @Override
          public void fired(DeviceState s, long at) {
            double value = s.root.value();
            open =
                new JsonObject()
                    .put("device", device.id())
                    .put("zone", device.zone())
                    .put("site", device.site())
                    .put("severity", s.root.severity(rule.severity()).json())
                    .put("firedAt", at)
                    .put("value", Double.isNaN(value) ? null : value)
                    .put("resolvedAt", null)
                    .put("flaps", s.flaps);
            out.add(open);
          }

          @Override
          public void cleared(DeviceState s, long at) {
            open.put("resolvedAt", at);
          }
        };
    for (HistoryReader.Sample s : samples) {
      if (s.ts() <= toMs) {
        state.read(s.metric(), s.value(), s.ts(), s.ts(), collect);
      }
    }
    state.advance(toMs, collect);
  }
}
