package vn.lantern.rules.regulation;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * A legal limit of a pack: its value, and where the law changes it, the value from each date on
 * (e.g. QCVN 05:2023's 24-hour PM2.5 of 50 µg/m³, then 45 from 2026-01-01).
 *
 * @param id stable id within the pack, e.g. {@code pm25_24h}
 * @param name what it limits, in Vietnamese and English
 * @param metric the metric it applies to (canonical unit)
 * @param unit the unit of the value (empty for a ratio such as a power factor)
 * @param citation the article of the legal text that sets it
 * @param periods the values in force, by the date each takes effect, ascending
 */
public record Threshold(
    String id, Text name, String metric, String unit, String citation, List<Period> periods) {

  /**
   * A value in force from a date (inclusive) until the next period's.
   *
   * @param from first day (local date of the regulation), or null: since the pack's effective date
   * @param value the limit
   */
  public record Period(LocalDate from, double value) {}

  public Threshold {
    periods = List.copyOf(periods);
  }

  /** The value in force on {@code day}, or empty before the first period. */
  public OptionalDouble valueOn(LocalDate day) {
    OptionalDouble value = OptionalDouble.empty();
    for (Period p : periods) {
      if (p.from() == null || !p.from().isAfter(day)) {
        value = OptionalDouble.of(p.value());
      }
    }
    return value;
  }

  static Threshold parse(JsonObject json, String path, String file) {
    String id = required(json, "id", path, file);
    String citation = required(json, "citation", path, file);
    List<Period> periods = new ArrayList<>();
    if (json.getValue("value") instanceof Number n) {
      periods.add(new Period(null, n.doubleValue()));
    }
    JsonArray effective = json.getJsonArray("effective", new JsonArray());
    LocalDate previous = null;
    for (int i = 0; i < effective.size(); i++) {
      String at = path + ".effective[" + i + "]";
      JsonObject period = effective.getJsonObject(i);
      if (!(period.getValue("value") instanceof Number value)) {
        throw new InvalidPackException(file, at + ".value", "must be a number");
      }
      LocalDate from = date(period.getString("from"), at + ".from", file);
      if (from == null || (previous != null && !from.isAfter(previous))) {
        throw new InvalidPackException(file, at + ".from", "must be a date after the previous one");
      }
      previous = from;
      periods.add(new Period(from, value.doubleValue()));
    }
    if (periods.isEmpty()) {
      throw new InvalidPackException(file, path + ".value", "or effective[] is required");
    }
    return new Threshold(
        id,
        Text.parse(json, "name", file + " " + path),
        required(json, "metric", path, file),
        json.getString("unit", ""),
        citation,
        periods);
  }

  static String required(JsonObject json, String field, String path, String file) {
    Object value = json.getValue(field);
    if (!(value instanceof String s) || s.isBlank()) {
      throw new InvalidPackException(file, path + "." + field, "is required");
    }
    return s;
  }

  static LocalDate date(String text, String field, String file) {
    if (text == null) {
      return null;
    }
    try {
      return LocalDate.parse(text);
    } catch (DateTimeParseException e) {
      throw new InvalidPackException(file, field, "must be a date (YYYY-MM-DD)");
    }
  }

  JsonObject toJson() {
    JsonObject json =
        new JsonObject()
            .put("id", id)
            .put("name", name.toJson())
            .put("metric", metric)
            .put("unit", unit)
            .put("citation", citation);
    JsonArray values = new JsonArray();
    for (Period p : periods) {
      values.add(
          new JsonObject()
              .put("from", p.from() == null ? null : p.from().toString())
              .put("value", p.value()));
    }
    return json.put("effective", values);
  }
}
