package vn.lantern.rules.api;

import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import vn.lantern.auth.Access;
import vn.lantern.auth.ApiRoutes;
import vn.lantern.auth.AuthService;
import vn.lantern.auth.Caller;
import vn.lantern.auth.Role;
import vn.lantern.auth.audit.AuditLog;
import vn.lantern.common.http.ApiErrors;
import vn.lantern.common.http.CsvResponse;
import vn.lantern.rules.alert.Alert;
import vn.lantern.rules.alert.AlertChanges;
import vn.lantern.rules.alert.AlertFilter;
import vn.lantern.rules.alert.AlertResolvedException;
import vn.lantern.rules.alert.AlertService;
import vn.lantern.rules.alert.AlertState;
import vn.lantern.rules.alert.AlertStore;
import vn.lantern.rules.notify.DeadLetter;
import vn.lantern.rules.notify.DeadLetterStore;
import vn.lantern.rules.rule.InvalidRuleException;
import vn.lantern.rules.rule.Severity;

/**
 * {@code /api/v1/alerts} (list, filter, export as CSV, read, acknowledge, resolve) and {@code
 * /api/v1/notifications/dead-letters}. Everyone sees alerts of the zones they may see; operators
 * and zone managers acknowledge; zone managers (own zones) and admins resolve by hand.
 */
public final class AlertsApi {
  /** Alerts read per page of a CSV export. */
  private static final int CSV_PAGE = 500;

  private final AlertService alerts;
  private final AlertChanges changes;
  private final AlertStore store;
  private final DeadLetterStore deadLetters;
  private final WorkerExecutor worker;
  private final AlertsCsv csv;
  private final AuditLog audit;
  private final Function<String, List<String>> storedUnder;

  /**
   * @param worker the executor that writes alert transitions: reading through it sees every
   *     transition made before the request
   * @param changes acknowledges and resolves on the node that evaluates the alert's zone
   * @param audit records acknowledgements and resolutions
   * @param storedUnder a zone and the ids merged into it: the zones a listing of the zone covers
   */
  public AlertsApi(
      AlertService alerts,
      AlertChanges changes,
      AlertStore store,
      DeadLetterStore deadLetters,
      WorkerExecutor worker,
      AuditLog audit,
      Function<String, List<String>> storedUnder) {
    this.audit = audit;
    this.storedUnder = storedUnder;
    this.alerts = alerts;
    this.changes = changes;
    this.store = store;
    this.deadLetters = deadLetters;
    this.worker = worker;
    this.csv = new AlertsCsv(store, worker, CSV_PAGE);
  }

  /**
   * Mounts the routes: any signed-in user; the guard refuses a listed {@code zone} the caller may
   * not see, and the handlers check the zone of each alert.
   */
  public void mount(ApiRoutes api) {
    Access signedIn = Access.signedIn();
    api.get("/api/v1/alerts", signedIn.zoneFromQuery("zone"), this::list);
    api.get("/api/v1/alerts/:id", signedIn, this::get);
    api.post("/api/v1/alerts/:id/ack", signedIn, this::acknowledge);
    api.post("/api/v1/alerts/:id/resolve", signedIn, this::resolve);
    api.get("/api/v1/notifications/dead-letters", signedIn, this::deadLetters);
  }

  private static Caller caller(RoutingContext ctx) {
    return ctx.get(AuthService.CALLER);
  }

  private void list(RoutingContext ctx) {
    AlertFilter filter;
    try {
      var q = ctx.queryParams();
      String state = q.get("state");
      AlertState parsedState = state == null ? null : AlertState.parse(state);
      if (state != null && parsedState == null) {
        throw new InvalidRuleException("state", "must be firing, acknowledged or resolved");
      }
      String severity = q.get("severity");
      String zone = q.get("zone");
      filter =
          new AlertFilter(
              caller(ctx).visibleZones(),
              zone == null ? null : storedUnder.apply(zone),
              q.get("site"),
              parsedState,
              severity == null ? null : Severity.parse(severity, "severity"),
              q.get("ruleId"),
              q.get("device"),
              q.get("from") == null ? null : RulesApi.time(timeParam(q.get("from")), "from", 0),
              q.get("to") == null ? null : RulesApi.time(timeParam(q.get("to")), "to", 0),
              limit(q.get("limit")));
    } catch (InvalidRuleException e) {
      ApiErrors.fail(ctx, e);
      return;
    }
    if (CsvResponse.wanted(ctx)) {
      csv.send(ctx, filter);
      return;
    }
    worker
        .executeBlocking(() -> store.list(filter), true)
        .onSuccess(
            list -> {
              JsonArray items = new JsonArray();
              list.forEach(a -> items.add(a.toJson()));
              ApiErrors.json(ctx, 200, new JsonObject().put("items", items));
            })
        .onFailure(e -> ApiErrors.fail(ctx, e));
  }

