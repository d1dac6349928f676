package vn.lantern.ingest.registry;

import io.vertx.core.json.JsonObject;

/**
 * A zone of the hierarchy (city, ward, economic zone, industrial park, …). Zones are data: the
 * default catalogue is seeded by migrations and operators edit it through the API.
 *
 * @param id slug such as {@code hoi-an}; InfluxDB tag {@code zone}; never changes
 * @param name display name, with its diacritics (e.g. {@code Hội An})
 * @param kind {@code city}, {@code ward}, {@code economic_zone}, {@code industrial_park}, …
 * @param parent id of the enclosing zone, optional
 * @param lat latitude, optional
 * @param lon longitude, optional
 * @param code official administrative-unit code, optional (null where none is sourced)
 */
public record Zone(
    String id, String name, String kind, String parent, Double lat, Double lon, String code) {

  /** A zone without an official code. */
  public Zone(String id, String name, String kind, String parent, Double lat, Double lon) {
    this(id, name, kind, parent, lat, lon, null);
  }

  /** The same zone under another parent. */
  public Zone withParent(String newParent) {
    return new Zone(id, name, kind, newParent, lat, lon, code);
  }

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
    if (code != null) {
      json.put("code", code);
    }
    return json;
  }
}
