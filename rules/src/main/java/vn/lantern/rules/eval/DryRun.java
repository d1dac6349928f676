package vn.lantern.rules.eval;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import vn.lantern.common.telemetry.DeviceRef;
import vn.lantern.rules.rule.Condition;
import vn.lantern.rules.rule.Rule;

/**
 * Replays stored history through a rule with the same evaluation code as the live engine, on a
 * simulated clock, and lists the alerts it would have raised.
 */
public final class DryRun {
  private static final long MAX_STEPS = 200_000;

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
    long step =
        Math.max(
            Math.min(Math.max(1000, shortest(rule.condition()) / 10), 60_000),
            (toMs - fromMs) / MAX_STEPS);
    JsonArray alerts = new JsonArray();
    for (Map.Entry<String, List<HistoryReader.Sample>> e : byDevice.entrySet()) {
      simulate(rule, devices.get(e.getKey()), e.getValue(), fromMs, toMs, step, alerts);
    }
    return new JsonObject()
        .put("from", fromMs)
        .put("to", toMs)
        .put("devices", byDevice.size())
        .put("readings", samples.size())
        .put("alerts", alerts);
  }

  private static void simulate(
      Rule rule,
      DeviceRef device,
      List<HistoryReader.Sample> samples,
      long fromMs,
      long toMs,
      long step,
      JsonArray out) {
    ConditionNode root = ConditionNode.compile(rule.condition(), fromMs);
    JsonObject open = null;
    int i = 0;
    for (long clock = fromMs; clock <= toMs; clock += step) {
      while (i < samples.size() && samples.get(i).ts() <= clock) {
        HistoryReader.Sample s = samples.get(i++);
        root.onReading(s.metric(), s.value(), s.ts(), s.ts());
        open = transition(rule, device, root, s.ts(), open, out);
      }
      root.onTick(clock);
      open = transition(rule, device, root, clock, open, out);
    }
    while (i < samples.size() && samples.get(i).ts() <= toMs) {
      HistoryReader.Sample s = samples.get(i++);
      root.onReading(s.metric(), s.value(), s.ts(), s.ts());
      open = transition(rule, device, root, s.ts(), open, out);
    }
  }

  private static JsonObject transition(
      Rule rule, DeviceRef device, ConditionNode root, long at, JsonObject open, JsonArray out) {
    boolean satisfied = root.satisfied(at);
    if (satisfied && open == null) {
      double value = root.value();
      JsonObject alert =
          new JsonObject()
              .put("device", device.id())
              .put("zone", device.zone())
              .put("site", device.site())
              .put("severity", rule.severity().json())
              .put("firedAt", at)
              .put("value", Double.isNaN(value) ? null : value)
              .put("resolvedAt", null);
      out.add(alert);
      return alert;
    }
    if (!satisfied && open != null) {
      open.put("resolvedAt", at);
      return null;
    }
    return open;
  }

  /** The shortest duration in a condition, which bounds the useful simulation step. */
  private static long shortest(Condition c) {
    if (c instanceof Condition.Threshold t) {
      return t.holdFor().isZero() ? Long.MAX_VALUE : t.holdFor().toMillis();
    }
    if (c instanceof Condition.Rate r) {
      return r.holdFor().isZero() ? Long.MAX_VALUE : r.holdFor().toMillis();
    }
    if (c instanceof Condition.Absence a) {
      return a.duration().toMillis();
    }
    if (c instanceof Condition.Aggregate a) {
      return a.window().toMillis();
    }
    if (c instanceof Condition.Levels) {
      return Long.MAX_VALUE;
    }
    List<Condition> children =
        c instanceof Condition.Any any ? any.conditions() : ((Condition.All) c).conditions();
    return children.stream().mapToLong(DryRun::shortest).min().orElse(Long.MAX_VALUE);
  }
}
