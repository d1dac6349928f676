package vn.lantern.ioc.push;

import io.vertx.core.json.JsonObject;

/**
 * One report for the provincial IOC, as the pusher delivers it: whatever produced it (the KPI
 * engine's window) is not the pusher's concern.
 *
 * @param windowEnd epoch ms the report covers up to (exclusive), for logs and dead letters
 * @param body the JSON delivered
 */
public record IocReport(long windowEnd, JsonObject body) {}
