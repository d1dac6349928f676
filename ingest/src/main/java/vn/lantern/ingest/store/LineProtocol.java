package vn.lantern.ingest.store;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.util.List;
import vn.lantern.common.telemetry.DeviceRef;
import vn.lantern.common.telemetry.Reading;
import vn.lantern.common.telemetry.TelemetryBatch;

/**
 * Writes readings as InfluxDB line protocol, encoded as UTF-8 straight into a caller's byte buffer
 * (the body of the HTTP write, without a {@code String} in between), one line per distinct
 * timestamp with the metrics read at that instant as its fields (the last value wins for a metric
 * given twice at one instant).
 *
 * <p>Hand-written rather than built through influxdb-java's {@code Point}: that builder costs a
 * map, a builder and a string per point on the writer's hot path, and its tag escaping lets a value
 * ending in a backslash swallow the next tag. The rules followed are InfluxDB's parser's (1.x and
 * 2.x): in tag values {@code ,} {@code =} and space are escaped with a backslash, and any other
 * backslash stays literal (the parser unescapes only those three pairs). Two things cannot be
 * carried at all, whatever the escaping: a backslash at the end of a value (the parser reads it as
 * escaping the delimiter that follows) and line breaks. {@link #unrepresentable} names them, so
 * such a device is refused instead of being stored under the wrong tags. Measurement and field
 * names follow the metric-name rule, which needs no escaping; fields are finite doubles.
 */
public final class LineProtocol {
  private LineProtocol() {}

  /**
   * Why a device's tags cannot be written as line protocol, or null when they can.
   *
   * @return e.g. {@code "site ends with a backslash"}
   */
  public static String unrepresentable(DeviceRef device) {
    String problem = unrepresentableTag("zone", device.zone());
    if (problem == null) {
      problem = unrepresentableTag("site", device.site());
    }
    if (problem == null) {
      problem = unrepresentableTag("device", device.id());
    }
    return problem;
  }

  /** Why {@code value} cannot be a tag value, or null when it can. */
  public static String unrepresentableTag(String tag, String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\n' || c == '\r') {
        return tag + " contains a line break";
      }
    }
    if (value.endsWith("\\")) {
      return tag + " ends with a backslash";
    }
    return null;
  }

  /**
   * Appends the batch's points, each line ending in a newline; timestamps in milliseconds. The
   * device's tags must be representable (see {@link #unrepresentable}).
   *
   * @return the number of points (lines) appended
   */
  public static int append(ByteBuf out, TelemetryBatch batch) {
    List<Reading> readings = batch.readings();
    int n = readings.size();
    int points = 0;
    if (timestampsRunInOrder(readings)) {
      // The usual shape (one time per message, or a series in time order): each run of equal
      // timestamps is one line, found in one pass.
      int from = 0;
      while (from < n) {
        long ts = readings.get(from).timestampMs();
        int to = from + 1;
        while (to < n && readings.get(to).timestampMs() == ts) {
          to++;
        }
        appendLine(out, batch.device(), readings, from, to, ts);
        points++;
        from = to;
      }
      return points;
    }
    for (int i = 0; i < n; i++) {
      long ts = readings.get(i).timestampMs();
      if (!seenEarlier(readings, i, ts)) {
        appendLine(out, batch.device(), readings, i, n, ts);
        points++;
      }
    }
    return points;
  }

  /** Whether equal timestamps are adjacent, their runs rising or falling throughout. */
  private static boolean timestampsRunInOrder(List<Reading> readings) {
    int direction = 0;
    for (int i = 1; i < readings.size(); i++) {
      int step = Long.compare(readings.get(i).timestampMs(), readings.get(i - 1).timestampMs());
      if (step != 0) {
        if (direction != 0 && step != direction) {
          return false;
        }
        direction = step;
      }
    }
    return true;
  }

  /** One point: the readings at {@code ts} among {@code [from, to)}, the last value of each. */
  private static void appendLine(
      ByteBuf out, DeviceRef device, List<Reading> readings, int from, int to, long ts) {
    appendSeries(out, device);
    char separator = ' ';
    for (int j = from; j < to; j++) {
      Reading reading = readings.get(j);
      if (reading.timestampMs() == ts && !overwrittenLater(readings, j, to)) {
        out.writeByte(separator);
        ByteBufUtil.writeUtf8(out, reading.metric());
        out.writeByte('=');
        ByteBufUtil.writeAscii(out, Double.toString(reading.value()));
        separator = ',';
      }
    }
    out.writeByte(' ');
    ByteBufUtil.writeAscii(out, Long.toString(ts));
    out.writeByte('\n');
  }

  private static boolean seenEarlier(List<Reading> readings, int index, long ts) {
    for (int k = 0; k < index; k++) {
      if (readings.get(k).timestampMs() == ts) {
        return true;
      }
    }
    return false;
  }

  private static boolean overwrittenLater(List<Reading> readings, int index, int to) {
    Reading reading = readings.get(index);
    for (int k = index + 1; k < to; k++) {
      Reading later = readings.get(k);
      if (later.timestampMs() == reading.timestampMs() && later.metric().equals(reading.metric())) {
        return true;
      }
    }
    return false;
  }

  /** Measurement and tags, sorted by key as InfluxDB prefers; empty tag values are left out. */
  private static void appendSeries(ByteBuf out, DeviceRef device) {
    ByteBufUtil.writeUtf8(out, device.type());
    appendTag(out, "device", device.id());
    appendTag(out, "site", device.site());
    appendTag(out, "zone", device.zone());
  }

  private static void appendTag(ByteBuf out, String key, String value) {
    if (value == null || value.isEmpty()) {
      return;
    }
    out.writeByte(',');
    ByteBufUtil.writeAscii(out, key);
    out.writeByte('=');
    // The escaped characters are ASCII, so cutting the value at them never splits a surrogate pair.
    int from = 0;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == ',' || c == '=' || c == ' ') {
        ByteBufUtil.writeUtf8(out, value, from, i);
        out.writeByte('\\');
        out.writeByte(c);
        from = i + 1;
      }
    }
    ByteBufUtil.writeUtf8(out, value, from, value.length());
  }
}
