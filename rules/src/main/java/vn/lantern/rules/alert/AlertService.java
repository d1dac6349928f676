package vn.lantern.rules.alert;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.lantern.common.telemetry.DeviceRef;
import vn.lantern.rules.rule.Rule;
import vn.lantern.rules.rule.Severity;

/**
 * Owns the open alerts: at most one per (rule, device). Every transition happens here, under one
 * lock, so the engine's evaluations and the API's acknowledgements never race; each transition is
 * handed to the sink (store, InfluxDB, notifications), which must not block.
 */
public final class AlertService {
  private static final Logger LOG = LoggerFactory.getLogger(AlertService.class);

  private static final int RECENTLY_RESOLVED_KEPT = 10_000;

  private final Map<String, Alert> openByKey = new HashMap<>();
  private final Map<String, Alert> openById = new HashMap<>();

  /**
   * Ids of the alerts last resolved here: a read of the shared store made before such a transition
   * was written still shows it open, and {@link #adopt} must not open it again.
   */
  private final Map<String, Boolean> recentlyResolved =
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
          return size() > RECENTLY_RESOLVED_KEPT;
        }
      };

  private final Consumer<AlertEvent> sink;

  public AlertService(Consumer<AlertEvent> sink) {
    this.sink = sink;
  }

  private static String key(String ruleId, String deviceId) {
    return ruleId + '\u0000' + deviceId;
  }

  /** Loads the alerts that were open when the node stopped. */
  public synchronized void restore(Collection<Alert> open) {
    for (Alert a : open) {
      openByKey.put(key(a.ruleId(), a.device()), a);
      openById.put(a.id(), a);
    }
  }

  /**
   * Forgets, without a transition, the open alerts another node now evaluates ({@code
   * evaluatedHere} false): their record stays in the shared store, where that node takes them from.
   */
  public synchronized void retain(Predicate<Alert> evaluatedHere) {
    openById.values().removeIf(a -> !evaluatedHere.test(a));
    openByKey.values().removeIf(a -> !evaluatedHere.test(a));
  }

  /**
   * Takes over the open alerts read from the shared store that this node now evaluates ({@code
   * evaluatedHere}); an alert already open here for the same (rule, device) is kept, and one this
   * node resolved since the store was read is not taken back.
   */
  public synchronized void adopt(Collection<Alert> stored, Predicate<Alert> evaluatedHere) {
    for (Alert a : stored) {
      if (evaluatedHere.test(a)
          && !openByKey.containsKey(key(a.ruleId(), a.device()))
          && !recentlyResolved.containsKey(a.id())) {
        openByKey.put(key(a.ruleId(), a.device()), a);
        openById.put(a.id(), a);
      }
    }
  }

  /**
   * Zone {@code from} was merged into {@code into}: its open alerts belong to {@code into} from now
   * on (the store moved them in the merge's transaction). No transition is sent: the alert goes on
   * as it was, only under its new zone.
   *
   * @return how many open alerts moved
   */
  public synchronized int moveZone(String from, String into) {
    int moved = 0;
    for (Alert open : List.copyOf(openById.values())) {
      if (open.zone().equals(from)) {
        replace(open.inZone(into));
        moved++;
      }
    }
    return moved;
  }

  /** An open alert by id, if it is open. */
  public synchronized Optional<Alert> openById(String id) {
    return Optional.ofNullable(openById.get(id));
  }

  /** A snapshot of the open alerts. */
  public synchronized List<Alert> openAlerts() {
    return new ArrayList<>(openById.values());
  }

  /**
   * How an alert came about, beyond its rule and value.
   *
   * @param late raised from late readings: stored and streamed, but its notifications are held
   *     until {@link #release} says it is still active
   * @param flaps re-fires of (rule, device) in a row, each within an hour of clearing
   * @param neverReported the device never reported since it was registered (a device not yet
   *     installed): the alert is information, not an alarm, whatever the rule's severity
   */
  public record Circumstances(boolean late, int flaps, boolean neverReported) {
    /** A live alert, no flaps, on a device that reports. */
    public static final Circumstances LIVE = new Circumstances(false, 0, false);
  }

  /**
   * Fires an alert unless one is open for (rule, device).
   *
   * @param at when its condition started holding, in the readings' time
   * @return the new alert, or empty when one was already open
   */
  public Optional<Alert> fire(
      Rule rule, DeviceRef device, double value, long at, Circumstances how) {
    return fire(rule, device, value, at, how, rule.severity(), null);
  }

  /**
   * Fires an alert with a given severity (an alarm level's) and a note for its first transition
   * (e.g. the flood bulletin line), unless one is open for (rule, device).
   *
   * @param at when its condition started holding, in the readings' time
   * @return the new alert, or empty when one was already open
   */
  public synchronized Optional<Alert> fire(
      Rule rule,
      DeviceRef device,
      double value,
      long at,
      Circumstances how,
      Severity severity,
      String note) {
    boolean late = how.late();
    int flaps = how.flaps();
    String key = key(rule.id(), device.id());
    if (openByKey.containsKey(key)) {
      return Optional.empty();
    }
    Alert alert =
        new Alert(
            UUID.randomUUID().toString(),
            rule.id(),
            rule.name(),
            device.id(),
            device.zone(),
            device.site(),
            rule.metric(),
            AlertState.FIRING,
            how.neverReported() ? Severity.INFO : severity,
            at,
            value,
            null,
            0,
            null,
            0,
            null,
            at,
            late,
            late,
            flaps,
            how.neverReported());
    openByKey.put(key, alert);
    openById.put(alert.id(), alert);
    LOG.info(
        "event=alert_fired alert={} rule={} device={} zone={} severity={} value={} late={}"
            + " flaps={}",
        alert.id(),
        rule.id(),
        device.id(),
        device.zone(),
        alert.severity().json(),
        value,
        late,
        flaps);
    sink.accept(new AlertEvent(alert, "fired", Alert.SYSTEM, note, at, !late));
    return Optional.of(alert);
  }

  /** Resolves the open alert of (rule, device) because its condition cleared. */
  public synchronized Optional<Alert> clear(String ruleId, String deviceId, String note, long at) {
    Alert open = openByKey.get(key(ruleId, deviceId));
    return open == null ? Optional.empty() : Optional.of(resolveOpen(open, Alert.SYSTEM, note, at));
  }

  /**
   * Acknowledges an open alert. Acknowledging an acknowledged alert changes nothing.
   *
   * @throws AlertResolvedException if it is not open (resolved or unknown: callers check first)
   */
  public synchronized Alert acknowledge(String id, String by, String comment, long at) {
    Alert open = openById.get(id);
    if (open == null) {
      throw new AlertResolvedException(id);
    }
    if (open.state() == AlertState.ACKNOWLEDGED) {
      return open;
    }
    Alert acked = open.acknowledged(by, comment, at);
    replace(acked);
    LOG.info("event=alert_acknowledged alert={} by={}", id, by);
    sink.accept(new AlertEvent(acked, "acknowledged", by, comment, at, !acked.held()));
    return acked;
  }

  /**
   * Resolves an open alert by hand.
   *
   * @throws AlertResolvedException if it is not open
   */
  public synchronized Alert resolve(String id, String by, String comment, long at) {
    Alert open = openById.get(id);
    if (open == null) {
      throw new AlertResolvedException(id);
    }
    return resolveOpen(open, by, comment, at);
  }

  /** Raises the severity of an open alert; does nothing if it changed meanwhile. */
  public synchronized Optional<Alert> escalate(String id, Severity to, long at) {
    Alert open = openById.get(id);
    if (open == null || open.severity().compareTo(to) >= 0) {
      return Optional.empty();
    }
    Alert escalated = open.escalated(to, at);
    replace(escalated);
    LOG.info("event=alert_escalated alert={} severity={}", id, to.json());
    sink.accept(new AlertEvent(escalated, "escalated", Alert.SYSTEM, null, at, !escalated.held()));
    return Optional.of(escalated);
  }

  /**
   * Sets the severity of the open alert of (rule, device) to what its condition now says (a gauge
   * moving between alarm levels), up or down; the transition is {@code escalated} or {@code
   * deescalated} and carries the note.
   */
  public synchronized Optional<Alert> regrade(
      String ruleId, String deviceId, Severity to, String note, long at) {
    Alert open = openByKey.get(key(ruleId, deviceId));
    if (open == null || open.severity() == to || open.neverReported()) {
      return Optional.empty();
    }
    String kind = to.compareTo(open.severity()) > 0 ? "escalated" : "deescalated";
    Alert regraded = open.escalated(to, at);
    replace(regraded);
    LOG.info("event=alert_{} alert={} severity={}", kind, open.id(), to.json());
    sink.accept(new AlertEvent(regraded, kind, Alert.SYSTEM, note, at, !regraded.held()));
    return Optional.of(regraded);
  }

  /** Repeats the notification of an open alert (not of one held back). */
  public synchronized void renotify(String id, long at) {
    Alert open = openById.get(id);
    if (open != null && !open.held()) {
      sink.accept(new AlertEvent(open, "renotified", Alert.SYSTEM, null, at, true));
    }
  }

  /**
   * Sends the held-back notification of a late alert that is still active (as {@code renotified}:
   * its channels never heard of it while the backlog was replayed).
   */
  public synchronized void release(String id, long at) {
    Alert open = openById.get(id);
    if (open != null && open.held()) {
      Alert released = open.released();
      replace(released);
      LOG.info("event=alert_released alert={} rule={}", id, open.ruleId());
      sink.accept(new AlertEvent(released, "renotified", Alert.SYSTEM, null, at, true));
    }
  }

  private Alert resolveOpen(Alert open, String by, String note, long at) {
    Alert resolved = open.resolved(by, at);
    openByKey.remove(key(open.ruleId(), open.device()));
    openById.remove(open.id());
    recentlyResolved.put(open.id(), Boolean.TRUE);
    LOG.info("event=alert_resolved alert={} rule={} by={}", open.id(), open.ruleId(), by);
    sink.accept(new AlertEvent(resolved, "resolved", by, note, at, !open.held()));
    return resolved;
  }

  private void replace(Alert alert) {
    openByKey.put(key(alert.ruleId(), alert.device()), alert);
    openById.put(alert.id(), alert);
  }
}
