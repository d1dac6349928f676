package vn.lantern.rules.eval;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.ThreadingModel;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.lantern.common.bus.TelemetryBus;
import vn.lantern.common.bus.ZoneOwnership;
import vn.lantern.common.telemetry.DeviceRef;
import vn.lantern.common.telemetry.Reading;
import vn.lantern.common.telemetry.TelemetryBatch;
import vn.lantern.rules.Directory;
import vn.lantern.rules.RulesMeters;
import vn.lantern.rules.alert.Alert;
import vn.lantern.rules.alert.AlertService;
import vn.lantern.rules.alert.AlertState;
import vn.lantern.rules.rule.Condition;
import vn.lantern.rules.rule.EscalationStep;
import vn.lantern.rules.rule.Rule;
import vn.lantern.rules.rule.Severity;

/**
 * Evaluates the enabled rules against the telemetry bus and a clock tick. All evaluation state
 * lives on one Vert.x context, so readings, ticks and rule changes never race; a reading and an
 * absence deadline at the same instant are simply handled one after the other, and whichever comes
 * last decides, so no alert is left open once its condition has cleared. That context is a worker
 * context on a thread of its own, never an event loop: however much a flood of readings costs to
 * evaluate, the HTTP API and the protocol endpoints keep answering. Windows hold their points under
 * one {@link WindowBudget}.
 *
 * <p>Evaluation runs in data time (see {@link DeviceState}): alerts raised from replayed data carry
 * the readings' time, are marked late, and page nobody unless still active once the device's data
 * has caught up (or {@link #LATE_AFTER_MS} after they were raised).
 */
public final class RuleEngine {
  private static final Logger LOG = LoggerFactory.getLogger(RuleEngine.class);

  /** A transition this far behind the wall clock is late. */
  public static final long LATE_AFTER_MS = 300_000;

  private final Vertx vertx;
  private final Promise<Context> context = Promise.promise();
  private final Future<String> deployment;
  private final WindowBudget windows;
  private final AlertService alerts;
  private final Directory directory;
  private final Function<Rule, Future<List<HistoryReader.Sample>>> history;
  private final Supplier<Future<List<Alert>>> storedOpenAlerts;
  private final long tickMs;
  private final Map<String, RuleRuntime> runtimes = new HashMap<>();
  private final Map<DeviceRef, DeviceRules> byDevice = new HashMap<>();
  private final Counter readings;
  private final Counter evaluations;
  private final AtomicLong lagMs = new AtomicLong();
  private TelemetryBus.Subscription subscription;

  /**
   * The zones evaluated here (confined to the engine's context): the bus's, except zones just
   * gained whose open alerts are still being read from the store.
   */
  private ZoneOwnership evaluated = ZoneOwnership.ALL;

  private volatile boolean stopped;
  private long timer = -1;

  /** Wall time of the batch or tick being evaluated (confined to the engine's context). */
  private long wallNow;

  private final DeviceState.Transitions transitions = new AlertTransitions();

  /**
   * @param history reads a rule's recent history to rebuild windows (runs off the event loop)
   * @param tickMs evaluation tick: absence deadlines, {@code for} durations and escalation are
   *     checked this often
   */
  public RuleEngine(
      Vertx vertx,
      AlertService alerts,
      Directory directory,
      Function<Rule, Future<List<HistoryReader.Sample>>> history,
      long tickMs,
      WindowBudget windows,
      MeterRegistry metrics) {
    this(
        vertx,
        alerts,
        directory,
        history,
        () -> Future.succeededFuture(List.of()),
        tickMs,
        windows,
        metrics);
  }

