package vn.lantern.rules.regulation;

import io.vertx.core.json.JsonObject;

/**
 * A text in Vietnamese and English, as regulation packs name and describe themselves.
 *
 * @param vi Vietnamese
 * @param en English
 */
public record Text(String vi, String en) {

  static Text parse(JsonObject json, String field, String file) {
    Object value = json.getValue(field);
    if (!(value instanceof JsonObject text)
        || text.getString("vi", "").isBlank()
        || text.getString("en", "").isBlank()) {
      throw new InvalidPackException(file, field, "needs {\"vi\": …, \"en\": …}");
    }
    return new Text(text.getString("vi"), text.getString("en"));
  }

  JsonObject toJson() {
    return new JsonObject().put("vi", vi).put("en", en);
  }
}
