package vn.lantern.rules.alert;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.lantern.common.bus.TelemetryBus;
import vn.lantern.common.bus.ZoneCommand;

/**
 * Acknowledges and resolves alerts asked for through the API, on whichever node evaluates their
 * zone, so that a load-balanced API works through any rules node.
 *
 * <p>Only that node holds the alert's live state (open alerts, escalation, the condition that
 * clears it), so the change is made there, by its {@link AlertService}: recorded, written to
 * InfluxDB, notified and streamed once, and never undone by the owner's stale memory. A node asked
 * about a zone it does not evaluate sends the change over the bus ({@link
 * TelemetryBus#sendToOwner}, which reaches the zone's owner, or its next owner after a move) and
 * answers from the shared store once the owner has written the outcome there: the store the owner
 * writes anyway is the reply, so no reply channel between nodes is needed. An owner that does not
 * apply the change within {@link #APPLY_WITHIN_MS} (none, or a move taking longer) drops it, and
 * the asking node answers {@link OwnerUnavailableException}.
 */
public final class AlertChanges {
  private static final Logger LOG = LoggerFactory.getLogger(AlertChanges.class);

  /** The kind of the bus commands that carry alert changes. */
  static final String COMMAND = "alert";

  /** How long an owner may take to apply a change before dropping it. */
  static final long APPLY_WITHIN_MS = 10_000;

  /** How long, beyond that, the asking node looks for the outcome in the store. */
  private static final long OUTCOME_GRACE_MS = 2_000;

  private static final long POLL_MS = 100;

  private final Vertx vertx;
  private final AlertService alerts;
  private final AlertStore store;
  private final WorkerExecutor storeWorker;
  private final TelemetryBus bus;
  private final Function<Alert, String> evaluatedIn;

  /** The owner did not apply a change in time: nothing was changed, the caller may try again. */
  public static final class OwnerUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    OwnerUnavailableException(String id) {
      super(
          "the node that evaluates the zone of alert " + id + " did not apply the change in time");
    }
  }

  private enum Action {
    ACKNOWLEDGE,
    RESOLVE
  }

  /**
   * @param storeWorker the executor that writes this node's alert transitions
   * @param evaluatedIn the zone whose node evaluates an alert ({@link Alert#evaluatedIn})
   */
  public AlertChanges(
      Vertx vertx,
      AlertService alerts,
      AlertStore store,
      WorkerExecutor storeWorker,
      TelemetryBus bus,
      Function<Alert, String> evaluatedIn) {
    this.evaluatedIn = evaluatedIn;
    this.vertx = vertx;
    this.alerts = alerts;
    this.store = store;
    this.storeWorker = storeWorker;
    this.bus = bus;
  }

  /** Applies the changes other nodes send for this node's zones (call once, at start). */
  public void listen() {
    bus.onCommand(COMMAND, this::apply);
  }

  /**
   * Acknowledges an open alert, as {@link AlertService#acknowledge} does.
   *
   * @param alert the alert as this node knows it (its memory or the store)
   * @return the alert after the change; fails with {@link AlertResolvedException} when it is not
   *     open, or {@link OwnerUnavailableException}
   */
  public Future<Alert> acknowledge(Alert alert, String by, String comment) {
    long at = System.currentTimeMillis();
    if (bus.ownership().owns(evaluatedIn.apply(alert))) {
      return local(() -> alerts.acknowledge(alert.id(), by, comment, at));
    }
    if (alert.state() == AlertState.ACKNOWLEDGED) {
      return Future.succeededFuture(alert); // changes nothing, as on the owner
    }
    return forward(alert, Action.ACKNOWLEDGE, by, comment, at);
  }

  /**
   * Resolves an open alert by hand, as {@link AlertService#resolve} does.
   *
   * @return the resolved alert; fails like {@link #acknowledge}
   */
  public Future<Alert> resolve(Alert alert, String by, String comment) {
    long at = System.currentTimeMillis();
    if (bus.ownership().owns(evaluatedIn.apply(alert))) {
      return local(() -> alerts.resolve(alert.id(), by, comment, at));
    }
    return forward(alert, Action.RESOLVE, by, comment, at);
  }

  private static Future<Alert> local(Supplier<Alert> change) {
    try {
      return Future.succeededFuture(change.get());
    } catch (AlertResolvedException e) {
      return Future.failedFuture(e);
    }
  }

  private Future<Alert> forward(Alert alert, Action action, String by, String comment, long at) {
    JsonObject body =
        new JsonObject()
            .put("action", action.name().toLowerCase(Locale.ROOT))
            .put("alert", alert.id())
            .put("by", by)
            .put("comment", comment)
            .put("at", at)
            .put("expiresAt", at + APPLY_WITHIN_MS);
    LOG.info(
        "event=alert_change_forwarded alert={} zone={} action={} by={}",
        alert.id(),
        alert.zone(),
        body.getString("action"),
        by);
    return bus.sendToOwner(new ZoneCommand(evaluatedIn.apply(alert), COMMAND, body))
        .compose(
            sent -> {
              Promise<Alert> outcome = Promise.promise();
              awaitOutcome(
                  alert.id(), action, by, at, at + APPLY_WITHIN_MS + OUTCOME_GRACE_MS, outcome);
              return outcome.future();
            });
  }

  /** Reads the alert from the store until it shows the outcome of the forwarded change. */
  private void awaitOutcome(
      String id, Action action, String by, long at, long deadline, Promise<Alert> outcome) {
    storeWorker
        .executeBlocking(() -> store.find(id), false)
        .onComplete(
            read -> {
              if (read.failed()) {
                outcome.fail(read.cause());
                return;
              }
              Alert stored = read.result().orElse(null);
              if (stored != null && stored.state() == AlertState.RESOLVED) {
                boolean resolvedByThis =
                    action == Action.RESOLVE
                        && stored.resolvedAt() == at
                        && by.equals(stored.resolvedBy());
                if (resolvedByThis) {
                  outcome.complete(stored);
                } else {
                  outcome.fail(new AlertResolvedException(id));
                }
              } else if (stored != null
                  && action == Action.ACKNOWLEDGE
                  && stored.state() == AlertState.ACKNOWLEDGED) {
                outcome.complete(stored); // by this change, or by another just before it
              } else if (System.currentTimeMillis() > deadline) {
                LOG.warn("event=alert_change_unanswered alert={} action={}", id, action);
                outcome.fail(new OwnerUnavailableException(id));
              } else {
                vertx.setTimer(POLL_MS, t -> awaitOutcome(id, action, by, at, deadline, outcome));
              }
            });
  }

  /** Applies a change another node forwarded, unless it came too late to be answered. */
  private void apply(ZoneCommand command) {
    JsonObject body = command.body();
    String id = body.getString("alert");
    String action = body.getString("action");
    if (System.currentTimeMillis() > body.getLong("expiresAt", 0L)) {
      LOG.warn("event=alert_change_expired alert={} action={}", id, action);
      return;
    }
    String by = body.getString("by");
    String comment = body.getString("comment");
    long at = body.getLong("at");
    try {
      switch (action) {
        case "acknowledge" -> alerts.acknowledge(id, by, comment, at);
        case "resolve" -> alerts.resolve(id, by, comment, at);
        default -> LOG.warn("event=alert_change_unknown alert={} action={}", id, action);
      }
    } catch (AlertResolvedException e) {
      // resolved meanwhile: the asking node reads that from the store
      LOG.info("event=alert_change_not_open alert={} action={}", id, action);
    }
  }
}
