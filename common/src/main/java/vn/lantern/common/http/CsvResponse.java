package vn.lantern.common.http;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.Locale;

/**
 * CSV answers of the API ({@code ?format=csv} or {@code Accept: text/csv}): RFC 4180 rows, UTF-8,
 * sent chunked as an attachment. Hand-written because a row is a join of a few quoted fields, which
 * does not need a CSV library on the node's classpath.
 */
public final class CsvResponse {
  private CsvResponse() {}

  /** Whether the caller asked for CSV: {@code format=csv} wins over the {@code Accept} header. */
  public static boolean wanted(RoutingContext ctx) {
    String format = ctx.queryParams().get("format");
    if (format != null) {
      return format.equalsIgnoreCase("csv");
    }
    String accept = ctx.request().getHeader("accept");
    return accept != null && accept.toLowerCase(Locale.ROOT).contains("text/csv");
  }

  /** Starts a chunked CSV attachment named {@code name}.csv (unsafe characters replaced). */
  public static HttpServerResponse start(RoutingContext ctx, String name) {
    return ctx.response()
        .setChunked(true)
        .putHeader("content-type", "text/csv; charset=utf-8")
        .putHeader(
            "content-disposition",
            "attachment; filename=\"" + name.replaceAll("[^A-Za-z0-9_.-]", "_") + ".csv\"");
  }

  /**
   * Appends one field: quoted when it holds a comma, quote or line break; text a spreadsheet would
   * run as a formula (starting with {@code = + - @}) is prefixed with {@code '}. Numbers and
   * booleans are written as they are, null as an empty field.
   */
  public static StringBuilder field(StringBuilder row, Object value) {
    if (value == null) {
      return row;
    }
    if (value instanceof Number || value instanceof Boolean) {
      return row.append(value);
    }
    String text = value.toString();
    if (!text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0) {
      text = "'" + text;
    }
    if (text.indexOf(',') < 0
        && text.indexOf('"') < 0
        && text.indexOf('\n') < 0
        && text.indexOf('\r') < 0) {
      return row.append(text);
    }
    return row.append('"').append(text.replace("\"", "\"\"")).append('"');
  }

  /** An epoch-millisecond time as ISO-8601 UTC, or an empty field for 0 (never happened). */
  public static StringBuilder time(StringBuilder row, long epochMs) {
    return epochMs == 0 ? row : row.append(Instant.ofEpochMilli(epochMs));
  }
}
