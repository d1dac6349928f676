package vn.lantern.common.telemetry;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Streams an RFC 8428 SenML pack, in JSON (text labels) or CBOR (integer labels, §6; text labels
 * are accepted too), resolving base name, time, unit and value into {@link Reading}s. Values arrive
 * in the catalogue's unit for their metric ({@link MetricUnits}).
 */
final class SenmlReader {

  // Label ids double as bit positions for duplicate detection within one record.
  private static final int UNKNOWN = -1;
  private static final int BVER = 0;
  private static final int BN = 1;
  private static final int BT = 2;
  private static final int BU = 3;
  private static final int BV = 4;
  private static final int BS = 5;
  private static final int N = 6;
  private static final int U = 7;
  private static final int V = 8;
  private static final int VS = 9;
  private static final int VB = 10;
  private static final int S = 11;
  private static final int T = 12;
  private static final int UT = 13;
  private static final int VD = 14;

  /** Text label per id, also used for field paths in CBOR so errors read the same. */
  private static final String[] LABELS = {
    "bver", "bn", "bt", "bu", "bv", "bs", "n", "u", "v", "vs", "vb", "s", "t", "ut", "vd"
  };

  private static final int BASE_BITS = bit(BVER) | bit(BN) | bit(BT) | bit(BU) | bit(BV) | bit(BS);

  /** The SenML version RFC 8428 defines; a pack needing a newer one must not be used (§4.4). */
  private static final int SUPPORTED_VERSION = 10;

  /** RFC 8428 §4.5.3: resolved times below 2^28 seconds are relative to the current time. */
  private static final double RELATIVE_TIME_LIMIT = 1 << 28;

  private SenmlReader() {}

  /** Whether {@code key} is a SenML JSON label; used to recognise SenML by its shape. */
  static boolean isJsonLabel(String key) {
    return label(key, false) != UNKNOWN;
  }