  /**
   * @param storedOpenAlerts reads the open alerts of the shared store once every transition
   *     recorded so far is written; needed where zones move between nodes ({@link
   *     TelemetryBus#onOwnershipChange})
   */
  public RuleEngine(
      Vertx vertx,
      AlertService alerts,
      Directory directory,
      Function<Rule, Future<List<HistoryReader.Sample>>> history,
      Supplier<Future<List<Alert>>> storedOpenAlerts,
      long tickMs,
      WindowBudget windows,
      MeterRegistry metrics) {
    this.storedOpenAlerts = storedOpenAlerts;
    this.vertx = vertx;
    this.windows = windows;
    this.alerts = alerts;
    this.directory = directory;
    this.history = history;
    this.tickMs = tickMs;
    this.readings = metrics.counter(RulesMeters.READINGS);
    this.evaluations = metrics.counter(RulesMeters.EVALUATIONS);
    Gauge.builder(RulesMeters.READING_LAG, lagMs, ms -> ms.get() / 1000.0)
        .baseUnit("seconds")
        .description("age of the newest reading of the last batch when the rules engine got it")
        .register(metrics);
    Gauge.builder("lantern.rules.window.points", windows, WindowBudget::held)
        .description("points held in the sliding and tumbling windows of all rules")
        .register(metrics);
    for (WindowBudget.Drop reason : WindowBudget.Drop.values()) {
      FunctionCounter.builder("lantern.rules.window.dropped", windows, w -> w.droppedCount(reason))
          .tag("reason", reason.tag())
          .description("readings a window did not keep (late, window full, all windows full)")
          .register(metrics);
    }
    // A worker verticle only to own the engine's context: one thread of its own, never an event
    // loop, and tasks run in order, so the state needs no locks.
    deployment =
        vertx.deployVerticle(
            new VerticleBase() {
              @Override
              public Future<?> start() {
                RuleEngine.this.context.complete(context);
                return Future.succeededFuture();
              }
            },
            new DeploymentOptions()
                .setThreadingModel(ThreadingModel.WORKER)
                .setWorkerPoolName("lantern-rules-engine")
                .setWorkerPoolSize(1));
  }

  /** Starts consuming the bus and the tick, with the given rules. */
  public Future<Void> start(TelemetryBus bus, Collection<Rule> rules) {
    return onContext(
        () -> {
          long now = System.currentTimeMillis();
          evaluated = bus.ownership();
          // alerts another node evaluates are that node's to change
          Map<String, Rule> byId = new HashMap<>();
          rules.forEach(rule -> byId.put(rule.id(), rule));
          alerts.retain(a -> evaluated.owns(a.evaluatedIn(byId.get(a.ruleId()))));
          rules.forEach(rule -> activate(rule, now));
          bus.onOwnershipChange(this::ownershipChanged);
          subscription = bus.subscribe(this::onBatch);
          timer = vertx.setPeriodic(tickMs, id -> tick(System.currentTimeMillis()));
          LOG.info("event=rule_engine_started rules={} tick_ms={}", runtimes.size(), tickMs);
        });
  }

  /** Stops consuming and gives the engine's thread back. */
  public Future<Void> stop() {
    stopped = true;
    return onContext(
            () -> {
              if (subscription != null) {
                subscription.close();
              }
              vertx.cancelTimer(timer);
            })
        .compose(v -> deployment.compose(vertx::undeploy));
  }

  /** Applies a saved rule at once: new state, open alerts kept and re-checked. */
  public Future<Void> apply(Rule rule) {
    return onContext(
        () -> {
          discard(rule.id());
          long now = System.currentTimeMillis();
          if (!rule.enabled()) {
            clearAll(rule.id(), "rule disabled", now);
            return;
          }
          activate(rule, now);
        });
  }

  /**
   * Applies a rule saved elsewhere with another zone, maybe by a zone merge, which moved its open
   * alerts in the same transaction: the stored open alerts are read first, and the rule starts here
   * together with taking over those of its alerts this node now evaluates. A reading the rule sees
   * here then finds its moved alert open and goes on with it, never raising a second one.
   */
  public Future<Void> applyMoved(Rule rule) {
    return storedOpenAlerts()
        .transform(
            stored ->
                onContext(
                    () -> {
                      discard(rule.id());
                      long now = System.currentTimeMillis();
                      if (!rule.enabled()) {
                        clearAll(rule.id(), "rule disabled", now);
                        return;
                      }
                      if (stored.succeeded()) {
                        // placed by the rule as it is now (an upstream warning by its zone)
                        alerts.adopt(
                            stored.result(),
                            a ->
                                a.ruleId().equals(rule.id())
                                    && evaluated.owns(a.evaluatedIn(rule)));
                      } else {
                        LOG.error(
                            "event=open_alerts_unavailable rule={} error=\"{}\"",
                            rule.id(),
                            stored.cause().getMessage());
                      }
                      activate(rule, now);
                    }));
  }

