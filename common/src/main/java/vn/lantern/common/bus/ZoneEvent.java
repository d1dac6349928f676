package vn.lantern.common.bus;

import io.vertx.core.json.JsonObject;

/**
 * Something a rules node computed for one of its zones that every other node shows too (an alert
 * transition, KPI values, a window's report), carried by the bus to every node of the cluster.
 *
 * @param zone the zone it is about
 * @param kind what it is (which handler takes it), e.g. {@code alert}
 * @param body the event itself
 */
public record ZoneEvent(String zone, String kind, JsonObject body) {}
