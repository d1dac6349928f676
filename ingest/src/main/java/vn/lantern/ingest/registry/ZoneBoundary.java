package vn.lantern.ingest.registry;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import vn.lantern.common.http.InvalidFieldException;

/**
 * A zone's boundary: a GeoJSON (RFC 7946) Polygon or MultiPolygon in [lon, lat], drawn by the
 * console. The shipped ones are approximate and say so. Checked by hand here: the few rules the
 * console relies on (closed rings of numeric positions in range) are simpler than pulling in a
 * geometry library.
 *
 * @param zone zone id
 * @param geometry the GeoJSON geometry
 * @param approximate whether it is a rough outline rather than survey data
 */
public record ZoneBoundary(String zone, JsonObject geometry, boolean approximate) {
  private static final int MAX_POSITIONS = 100_000;

  /**
   * The zones as a GeoJSON FeatureCollection: one Feature per zone, its boundary as geometry (or
   * its coordinates as a Point, or none), the zone's fields as properties.
   */
  static JsonObject featureCollection(List<Zone> zones, Map<String, ZoneBoundary> boundaries) {
    JsonArray features = new JsonArray();
    for (Zone z : zones) {
      JsonObject properties = z.toJson();
      ZoneBoundary b = boundaries.get(z.id());
      JsonObject geometry = null;
      if (b != null) {
        geometry = b.geometry();
        properties.put("approximate", b.approximate());
      } else if (z.lat() != null && z.lon() != null) {
        geometry =
            new JsonObject()
                .put("type", "Point")
                .put("coordinates", new JsonArray().add(z.lon()).add(z.lat()));
      }
      features.add(
          new JsonObject()
              .put("type", "Feature")
              .put("id", z.id())
              .put("geometry", geometry)
              .put("properties", properties));
    }
    return new JsonObject().put("type", "FeatureCollection").put("features", features);
  }

  /**
   * The boundaries of a FeatureCollection sent by an admin: each Feature names its zone in {@code
   * properties.id} (or its own {@code id}) and has a Polygon or MultiPolygon geometry; Features
   * without a geometry, or with a Point, carry no boundary.
   *
   * @throws InvalidFieldException naming the part at fault
   */
  static List<ZoneBoundary> parse(JsonObject body, Predicate<String> zoneExists) {
    if (!"FeatureCollection".equals(body.getValue("type"))
        || !(body.getValue("features") instanceof JsonArray features)) {
      throw new InvalidFieldException("type", "must be a GeoJSON FeatureCollection with features");
    }
    List<ZoneBoundary> out = new ArrayList<>();
    int positions = 0;
    for (int i = 0; i < features.size(); i++) {
      String at = "features[" + i + "]";
      if (!(features.getValue(i) instanceof JsonObject feature)
          || !"Feature".equals(feature.getValue("type"))) {
        throw new InvalidFieldException(at, "must be a GeoJSON Feature");
      }
      JsonObject properties = feature.getJsonObject("properties", new JsonObject());
      Object id = properties.getValue("id", feature.getValue("id"));
      if (!(id instanceof String zone) || !zoneExists.test(zone)) {
        throw new InvalidFieldException(at + ".properties.id", "must name an existing zone");
      }
      Object geometry = feature.getValue("geometry");
      if (geometry == null
          || geometry instanceof JsonObject g && "Point".equals(g.getValue("type"))) {
        continue;
      }
      if (!(geometry instanceof JsonObject g)) {
        throw new InvalidFieldException(at + ".geometry", "must be a GeoJSON geometry");
      }
      positions += checkGeometry(g, at + ".geometry");
      if (positions > MAX_POSITIONS) {
        throw new InvalidFieldException(at, "more than " + MAX_POSITIONS + " positions in all");
      }
      if (out.stream().anyMatch(b -> b.zone().equals(zone))) {
        throw new InvalidFieldException(at + ".properties.id", "zone '" + zone + "' twice");
      }
      Object approximate = properties.getValue("approximate", false);
      if (!(approximate instanceof Boolean a)) {
        throw new InvalidFieldException(at + ".properties.approximate", "must be true or false");
      }
      out.add(
          new ZoneBoundary(
              zone,
              new JsonObject()
                  .put("type", g.getString("type"))
                  .put("coordinates", g.getValue("coordinates")),
              a));
    }
    return out;
  }

  private static int checkGeometry(JsonObject g, String at) {
    Object coordinates = g.getValue("coordinates");
    if ("Polygon".equals(g.getValue("type")) && coordinates instanceof JsonArray rings) {
      return checkPolygon(rings, at + ".coordinates");
    }
    if ("MultiPolygon".equals(g.getValue("type")) && coordinates instanceof JsonArray polygons) {
      int n = 0;
      for (int p = 0; p < polygons.size(); p++) {
        if (!(polygons.getValue(p) instanceof JsonArray rings)) {
          throw new InvalidFieldException(at + ".coordinates[" + p + "]", "must be a polygon");
        }
        n += checkPolygon(rings, at + ".coordinates[" + p + "]");
      }
      return n;
    }
    throw new InvalidFieldException(at, "must be a Polygon or MultiPolygon with coordinates");
  }

  private static int checkPolygon(JsonArray rings, String at) {
    if (rings.isEmpty()) {
      throw new InvalidFieldException(at, "needs at least one ring");
    }
    int n = 0;
    for (int r = 0; r < rings.size(); r++) {
      String ringAt = at + "[" + r + "]";
      if (!(rings.getValue(r) instanceof JsonArray ring) || ring.size() < 4) {
        throw new InvalidFieldException(ringAt, "must be a ring of at least 4 positions");
      }
      for (int p = 0; p < ring.size(); p++) {
        checkPosition(ring.getValue(p), ringAt + "[" + p + "]");
      }
      if (!ring.getValue(0).equals(ring.getValue(ring.size() - 1))) {
        throw new InvalidFieldException(ringAt, "must end where it starts (a closed ring)");
      }
      n += ring.size();
    }
    return n;
  }

  private static void checkPosition(Object value, String at) {
    if (!(value instanceof JsonArray position)
        || position.size() < 2
        || !(position.getValue(0) instanceof Number lon)
        || !(position.getValue(1) instanceof Number lat)
        || Math.abs(lon.doubleValue()) > 180
        || Math.abs(lat.doubleValue()) > 90) {
      throw new InvalidFieldException(at, "must be a position [lon, lat] within range");
    }
  }
}
