package vn.lantern.rules.rule;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A comparison of a value against a limit or a range, with optional hysteresis: once triggered it
 * only clears when the value reaches the {@code clear} level (or leaves the {@code clear} range).
 *
 * @param op the operator
 * @param low the limit, or the range's lower bound
 * @param high the range's upper bound (equal to {@code low} for single-limit operators)
 * @param clearLow the clear level or the clear range's lower bound, or NaN for no hysteresis
 * @param clearHigh the clear range's upper bound, or NaN
 */
public record Comparison(Op op, double low, double high, double clearLow, double clearHigh) {

  /** Comparison operators. */
  public enum Op {
    GT(">"),
    GE(">="),
    LT("<"),
    LE("<="),
    OUTSIDE("outside"),
    INSIDE("inside");

    private final String symbol;

    Op(String symbol) {
      this.symbol = symbol;
    }

    public String symbol() {
      return symbol;
    }

    boolean isRange() {
      return this == OUTSIDE || this == INSIDE;
    }

    static Op parse(Object value, String field) {
      for (Op op : values()) {
        if (op.symbol.equals(value)) {
          return op;
        }
      }
      throw new InvalidRuleException(field, "must be one of >, >=, <, <=, outside, inside");
    }
  }

  /** Whether a value triggers the condition. */
  public boolean triggers(double v) {
    return switch (op) {
      case GT -> v > low;
      case GE -> v >= low;
      case LT -> v < low;
      case LE -> v <= low;
      case OUTSIDE -> v < low || v > high;
      case INSIDE -> v >= low && v <= high;
    };
  }

  /** Whether a value clears an active condition (hysteresis when a clear level is set). */
  public boolean clears(double v) {
    if (Double.isNaN(clearLow)) {
      return !triggers(v);
    }
    return switch (op) {
      case GT, GE -> v <= clearLow;
      case LT, LE -> v >= clearLow;
      case OUTSIDE -> v >= clearLow && v <= clearHigh;
      case INSIDE -> v < clearLow || v > clearHigh;
    };
  }

  /** Parses {@code op}, {@code value} and {@code clear} of a condition object at {@code path}. */
  static Comparison parse(JsonObject json, String path) {
    Op op = Op.parse(json.getValue("op"), path + ".op");
    double[] limit = bounds(json.getValue("value"), op, path + ".value", true);
    double[] clear = bounds(json.getValue("clear"), op, path + ".clear", false);
    if (clear != null) {
      boolean consistent =
          switch (op) {
            case GT, GE -> clear[0] <= limit[0];
            case LT, LE -> clear[0] >= limit[0];
            case OUTSIDE -> clear[0] >= limit[0] && clear[1] <= limit[1];
            case INSIDE -> clear[0] <= limit[0] && clear[1] >= limit[1];
          };
      if (!consistent) {
        throw new InvalidRuleException(
            path + ".clear", "must lie on the clearing side of value, so an alert can clear");
      }
    }
    return new Comparison(
        op,
        limit[0],
        limit[1],
        clear == null ? Double.NaN : clear[0],
        clear == null ? Double.NaN : clear[1]);
  }

  private static double[] bounds(Object value, Op op, String field, boolean required) {
    if (value == null) {
      if (required) {
        throw new InvalidRuleException(field, "is required");
      }
      return null;
    }
    if (op.isRange()) {
      if (value instanceof JsonArray a
          && a.size() == 2
          && a.getValue(0) instanceof Number lo
          && a.getValue(1) instanceof Number hi
          && Double.isFinite(lo.doubleValue())
          && Double.isFinite(hi.doubleValue())
          && lo.doubleValue() <= hi.doubleValue()) {
        return new double[] {lo.doubleValue(), hi.doubleValue()};
      }
      throw new InvalidRuleException(field, "must be a range [low, high] with low <= high");
    }
    if (value instanceof Number n && Double.isFinite(n.doubleValue())) {
      return new double[] {n.doubleValue(), n.doubleValue()};
    }
    throw new InvalidRuleException(field, "must be a finite number");
  }

  /** Writes {@code op}, {@code value} and {@code clear} into a condition object. */
  void write(JsonObject json) {
    json.put("op", op.symbol());
    json.put("value", op.isRange() ? new JsonArray().add(low).add(high) : low);
    if (!Double.isNaN(clearLow)) {
      json.put("clear", op.isRange() ? new JsonArray().add(clearLow).add(clearHigh) : clearLow);
    }
  }
}