  private static Object timeParam(String text) {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      return text;
    }
  }

  private static int limit(String text) {
    if (text == null) {
      return 100;
    }
    try {
      int limit = Integer.parseInt(text);
      if (limit >= 1 && limit <= 1000) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new InvalidRuleException("limit", "must be a whole number from 1 to 1000");
  }

  private void get(RoutingContext ctx) {
    find(ctx)
        .onSuccess(
            alert -> {
              if (alert != null) {
                worker
                    .executeBlocking(() -> store.transitions(alert.id()), true)
                    .onSuccess(
                        transitions ->
                            ApiErrors.json(
                                ctx,
                                200,
                                alert.toJson().put("transitions", new JsonArray(transitions))))
                    .onFailure(e -> ApiErrors.fail(ctx, e));
              }
            });
  }

  private void acknowledge(RoutingContext ctx) {
    String comment = comment(ctx);
    if (comment == null && ctx.response().ended()) {
      return;
    }
    find(ctx)
        .onSuccess(
            alert -> {
              if (alert == null) {
                return;
              }
              transition(
                  ctx,
                  alert,
                  "alert.acknowledge",
                  () -> changes.acknowledge(alert, caller(ctx).username(), comment));
            });
  }

  private void resolve(RoutingContext ctx) {
    String comment = comment(ctx);
    if (comment == null && ctx.response().ended()) {
      return;
    }
    Caller caller = caller(ctx);
    find(ctx)
        .onSuccess(
            alert -> {
              if (alert == null) {
                return;
              }
              if (caller.role() == Role.OPERATOR || !caller.canManage(alert.zone())) {
                ApiErrors.send(
                    ctx, 403, "forbidden", "you may not resolve alerts of this zone", null);
                return;
              }
              transition(
                  ctx,
                  alert,
                  "alert.resolve",
                  () -> changes.resolve(alert, caller.username(), comment));
            });
  }

  private void transition(
      RoutingContext ctx,
      Alert alert,
      String action,
      java.util.function.Supplier<Future<Alert>> change) {
    if (!alert.isOpen()) {
      ApiErrors.send(ctx, 409, "alert_resolved", "the alert is already resolved", null);
      return;
    }
    change
        .get()
        .onSuccess(
            changed -> {
              audit.record(
                  ctx,
                  action,
                  alert.id(),
                  true,
                  "zone=" + alert.zone() + " rule=" + alert.ruleId());
              ApiErrors.json(ctx, 200, changed.toJson());
            })
        .onFailure(
            e -> {
              if (e instanceof AlertResolvedException) {
                ApiErrors.send(ctx, 409, "alert_resolved", "the alert is already resolved", null);
              } else if (e instanceof AlertChanges.OwnerUnavailableException) {
                ctx.response().putHeader("Retry-After", "5");
                ApiErrors.send(ctx, 503, "owner_unavailable", e.getMessage(), null);
              } else {
                ApiErrors.fail(ctx, e);
              }
            });
  }

  /** The optional {@code comment} of an ack or resolve body; answers 400 on a bad body. */
  private static String comment(RoutingContext ctx) {
    if (ctx.body() == null || ctx.body().buffer() == null || ctx.body().buffer().length() == 0) {
      return null;
    }
    JsonObject body = ApiErrors.jsonBody(ctx);
    if (body == null) {
      return null;
    }
    Object comment = body.getValue("comment");
    if (comment != null && (!(comment instanceof String s) || s.length() > 1000)) {
      ApiErrors.send(
          ctx, 400, "invalid_field", "comment must be text of at most 1000 characters", "comment");
      return null;
    }
    return (String) comment;
  }

  /** The alert named in the path if visible to the caller, else answers 404/403 with null. */
  private Future<Alert> find(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    Optional<Alert> open = alerts.openById(id);
    Future<Optional<Alert>> lookup =
        open.isPresent()
            ? Future.succeededFuture(open)
            : worker.executeBlocking(() -> store.find(id), true);
    return lookup
        .map(
            found -> {
              if (found.isEmpty()) {
                ApiErrors.send(ctx, 404, "not_found", "no such alert", null);
                return null;
              }
              if (!caller(ctx).canSee(found.get().zone())) {
                ApiErrors.send(ctx, 403, "forbidden", "you may not see alerts of this zone", null);
                return null;
              }
              return found.get();
            })
        .onFailure(e -> ApiErrors.fail(ctx, e));
  }

  private void deadLetters(RoutingContext ctx) {
    int limit;
    try {
      limit = limit(ctx.queryParams().get("limit"));
    } catch (InvalidRuleException e) {
      ApiErrors.fail(ctx, e);
      return;
    }
    worker
        .executeBlocking(() -> deadLetters.list(caller(ctx).visibleZones(), limit), true)
        .onSuccess(
            list -> {
              JsonArray items = new JsonArray();
              list.stream().map(DeadLetter::toJson).forEach(items::add);
              ApiErrors.json(ctx, 200, new JsonObject().put("items", items));
            })
        .onFailure(e -> ApiErrors.fail(ctx, e));
  }
}
