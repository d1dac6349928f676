package vn.lantern.rules.eval;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import vn.lantern.common.telemetry.DeviceRef;
import vn.lantern.rules.rule.Rule;

/**
 * Replays stored history through a rule with the same evaluation code as the live engine, on a
 * simulated clock, and lists the alerts it would have raised. History is fed page by page, in time
 * order, so a run holds one page and each device's state (its windows under the run's own {@link
 * WindowBudget}), never the whole range. Not thread-safe: one run on one thread.
 */
public final class DryRun {
  private final Rule rule;
  private final long fromMs;
  private final long toMs;
  private final WindowBudget windows;
  private final int maxAlerts;
  private final Map<String, Replay> devices = new LinkedHashMap<>();
  private final JsonArray alerts = new JsonArray();
  private long readings;
  private String stoppedBecause;

  /**
   * A run of {@code rule} over {@code [fromMs, toMs]}.
   *
   * @param expected registered devices in the rule's scope, which absence conditions expect
   * @param maxAlerts the run stops once it has listed this many alerts
   */
  public DryRun(
      Rule rule,
      Collection<DeviceRef> expected,
      long fromMs,
      long toMs,
      WindowBudget windows,
      int maxAlerts) {
    this.rule = rule;
    this.fromMs = fromMs;
    this.toMs = toMs;
    this.windows = windows;
    this.maxAlerts = maxAlerts;
    expected.forEach(this::device);
  }

  /**
   * Feeds the next page of readings: oldest first, every page after the previous one in time.
   *
   * @return false once the run has stopped (see {@link #stop})
   */
  public boolean feed(List<HistoryReader.Sample> page) {
    for (HistoryReader.Sample s : page) {
      if (stoppedBecause != null) {
        return false;
      }
      if (s.ts() <= toMs) {
        readings++;
        Replay replay = device(s.device());
        replay.state.read(s.metric(), s.value(), s.ts(), s.ts(), replay);
      }
    }
    return stoppedBecause == null;
  }

  /** Stops the run early; the answer says why and up to when it evaluated. */
  public void stop(String reason) {
    if (stoppedBecause == null) {
      stoppedBecause = reason;
    }
  }

  /** Runs every device's clock on to the end of the range and answers the alerts found. */
  public JsonObject finish() {
    if (stoppedBecause == null) {
      for (Replay replay : devices.values()) {
        replay.state.advance(toMs, replay);
      }
    }
    JsonObject answer =
        new JsonObject()
            .put("from", fromMs)
            .put("to", toMs)
            .put("devices", devices.size())
            .put("readings", readings)
            .put("alerts", alerts)
            .put("complete", stoppedBecause == null);
    if (stoppedBecause != null) {
      answer.put("stoppedBecause", stoppedBecause);
    }
    return answer;
  }

  private Replay device(DeviceRef device) {
    Replay replay = devices.get(device.id());
    if (replay == null) {
      replay =
          new Replay(
              new DeviceState(
                  rule, device, ConditionNode.compile(rule.condition(), fromMs, windows)),
              device);
      devices.put(device.id(), replay);
    }
    return replay;
  }

  /** One device's replay: its state, fed each reading at its own time, and its alerts. */
  private final class Replay implements DeviceState.Transitions {
    final DeviceState state;
    final DeviceRef device;
    private JsonObject open;

    Replay(DeviceState state, DeviceRef device) {
      this.state = state;
      this.device = device;
    }

    @Override
    public void fired(DeviceState s, long at) {
      if (alerts.size() >= maxAlerts) {
        stop("more than " + maxAlerts + " alerts");
        return;
      }
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
      alerts.add(open);
    }

    @Override
    public void cleared(DeviceState s, long at) {
      if (open != null) {
        open.put("resolvedAt", at);
        open = null;
      }
    }
  }
}
