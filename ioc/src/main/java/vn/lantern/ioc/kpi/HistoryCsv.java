package vn.lantern.ioc.kpi;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import vn.lantern.common.http.CsvResponse;

/**
 * History as CSV ({@code ?format=csv} or {@code Accept: text/csv}): one row per interval, {@code
 * time,value,min,max} with the time in ISO-8601 UTC, sent in chunks. A history holds at most 10,000
 * intervals (the resolution limit), so the rows are never many.
 */
final class HistoryCsv {
  private static final int ROWS_PER_CHUNK = 500;

  private HistoryCsv() {}

  static void send(RoutingContext ctx, JsonObject head, JsonArray points) {
    String series =
        head.getString("device") != null
            ? head.getString("device") + "-" + head.getString("metric")
            : head.getString("zone") + "-" + head.getString("kpi");
    HttpServerResponse response = CsvResponse.start(ctx, series);
    StringBuilder chunk = new StringBuilder("time,value,min,max\n");
    for (int i = 0; i < points.size(); i++) {
      JsonObject p = points.getJsonObject(i);
      CsvResponse.time(chunk, p.getLong("ts")).append(',');
      CsvResponse.field(chunk, p.getValue("value")).append(',');
      CsvResponse.field(chunk, p.getValue("min")).append(',');
      CsvResponse.field(chunk, p.getValue("max")).append('\n');
      if ((i + 1) % ROWS_PER_CHUNK == 0) {
        response.write(Buffer.buffer(chunk.toString()));
        chunk.setLength(0);
      }
    }
    response.end(Buffer.buffer(chunk.toString()));
  }
}