  static List<Reading> read(JsonParser p, boolean cbor, long receivedAtMs, int maxReadings)
      throws IOException, PayloadRejectedException {
    if (p.nextToken() != JsonToken.START_ARRAY) {
      throw malformed(null, "a SenML pack must be an array of records");
    }
    List<Reading> out = new ArrayList<>();
    // Base fields hold from the record that sets them until replaced (RFC 8428 §4.1).
    String baseSegment = null; // bn after its last ':' or '/'; all a metric name can need of it
    double baseTime = 0;
    double baseValue = 0;
    boolean hasBaseValue = false;
    String baseUnit = null;
    JsonToken token;
    for (int index = 0; (token = p.nextToken()) != JsonToken.END_ARRAY; index++) {
      if (token != JsonToken.START_OBJECT) {
        throw malformed("[" + index + "]", "each SenML record must be an object");
      }
      int seen = 0;
      String name = null;
      double value = 0;
      boolean booleanValue = false;
      double time = 0;
      String unit = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String key = p.currentName();
        int label = label(key, cbor);
        JsonToken valueToken = p.nextToken();
        if (label == UNKNOWN) {
          // RFC 8428 §4.4: unknown labels are ignored unless they end in '_' (must understand).
          if (key.endsWith("_")) {
            throw new PayloadRejectedException(
                RejectionCause.UNSUPPORTED_FORMAT,
                "[" + index + "]." + key,
                "must-understand label " + key + " is not supported");
          }
          p.skipChildren();
          continue;
        }
        if ((seen & bit(label)) != 0) {
          throw malformed(field(index, label), "duplicate label " + LABELS[label]);
        }
        seen |= bit(label);
        switch (label) {
          case BVER -> {
            if (number(p, valueToken, index, label) > SUPPORTED_VERSION) {
              throw new PayloadRejectedException(
                  RejectionCause.UNSUPPORTED_FORMAT,
                  field(index, label),
                  "SenML versions above " + SUPPORTED_VERSION + " are not supported");
            }
          }
          case BN -> baseSegment = lastSegment(text(p, valueToken, index, label));
          case BT -> baseTime = number(p, valueToken, index, label);
          case BV -> {
            baseValue = number(p, valueToken, index, label);
            hasBaseValue = true;
          }
          case BU -> baseUnit = text(p, valueToken, index, label);
          case U -> unit = text(p, valueToken, index, label);
          case BS, S, UT -> number(p, valueToken, index, label);
          case N -> name = text(p, valueToken, index, label);
          case V -> value = number(p, valueToken, index, label);
          case VB -> {
            if (valueToken != JsonToken.VALUE_TRUE && valueToken != JsonToken.VALUE_FALSE) {
              throw malformed(field(index, label), "vb must be a boolean");
            }
            booleanValue = valueToken == JsonToken.VALUE_TRUE;
          }
          case VS, VD ->
              throw new PayloadRejectedException(
                  RejectionCause.UNSUPPORTED_VALUE,
                  field(index, label),
                  "string and data values are not supported; Lantern stores numbers");
          case T -> time = number(p, valueToken, index, label);
        }
      }

      boolean hasName = (seen & bit(N)) != 0;
      if (!hasName && (seen & (bit(V) | bit(VB) | bit(S))) == 0) {
        if ((seen & BASE_BITS) != 0) {
          continue; // a record carrying only base fields
        }
        throw malformed("[" + index + "]", "record has neither a name nor a value");
      }

      String metric;
      if (hasName) {
        int cut = lastSeparator(name);
        if (cut >= 0) {
          metric = name.substring(cut + 1);
        } else {
          metric = baseSegment == null || baseSegment.isEmpty() ? name : baseSegment + name;
        }
      } else if (baseSegment != null) {
        metric = baseSegment;
      } else {
        throw malformed(field(index, N), "record has a value but no name (n or bn)");
      }
      if (metric.isEmpty()) {
        throw new PayloadRejectedException(
            RejectionCause.BAD_METRIC_NAME,
            field(index, N),
            "resolved name ends with ':' or '/', leaving no metric name");
      }

      double resolvedValue;
      if ((seen & bit(V)) != 0 && (seen & bit(VB)) != 0) {
        throw malformed("[" + index + "]", "record has more than one value");
      } else if ((seen & bit(V)) != 0) {
        resolvedValue = hasBaseValue ? baseValue + value : value;
      } else if ((seen & bit(VB)) != 0) {
        resolvedValue = booleanValue ? 1.0 : 0.0;
      } else if ((seen & bit(S)) != 0) {
        throw new PayloadRejectedException(
            RejectionCause.UNSUPPORTED_VALUE,
            field(index, S),
            "records with only a sum are not supported; send v");
      } else if (hasBaseValue) {
        resolvedValue = baseValue; // RFC 8428 §4.6: a record without a value takes bv
      } else {
        throw malformed(field(index, V), "record has a name but no value");
      }

      resolvedValue = canonical(metric, unit != null ? unit : baseUnit, resolvedValue, index, unit);

      double seconds = baseTime + time;
      if (!Double.isFinite(seconds)) {
        throw new PayloadRejectedException(
            RejectionCause.TIMESTAMP_OUT_OF_RANGE, field(index, T), "time is not a finite number");
      }
      long ms = Math.round(seconds * 1000);
      // Relative times are below 2^28 s, so adding them to a sane receive time cannot overflow.
      long timestampMs = seconds < RELATIVE_TIME_LIMIT ? receivedAtMs + ms : ms;
      TelemetryDecoder.append(out, new Reading(metric, resolvedValue, timestampMs), maxReadings);
    }
    return out;
  }

  /** Converts to the catalogue's unit (RFC 8428 §4.5.3: u, else bu, names the value's unit). */
  private static double canonical(
      String metric, String unit, double value, int index, String recordUnit)
      throws PayloadRejectedException {
    if (unit == null) {
      return value;
    }
    Optional<Double> converted = MetricUnits.toCanonical(metric, unit, value);
    if (converted.isEmpty()) {
      throw new PayloadRejectedException(
          RejectionCause.UNSUPPORTED_UNIT,
          field(index, recordUnit != null ? U : BU),
          "unit "
              + unit
              + " is not known for "
              + metric
              + "; send one of "
              + String.join(", ", MetricUnits.accepted(metric)));
    }
    return converted.get();
  }

  private static int label(String key, boolean cbor) {
    return switch (key) {
      case "bver" -> BVER;
      case "bn" -> BN;
      case "bt" -> BT;
      case "bu" -> BU;
      case "bv" -> BV;
      case "bs" -> BS;
      case "n" -> N;
      case "u" -> U;
      case "v" -> V;
      case "vs" -> VS;
      case "vb" -> VB;
      case "s" -> S;
      case "t" -> T;
      case "ut" -> UT;
      case "vd" -> VD;
      default -> cbor ? cborLabel(key) : UNKNOWN;
    };
  }

  /**
   * RFC 8428 §6 integer labels. Jackson's CBORParser reports an integer map key as a FIELD_NAME
   * whose text is the decimal number, so they are matched as strings.
   */
  private static int cborLabel(String key) {
    return switch (key) {
      case "-1" -> BVER;
      case "-2" -> BN;
      case "-3" -> BT;
      case "-4" -> BU;
      case "-5" -> BV;
      case "-6" -> BS;
      case "0" -> N;
      case "1" -> U;
      case "2" -> V;
      case "3" -> VS;
      case "4" -> VB;
      case "5" -> S;
      case "6" -> T;
      case "7" -> UT;
      case "8" -> VD;
      default -> UNKNOWN;
    };
  }

  private static double number(JsonParser p, JsonToken token, int index, int label)
      throws IOException, PayloadRejectedException {
    if (token != JsonToken.VALUE_NUMBER_INT && token != JsonToken.VALUE_NUMBER_FLOAT) {
      throw malformed(field(index, label), LABELS[label] + " must be a number");
    }
    return p.getDoubleValue();
  }

  private static String text(JsonParser p, JsonToken token, int index, int label)
      throws IOException, PayloadRejectedException {
    expectString(token, index, label);
    return p.getText();
  }

  private static void expectString(JsonToken token, int index, int label)
      throws PayloadRejectedException {
    if (token != JsonToken.VALUE_STRING) {
      throw malformed(field(index, label), LABELS[label] + " must be a string");
    }
  }

  private static String lastSegment(String name) {
    return name.substring(lastSeparator(name) + 1);
  }

  private static int lastSeparator(String name) {
    return Math.max(name.lastIndexOf(':'), name.lastIndexOf('/'));
  }

  private static int bit(int label) {
    return 1 << label;
  }

  private static String field(int index, int label) {
    return "[" + index + "]." + LABELS[label];
  }

  private static PayloadRejectedException malformed(String field, String message) {
    return new PayloadRejectedException(RejectionCause.MALFORMED, field, message);
  }
}
