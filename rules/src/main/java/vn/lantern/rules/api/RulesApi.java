package vn.lantern.rules.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import vn.lantern.auth.Access;
import vn.lantern.auth.ApiRoutes;
import vn.lantern.auth.AuthService;
import vn.lantern.auth.Caller;
import vn.lantern.auth.Role;
import vn.lantern.auth.audit.AuditLog;
import vn.lantern.common.http.ApiErrors;
import vn.lantern.rules.eval.DryRuns;
import vn.lantern.rules.rule.Channel;
import vn.lantern.rules.rule.InvalidRuleException;
import vn.lantern.rules.rule.Rule;
import vn.lantern.rules.rule.RuleJson;
import vn.lantern.rules.rule.RuleService;

/**
 * {@code /api/v1/rules}: list, create, read, replace, delete and dry-run rules. A zone manager only
 * sees and changes rules of their own zones (403 on any other), operators read everything, admins
 * do everything.
 */
public final class RulesApi {
  /** Seconds a caller refused for too many dry runs at once waits before trying again. */
  private static final int DRY_RUN_RETRY_AFTER_S = 5;

  private final RuleService rules;
  private final DryRuns dryRuns;
  private final AuditLog audit;

  /**
   * @param dryRuns evaluates rules over stored history
   * @param audit records rule changes
   */
  public RulesApi(RuleService rules, DryRuns dryRuns, AuditLog audit) {
    this.audit = audit;
    this.rules = rules;
    this.dryRuns = dryRuns;
  }

  /**
   * Mounts the routes: any signed-in user; the guard refuses a listed {@code zone} the caller may
   * not see, and the handlers check the zone of each rule.
   */
  public void mount(ApiRoutes api) {
    Access signedIn = Access.signedIn();
    api.get("/api/v1/rules", signedIn.zoneFromQuery("zone"), this::list);
    api.post("/api/v1/rules", signedIn, this::create);
    api.post("/api/v1/rules/dry-run", signedIn, this::dryRun);
    api.get("/api/v1/rules/:id", signedIn, this::get);
    api.put("/api/v1/rules/:id", signedIn, this::replace);
    api.delete("/api/v1/rules/:id", signedIn, this::delete);
  }

  private static Caller caller(RoutingContext ctx) {
    return ctx.get(AuthService.CALLER);
  }

  private void list(RoutingContext ctx) {
    Caller caller = caller(ctx);
    String zone = ctx.queryParams().get("zone");
    JsonArray items = new JsonArray();
    for (Rule rule : rules.all()) {
      if (caller.canSee(rule.scope().zone())
          && (zone == null || zone.equals(rule.scope().zone()))) {
        items.add(RuleJson.write(rule));
      }
    }
    ApiErrors.json(ctx, 200, new JsonObject().put("items", items));
  }

  private void create(RoutingContext ctx) {
    JsonObject body = ApiErrors.jsonBody(ctx);
    if (body == null) {
      return;
    }
    Rule parsed;
    try {
      parsed = rules.validate(body);
    } catch (InvalidRuleException e) {
      ApiErrors.fail(ctx, e);
      return;
    }
    if (!caller(ctx).canManage(parsed.scope().zone())) {
      forbidden(ctx, parsed.scope().zone());
      return;
    }
    try {
      confineTopics(caller(ctx), parsed);
    } catch (InvalidRuleException e) {
      ApiErrors.fail(ctx, e);
      return;
    }
    rules
        .create(parsed)
        .onSuccess(
            rule -> {
              audit.record(ctx, "rule.create", rule.id(), true, "zone=" + rule.scope().zone());
              ApiErrors.json(ctx, 201, RuleJson.write(rule));
            })
        .onFailure(e -> ApiErrors.fail(ctx, e));
  }

  private void get(RoutingContext ctx) {
    Rule rule = visible(ctx);
    if (rule != null) {
      ApiErrors.json(ctx, 200, RuleJson.write(rule));
    }
  }

  private void replace(RoutingContext ctx) {
    Rule previous = visible(ctx);
    if (previous == null) {
      return;
    }
    JsonObject body = ApiErrors.jsonBody(ctx);
    if (body == null) {
      return;
    }
    Rule parsed;
    try {
      body.remove("id");
      body.remove("version");
      body.remove("updatedAt");
      parsed = rules.validate(body);
    } catch (InvalidRuleException e) {
      ApiErrors.fail(ctx, e);
      return;
    }
    Caller caller = caller(ctx);
    if (!caller.canManage(previous.scope().zone()) || !caller.canManage(parsed.scope().zone())) {
      forbidden(ctx, parsed.scope().zone());
      return;
    }
    try {
      confineTopics(caller, parsed);
    } catch (InvalidRuleException e) {
      ApiErrors.fail(ctx, e);
      return;
    }
    rules
        .replace(previous, parsed)
        .onSuccess(
            rule -> {
              audit.record(
                  ctx,
                  "rule.update",
                  rule.id(),
                  true,
                  "zone=" + rule.scope().zone() + " version=" + rule.version());
              ApiErrors.json(ctx, 200, RuleJson.write(rule));
            })
        .onFailure(e -> ApiErrors.fail(ctx, e));
  }

