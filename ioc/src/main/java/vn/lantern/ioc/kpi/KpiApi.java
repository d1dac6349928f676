package vn.lantern.ioc.kpi;

import io.vertx.core.MultiMap;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.function.LongSupplier;
import vn.lantern.auth.Access;
import vn.lantern.auth.ApiRoutes;
import vn.lantern.auth.AuthService;
import vn.lantern.auth.Caller;
import vn.lantern.common.http.ApiErrors;
import vn.lantern.common.http.CsvResponse;
import vn.lantern.common.influx.Downsampling;
import vn.lantern.common.telemetry.DeviceRef;
import vn.lantern.common.telemetry.MetricName;
import vn.lantern.rules.Directory;
import vn.lantern.rules.rule.Durations;
import vn.lantern.rules.rule.InvalidRuleException;

/**
 * {@code GET /api/v1/kpis} (current values) and {@code GET /api/v1/kpis/history} (a KPI's or a
 * device metric's history from InfluxDB, downsampled). A caller sees the zones it may see.
 */
public final class KpiApi {
  private static final long MAX_RANGE_MS = Duration.ofDays(3660).toMillis();
  private static final int TARGET_POINTS = 300;

  private final KpiEngine engine;
  private final KpiStore store;
  private final Directory directory;
  private final WorkerExecutor worker;
  private final LongSupplier lastEventId;
  private final long windowMs;

  /**
   * @param lastEventId the live stream's latest event id, answered with the current values so a
   *     client can follow on from them without a gap
   */
  public KpiApi(
      KpiEngine engine,
      KpiStore store,
      Directory directory,
      WorkerExecutor worker,
      LongSupplier lastEventId,
      long windowMs) {
    this.engine = engine;
    this.store = store;
    this.directory = directory;
    this.worker = worker;
    this.lastEventId = lastEventId;
    this.windowMs = windowMs;
  }

  /**
   * Mounts the routes: any signed-in user, who sees the zones they may see; the guard refuses a
   * {@code zone} they may not see.
   */
  public void mount(ApiRoutes api) {
    Access zoneScoped = Access.signedIn().zoneFromQuery("zone");
    api.get("/api/v1/kpis", zoneScoped, this::current);
    api.get("/api/v1/kpis/history", zoneScoped, this::history);
  }

  private static Caller caller(RoutingContext ctx) {
    return ctx.get(AuthService.CALLER);
  }

  private void current(RoutingContext ctx) {
    MultiMap q = ctx.queryParams();
    String zone = blankToNull(q.get("zone"));
    Caller caller = caller(ctx);
    long eventId = lastEventId.getAsLong();
    JsonArray items = new JsonArray();
    for (KpiValue v : engine.current(zone, blankToNull(q.get("site")), blankToNull(q.get("kpi")))) {
      if (caller == null || caller.canSee(v.zone())) {
        items.add(v.toJson());
      }
    }
    ApiErrors.json(
        ctx, 200, new JsonObject().put("items", items).put("lastEventId", String.valueOf(eventId)));
  }

