package vn.lantern.rules.eval;

import java.util.HashMap;
import java.util.Map;
import vn.lantern.common.telemetry.DeviceRef;
import vn.lantern.rules.rule.Condition;
import vn.lantern.rules.rule.Rule;

/** A rule being evaluated: the rule and its per-device state. Confined to the engine's thread. */
final class RuleRuntime {
  final Rule rule;
  final long activatedAt;
  final boolean timed;
  final boolean expectsDevices;
  final Map<String, DeviceState> states = new HashMap<>();
  private final WindowBudget windows;

  RuleRuntime(Rule rule, long activatedAt, WindowBudget windows) {
    this.rule = rule;
    this.activatedAt = activatedAt;
    this.windows = windows;
    this.timed = timed(rule.condition());
    this.expectsDevices = hasAbsence(rule.condition());
  }

  /**
   * The state a device's readings feed: its own, or for a zone-wide condition the one state of the
   * device's zone (under a device named for the zone, which its alerts carry).
   */
  DeviceState state(DeviceRef device) {
    if (rule.condition() instanceof Condition.ZoneAqi) {
      device =
          new DeviceRef(
              Condition.ZoneAqi.deviceId(device.zone()), rule.scope().type(), device.zone(), null);
    }
    DeviceState state = states.get(device.id());
    if (state == null) {
      state =
          new DeviceState(
              rule, device, ConditionNode.compile(rule.condition(), activatedAt, windows));
      states.put(device.id(), state);
    } else if (!state.device.equals(device)) {
      // Site or type renamed in the registry: keep the state (and any open alert) of the device.
      state.device = device;
    }
    return state;
  }

  /** Gives back the memory of every device's windows (the rule changed or went away). */
  void release() {
    states.values().forEach(state -> state.root.release());
  }

  /** Whether the condition changes with time alone (so it is evaluated on every tick). */
  private static boolean timed(Condition c) {
    if (c instanceof Condition.Threshold t) {
      return !t.holdFor().isZero();
    }
    if (c instanceof Condition.Rate r) {
      return !r.holdFor().isZero();
    }
    if (c instanceof Condition.Levels l) {
      return l.window() != null;
    }
    if (c instanceof Condition.Any any) {
      return any.conditions().stream().anyMatch(RuleRuntime::timed);
    }
    if (c instanceof Condition.All all) {
      return all.conditions().stream().anyMatch(RuleRuntime::timed);
    }
    return true;
  }

  private static boolean hasAbsence(Condition c) {
    if (c instanceof Condition.Absence) {
      return true;
    }
    if (c instanceof Condition.Any any) {
      return any.conditions().stream().anyMatch(RuleRuntime::hasAbsence);
    }
    if (c instanceof Condition.All all) {
      return all.conditions().stream().anyMatch(RuleRuntime::hasAbsence);
    }
    return false;
  }
}