  private void delete(RoutingContext ctx) {
    Rule rule = visible(ctx);
    if (rule == null) {
      return;
    }
    if (!caller(ctx).canManage(rule.scope().zone())) {
      forbidden(ctx, rule.scope().zone());
      return;
    }
    rules
        .delete(rule.id())
        .onSuccess(
            deleted -> {
              audit.record(ctx, "rule.delete", rule.id(), true, "zone=" + rule.scope().zone());
              ctx.response().setStatusCode(204).end();
            })
        .onFailure(e -> ApiErrors.fail(ctx, e));
  }

  private void dryRun(RoutingContext ctx) {
    JsonObject body = ApiErrors.jsonBody(ctx);
    if (body == null) {
      return;
    }
    Rule rule;
    long from;
    long to;
    try {
      if (!(body.getValue("rule") instanceof JsonObject ruleJson)) {
        throw new InvalidRuleException("rule", "is required: the rule to try");
      }
      rule = rules.validate(ruleJson.copy()).withIdentity("dry-run", 0, 0);
      to = time(body.getValue("to"), "to", System.currentTimeMillis());
      from = time(body.getValue("from"), "from", to - 24L * 3600 * 1000);
      int maxDays = dryRuns.limits().maxDays();
      if (from >= to || to - from > maxDays * 86_400_000L) {
        throw new InvalidRuleException(
            "from", "must be before to, at most " + maxDays + " days earlier");
      }
    } catch (InvalidRuleException e) {
      ApiErrors.fail(ctx, e);
      return;
    }
    if (!caller(ctx).canSee(rule.scope().zone())) {
      forbidden(ctx, rule.scope().zone());
      return;
    }
    dryRuns
        .run(rule, from, to)
        .onSuccess(result -> ApiErrors.json(ctx, 200, result))
        .onFailure(
            e -> {
              if (e instanceof DryRuns.BusyException) {
                ctx.response().putHeader("Retry-After", String.valueOf(DRY_RUN_RETRY_AFTER_S));
                ApiErrors.send(ctx, 429, "busy", e.getMessage() + "; try again later", null);
              } else {
                ApiErrors.fail(ctx, e);
              }
            });
  }

  /**
   * A zone manager's MQTT notifications stay under their zone's topic prefix, {@code
   * lantern/<zone>/}, so they cannot publish into another zone's (or the KPI push's) topics. Admins
   * may name any topic.
   */
  static void confineTopics(Caller caller, Rule rule) {
    if (caller.role() == Role.ADMIN) {
      return;
    }
    String prefix = Channel.zoneTopicPrefix(rule.scope().zone());
    for (int i = 0; i < rule.channels().size(); i++) {
      Channel channel = rule.channels().get(i);
      if (channel.type().equals("mqtt") && !channel.target().startsWith(prefix)) {
        throw new InvalidRuleException(
            "channels[" + i + "].topic", "must start with " + prefix + ", the zone's topics");
      }
    }
  }

  /** Parses epoch ms or an ISO-8601 instant. */
  static long time(Object value, String field, long fallback) {
    if (value == null) {
      return fallback;
    }
    if (value instanceof Number n) {
      return n.longValue();
    }
    if (value instanceof String s) {
      try {
        return Instant.parse(s).toEpochMilli();
      } catch (DateTimeParseException e) {
        // answered below
      }
    }
    throw new InvalidRuleException(field, "must be epoch milliseconds or an ISO-8601 instant");
  }

  /** The rule named in the path if the caller may see it; otherwise answers 404 or 403. */
  private Rule visible(RoutingContext ctx) {
    Rule rule = rules.get(ctx.pathParam("id")).orElse(null);
    if (rule == null) {
      ApiErrors.send(ctx, 404, "not_found", "no such rule", null);
      return null;
    }
    if (!caller(ctx).canSee(rule.scope().zone())) {
      forbidden(ctx, rule.scope().zone());
      return null;
    }
    return rule;
  }

  private static void forbidden(RoutingContext ctx, String zone) {
    ApiErrors.send(
        ctx, 403, "forbidden", "you may not manage rules of zone '" + zone + "'", "scope.zone");
  }
}