  private void history(RoutingContext ctx) {
    MultiMap q = ctx.queryParams();
    Caller caller = caller(ctx);
    long to;
    long from;
    long resolution;
    try {
      to = time(q.get("to"), "to", System.currentTimeMillis());
      from = time(q.get("from"), "from", to - Duration.ofHours(24).toMillis());
      if (from >= to || to - from > MAX_RANGE_MS) {
        throw new InvalidRuleException("from", "must be before 'to', at most 10 years earlier");
      }
      resolution = resolutionSeconds(q.get("resolution"), to - from);
      if (to - from > Downsampling.FIVE_MINUTES_MAX_SPAN_MS && resolution % 3600 != 0) {
        throw new InvalidRuleException(
            "resolution", "beyond 31 days, history is hourly: use a whole number of hours");
      }
    } catch (InvalidRuleException e) {
      ApiErrors.fail(ctx, e);
      return;
    }
    String deviceId = blankToNull(q.get("device"));
    if (deviceId != null) {
      deviceHistory(ctx, caller, deviceId, blankToNull(q.get("metric")), from, to, resolution);
      return;
    }
    String zone = blankToNull(q.get("zone"));
    String kpi = blankToNull(q.get("kpi"));
    if (zone == null) {
      ApiErrors.send(ctx, 400, "invalid_field", "zone (or device) is required", "zone");
      return;
    }
    if (kpi == null
        || !(KpiNames.ALL.contains(kpi)
            || engine.definitions().stream().anyMatch(d -> d.name().equals(kpi)))) {
      ApiErrors.send(ctx, 400, "invalid_field", "kpi must be a built-in or defined KPI", "kpi");
      return;
    }
    String site = blankToNull(q.get("site"));
    long res = resolution;
    answer(
        ctx,
        new JsonObject().put("zone", zone).put("site", site).put("kpi", kpi),
        () -> store.history(directory.storedUnder(zone), site, kpi, from, to, res),
        res);
  }

  private void deviceHistory(
      RoutingContext ctx,
      Caller caller,
      String deviceId,
      String metric,
      long from,
      long to,
      long resolution) {
    if (!MetricName.isWellFormed(metric)) {
      ApiErrors.send(ctx, 400, "invalid_field", "metric must be a metric name", "metric");
      return;
    }
    Optional<DeviceRef> device =
        directory.devices().stream().filter(d -> d.id().equals(deviceId)).findFirst();
    if (device.isEmpty() || (caller != null && !caller.canSee(device.get().zone()))) {
      ApiErrors.send(ctx, 404, "not_found", "no such device", "device");
      return;
    }
    DeviceRef d = device.get();
    answer(
        ctx,
        new JsonObject().put("device", d.id()).put("zone", d.zone()).put("metric", metric),
        () -> store.deviceHistory(d.type(), d.id(), metric, from, to, resolution),
        resolution);
  }

  private void answer(
      RoutingContext ctx,
      JsonObject head,
      java.util.concurrent.Callable<JsonArray> query,
      long resolution) {
    boolean csv = CsvResponse.wanted(ctx);
    worker
        .executeBlocking(query, false)
        .onSuccess(
            points -> {
              if (csv) {
                HistoryCsv.send(ctx, head, points);
              } else {
                ApiErrors.json(
                    ctx, 200, head.put("resolution", resolution + "s").put("points", points));
              }
            })
        .onFailure(e -> ApiErrors.fail(ctx, e));
  }

  /** The requested resolution, or one giving about 300 points, never finer than a window. */
  private long resolutionSeconds(String text, long rangeMs) {
    long floor = Math.max(1, windowMs / 1000);
    if (text == null || text.isBlank()) {
      long auto = Math.max(floor, rangeMs / 1000 / TARGET_POINTS);
      // whole downsampled intervals beyond 2 days (5 minutes) and 31 days (1 hour)
      if (rangeMs > Downsampling.FIVE_MINUTES_MAX_SPAN_MS) {
        return (auto + 3599) / 3600 * 3600;
      }
      return rangeMs > Downsampling.RAW_MAX_SPAN_MS ? (auto + 299) / 300 * 300 : auto;
    }
    long seconds = Durations.parse(text, "resolution").toSeconds();
    if (seconds < 1 || rangeMs / 1000 / seconds > 10_000) {
      throw new InvalidRuleException(
          "resolution", "must be at least 1s and give at most 10000 points");
    }
    return seconds;
  }

  private static long time(String text, String field, long fallback) {
    if (text == null || text.isBlank()) {
      return fallback;
    }
    try {
      return Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      try {
        return Instant.parse(text.trim()).toEpochMilli();
      } catch (DateTimeParseException e2) {
        throw new InvalidRuleException(field, "must be epoch milliseconds or an ISO-8601 instant");
      }
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
