package vn.lantern.common.bus;

import io.vertx.core.json.JsonObject;

/**
 * A command for the node that evaluates a zone (e.g. an alert acknowledged through another node),
 * carried by the bus so that it reaches exactly that node.
 *
 * @param zone the zone whose evaluating node must act
 * @param kind what the command is about (which handler takes it), e.g. {@code alert}
 * @param body the command itself
 */
public record ZoneCommand(String zone, String kind, JsonObject body) {}