  /** Stops evaluating a deleted rule and resolves its open alerts. */
  public Future<Void> remove(String ruleId) {
    return onContext(
        () -> {
          discard(ruleId);
          clearAll(ruleId, "rule deleted", System.currentTimeMillis());
        });
  }

  /**
   * Zones moved: a lost zone's rule state and open alerts are dropped here (its alerts are in the
   * shared store once the transitions recorded so far are written, which the returned future waits
   * for); a gained zone's open alerts are read from the store, and every rule's state is rebuilt
   * from those alerts and the readings' history, so an absence deadline counts from the device's
   * last stored reading, not from the move.
   */
  private Future<Void> ownershipChanged(ZoneOwnership after) {
    if (stopped) {
      return Future.succeededFuture(); // leaving: the store already has every transition
    }
    ZoneOwnership[] keeping = new ZoneOwnership[1];
    return onContext(
            () -> {
              ZoneOwnership kept = evaluated;
              keeping[0] = zone -> kept.owns(zone) && after.owns(zone);
              evaluated = keeping[0];
              alerts.retain(a -> evaluatedBy(keeping[0], a));
            })
        .compose(v -> storedOpenAlerts())
        .transform(
            stored ->
                onContext(
                    () -> {
                      if (stored.succeeded()) {
                        alerts.adopt(
                            stored.result(),
                            a -> evaluatedBy(after, a) && !evaluatedBy(keeping[0], a));
                      } else {
                        LOG.error(
                            "event=open_alerts_unavailable error=\"{}\"",
                            stored.cause().getMessage());
                      }
                      evaluated = after;
                      rebuild(System.currentTimeMillis());
                      LOG.info(
                          "event=rule_zones_moved rules={} open_alerts={}",
                          runtimes.size(),
                          alerts.openAlerts().size());
                    }));
  }

  /**
   * Open alerts moved between zones in the shared store (a zone merge through any node): takes over
   * those this node now evaluates and lets go of the others, then rebuilds every rule's state from
   * them, as after an ownership change. Call once the moved rules are applied, so that an upstream
   * warning is placed by its rule's zone.
   */
  public Future<Void> reloadOpenAlerts() {
    return storedOpenAlerts()
        .transform(
            stored ->
                onContext(
                    () -> {
                      if (stored.failed()) {
                        LOG.error(
                            "event=open_alerts_unavailable error=\"{}\"",
                            stored.cause().getMessage());
                        return;
                      }
                      alerts.retain(a -> evaluatedBy(evaluated, a));
                      alerts.adopt(stored.result(), a -> evaluatedBy(evaluated, a));
                      rebuild(System.currentTimeMillis());
                      LOG.info(
                          "event=open_alerts_reloaded rules={} open_alerts={}",
                          runtimes.size(),
                          alerts.openAlerts().size());
                    }));
  }

  /** Whether the node owning {@code zones} evaluates {@code alert} (on the engine's context). */
  private boolean evaluatedBy(ZoneOwnership zones, Alert alert) {
    RuleRuntime runtime = runtimes.get(alert.ruleId());
    return zones.owns(alert.evaluatedIn(runtime == null ? null : runtime.rule));
  }

