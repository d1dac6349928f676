package vn.lantern.ingest.registry;

import io.vertx.core.json.JsonObject;

/**
 * A zone of the hierarchy (city, town, industrial park, ward, …). Zones are data: the default
 * catalogue is seeded by a migration and operators edit it through the API.
 *
 * @param id slug such as {@code hoi-an}; InfluxDB tag {@code zone}
 * @param name display name
 * @param kind {@code city}, {@code town}, {@code industrial_park}, {@code ward}, …
 * @param parent id of the enclosing zone, optional
 * @param lat latitude, optional
 * @param lon longitude, optional
 */
public record Zone(String id, String name, String kind, String parent, Double lat, Double lon) {

  /** The JSON view used by the API. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("id", id).put("name", name).put("kind", kind);
    if (parent != null) {
      json.put("parent", parent);
    }
    if (lat != null) {
      json.put("lat", lat);
    }
    if (lon != null) {
      json.put("lon", lon);
    }
    return json;
  }
}
