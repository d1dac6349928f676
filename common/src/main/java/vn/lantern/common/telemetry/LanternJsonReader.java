package vn.lantern.common.telemetry;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Streams Lantern JSON: {@code {"ts": 1732350000000, "m": {"pm25": 35.2}}} or an array of such
 * objects. Strict about keys so that firmware authors hear about typos instead of losing data.
 */
final class LanternJsonReader {

  private LanternJsonReader() {}

  static List<Reading> read(JsonParser p, long receivedAtMs, int maxReadings)
      throws IOException, PayloadRejectedException {
    List<Reading> out = new ArrayList<>();
    JsonToken token = p.nextToken();
    if (token == JsonToken.START_OBJECT) {
      readObject(p, -1, receivedAtMs, maxReadings, out);
    } else if (token == JsonToken.START_ARRAY) {
      int index = 0;
      while ((token = p.nextToken()) != JsonToken.END_ARRAY) {
        if (token != JsonToken.START_OBJECT) {
          throw malformed("[" + index + "]", "each element of a batch must be an object");
        }
        readObject(p, index++, receivedAtMs, maxReadings, out);
      }
    } else {
      throw malformed(null, "expected a JSON object or an array of objects");
    }
    return out;
  }

  private static void readObject(
      JsonParser p, int index, long receivedAtMs, int maxReadings, List<Reading> out)
      throws IOException, PayloadRejectedException {
    int first = out.size();
    boolean sawTs = false;
    boolean sawM = false;
    long ts = receivedAtMs;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String key = p.currentName();
      JsonToken value = p.nextToken();
      switch (key) {
        case "ts" -> {
          if (sawTs) {
            throw malformed(path(index, "ts"), "duplicate key ts");
          }
          sawTs = true;
          ts = timestamp(p, value, index);
          if (sawM) {
            restamp(out, first, ts);
          }
        }
        case "m" -> {
          if (sawM) {
            throw malformed(path(index, "m"), "duplicate key m");
          }
          sawM = true;
          readMetrics(p, value, index, ts, maxReadings, out);
        }
        default -> throw malformed(path(index, key), unknownKeyMessage(key));
      }
    }
    if (!sawM) {
      throw malformed(path(index, "m"), "missing m, the object of metric values");
    }
  }

  private static long timestamp(JsonParser p, JsonToken value, int index)
      throws IOException, PayloadRejectedException {
    if (value != JsonToken.VALUE_NUMBER_INT) {
      throw malformed(path(index, "ts"), "ts must be an integer: epoch milliseconds");
    }
    if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
      throw new PayloadRejectedException(
          RejectionCause.TIMESTAMP_OUT_OF_RANGE, path(index, "ts"), "ts does not fit in 64 bits");
    }
    return p.getLongValue();
  }

  private static void readMetrics(
      JsonParser p, JsonToken token, int index, long ts, int maxReadings, List<Reading> out)
      throws IOException, PayloadRejectedException {
    if (token != JsonToken.START_OBJECT) {
      throw malformed(path(index, "m"), "m must be an object of metric names to numbers");
    }
    int first = out.size();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String metric = p.currentName();
      double value =
          switch (p.nextToken()) {
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> p.getDoubleValue();
            case VALUE_TRUE -> 1.0;
            case VALUE_FALSE -> 0.0;
            default ->
                throw new PayloadRejectedException(
                    RejectionCause.UNSUPPORTED_VALUE,
                    path(index, "m." + metric),
                    "metric values must be numbers (or booleans)");
          };
      // Two values for one metric at one instant would silently overwrite each other in storage.
      for (int i = first; i < out.size(); i++) {
        if (out.get(i).metric().equals(metric)) {
          throw malformed(path(index, "m." + metric), "duplicate metric " + metric);
        }
      }
      TelemetryDecoder.append(out, new Reading(metric, value, ts), maxReadings);
    }
    if (out.size() == first) {
      throw malformed(path(index, "m"), "m is empty");
    }
  }

  /** Applies a {@code ts} that came after {@code m} in the same object. */
  private static void restamp(List<Reading> out, int first, long ts) {
    for (int i = first; i < out.size(); i++) {
      Reading r = out.get(i);
      out.set(i, new Reading(r.metric(), r.value(), ts));
    }
  }

  private static String unknownKeyMessage(String key) {
    String message = "unknown key " + key + "; Lantern JSON has only ts and m";
    return SenmlReader.isJsonLabel(key)
        ? message + " (a SenML pack must be an array of records)"
        : message;
  }

  private static String path(int index, String field) {
    return index < 0 ? field : "[" + index + "]." + field;
  }

  private static PayloadRejectedException malformed(String field, String message) {
    return new PayloadRejectedException(RejectionCause.MALFORMED, field, message);
  }
}