  private Future<List<Alert>> storedOpenAlerts() {
    try {
      return storedOpenAlerts.get();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  /** Rebuilds every rule's state from the open alerts and the readings' history. */
  private void rebuild(long now) {
    List<Rule> active = runtimes.values().stream().map(r -> r.rule).toList();
    List.copyOf(runtimes.keySet()).forEach(this::discard);
    active.forEach(rule -> activate(rule, now));
  }

  private void discard(String ruleId) {
    RuleRuntime previous = runtimes.remove(ruleId);
    if (previous != null) {
      previous.release();
    }
    byDevice.clear();
  }

  private Future<Void> onContext(Runnable action) {
    return context
        .future()
        .compose(
            engine -> {
              Promise<Void> done = Promise.promise();
              engine.runOnContext(
                  v -> {
                    action.run();
                    done.complete();
                  });
              return done.future();
            });
  }

  private void clearAll(String ruleId, String note, long now) {
    for (Alert alert : alerts.openAlerts()) {
      if (alert.ruleId().equals(ruleId)) {
        alerts.clear(ruleId, alert.device(), note, now);
      }
    }
  }

  private void activate(Rule rule, long activatedAt) {
    if (!rule.enabled()) {
      return;
    }
    RuleRuntime runtime = new RuleRuntime(rule, activatedAt, windows);
    runtimes.put(rule.id(), runtime);
    byDevice.clear();
    for (Alert alert : alerts.openAlerts()) {
      if (alert.ruleId().equals(rule.id())) {
        DeviceRef device = deviceRef(alert);
        boolean zoneWide = rule.condition() instanceof Condition.ZoneAqi;
        if (zoneWide ? !rule.scope().zone().equals(alert.zone()) : !rule.scope().matches(device)) {
          // The changed rule no longer watches this device: nothing would ever clear the alert.
          alerts.clear(rule.id(), alert.device(), "device out of scope", activatedAt);
          continue;
        }
        DeviceState state = runtime.state(device);
        state.firing = true;
        state.flaps = alert.flaps();
        state.severity = alert.severity();
        state.lastNotifiedAt = alert.updatedAt();
        state.raisedAtWall = activatedAt;
        state.root.assumeActive(alert.since());
      }
    }
    if (runtime.timed) {
      history
          .apply(rule)
          .onComplete(
              result -> {
                if (result.failed()) {
                  LOG.warn(
                      "event=rule_history_unavailable rule={} error=\"{}\"",
                      rule.id(),
                      result.cause().getMessage());
                } else if (runtimes.get(rule.id()) == runtime) {
                  for (HistoryReader.Sample s : result.result()) {
                    DeviceState state = runtime.state(s.device());
                    state.root.from(s.device());
                    state.replay(s.metric(), s.value(), s.ts());
                  }
                }
              });
    }
  }

  private DeviceRef deviceRef(Alert alert) {
    for (DeviceRef d : directory.devices()) {
      if (d.id().equals(alert.device())) {
        return d;
      }
    }
    return new DeviceRef(alert.device(), "", alert.zone(), alert.site());
  }

  /**
   * The enabled rules whose scope contains a device, with the device's state in each: one lookup
   * per batch instead of one per rule (cached until a rule changes or a device is removed).
   */
  private static final class DeviceRules {
    final RuleRuntime[] runtimes;
    final DeviceState[] states;

    DeviceRules(List<RuleRuntime> runtimes) {
      this.runtimes = runtimes.toArray(new RuleRuntime[0]);
      this.states = new DeviceState[this.runtimes.length];
    }

    DeviceState state(int i, DeviceRef device) {
      DeviceState state = states[i];
      if (state == null) {
        state = runtimes[i].state(device);
        states[i] = state;
      }
      return state;
    }
  }

  private DeviceRules rulesFor(DeviceRef device) {
    DeviceRules matching = byDevice.get(device);
    if (matching == null) {
      List<RuleRuntime> list = new ArrayList<>();
      for (RuleRuntime runtime : runtimes.values()) {
        if (runtime.rule.scope().matches(device)) {
          list.add(runtime);
        }
      }
      if (byDevice.size() > 100_000) {
        byDevice.clear();
      }
      matching = new DeviceRules(list);
      byDevice.put(device, matching);
    }
    return matching;
  }

  private static long newestTimestamp(TelemetryBatch batch) {
    long newest = Long.MIN_VALUE;
    for (Reading r : batch.readings()) {
      newest = Math.max(newest, r.timestampMs());
    }
    return newest;
  }

  private void onBatch(TelemetryBatch batch) {
    onBatch(batch, System.currentTimeMillis());
  }

  /** Evaluates a batch that arrived at {@code now}. */
  void onBatch(TelemetryBatch batch, long now) {
    DeviceRules matching = rulesFor(batch.device());
    readings.increment(batch.readings().size());
    lagMs.set(now - newestTimestamp(batch));
    int n = matching.runtimes.length;
    if (n == 0) {
      return;
    }
    evaluations.increment(n);
    wallNow = now;
    List<Reading> list = MaintenanceFilter.measuring(batch.readings());
    for (int i = 0; i < n; i++) {
      DeviceState state = matching.state(i, batch.device());
      state.root.from(batch.device());
      for (int j = 0; j < list.size(); j++) {
        Reading r = list.get(j);
        state.read(r.metric(), r.value(), r.timestampMs(), now, transitions);
      }
    }
  }

  /** Turns the evaluation's transitions into alerts, stamped with data time. */
  private final class AlertTransitions implements DeviceState.Transitions {
    @Override
    public void fired(DeviceState state, long at) {
      boolean late = wallNow - at > LATE_AFTER_MS;
      state.lastNotifiedAt = wallNow;
      state.raisedAtWall = wallNow;
      alerts.fire(
          state.rule,
          alerted(state),
          state.root.value(),
          at,
          new AlertService.Circumstances(late, state.flaps, !state.reported()),
          state.severity,
          state.root.detail());
    }

    /**
     * The device as its alert shows it: an upstream warning is raised in the downstream station's
     * zone, naming the upstream gauge.
     */
    private static DeviceRef alerted(DeviceState state) {
      if (state.rule.condition() instanceof Condition.Upstream u) {
        DeviceRef d = state.device;
        return new DeviceRef(d.id(), d.type(), u.downstream().zone(), d.site());
      }
      return state.device;
    }

    @Override
    public void cleared(DeviceState state, long at) {
      String detail = state.root.detail();
      alerts.clear(
          state.rule.id(), state.device.id(), detail == null ? "condition cleared" : detail, at);
    }

    @Override
    public void regraded(DeviceState state, Severity to, long at) {
      alerts.regrade(state.rule.id(), state.device.id(), to, state.root.detail(), at);
    }
  }

  void tick(long now) {
    wallNow = now;
    // Registered devices that never reported still owe absence rules their readings; removed
    // devices owe nothing any more.
    Set<String> registered = new HashSet<>();
    for (DeviceRef device : directory.devices()) {
      registered.add(device.id());
      if (!evaluated.owns(device.zone())) {
        continue; // another node owes its absence rules
      }
      DeviceRules matching = rulesFor(device);
      for (int i = 0; i < matching.runtimes.length; i++) {
        if (matching.runtimes[i].expectsDevices) {
          matching.state(i, device);
        }
      }
    }
    for (RuleRuntime runtime : runtimes.values()) {
      if (runtime.expectsDevices) {
        forgetRemovedDevices(runtime, registered, now);
      }
      if (runtime.timed) {
        for (DeviceState state : runtime.states.values()) {
          // history replays every device of the rule's scope; only this node's zones move on
          if (evaluated.owns(state.device.zone())) {
            state.advance(state.clockAt(now), transitions);
          }
        }
      }
    }
    escalateAndRenotify(now);
  }

  /** Whether a late alert's device reports current data again, or it stayed open long enough. */
  private static boolean caughtUpOrOverdue(DeviceState state, long now) {
    return now - state.latestTs() <= LATE_AFTER_MS || now - state.raisedAtWall >= LATE_AFTER_MS;
  }

  private void forgetRemovedDevices(RuleRuntime runtime, Set<String> registered, long now) {
    for (Iterator<DeviceState> it = runtime.states.values().iterator(); it.hasNext(); ) {
      DeviceState state = it.next();
      if (!registered.contains(state.device.id())) {
        it.remove();
        state.root.release();
        byDevice.clear();
        alerts.clear(runtime.rule.id(), state.device.id(), "device removed", now);
      }
    }
  }

  private void escalateAndRenotify(long now) {
    for (Alert alert : alerts.openAlerts()) {
      RuleRuntime runtime = runtimes.get(alert.ruleId());
      if (runtime == null || alert.state() != AlertState.FIRING) {
        continue;
      }
      Rule rule = runtime.rule;
      DeviceState state = runtime.states.get(alert.device());
      if (alert.held() && state != null && caughtUpOrOverdue(state, now)) {
        // Raised from late data and still active: page now.
        state.lastNotifiedAt = now;
        alerts.release(alert.id(), now);
      }
      long dataNow = state == null ? now : state.clockAt(now);
      for (EscalationStep step : rule.escalation()) {
        if (dataNow - alert.since() >= step.after().toMillis()
            && alert.severity().compareTo(step.severity()) < 0) {
          alerts.escalate(alert.id(), step.severity(), dataNow);
        }
      }
      if (rule.renotify() != null
          && state != null
          && !alert.held()
          && now - state.lastNotifiedAt >= rule.renotify().toMillis()) {
        state.lastNotifiedAt = now;
        alerts.renotify(alert.id(), now);
      }
    }
  }
}
