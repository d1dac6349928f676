package vn.lantern.rules.api;

import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.lantern.common.http.ApiErrors;
import vn.lantern.common.http.CsvResponse;
import vn.lantern.rules.alert.Alert;
import vn.lantern.rules.alert.AlertFilter;
import vn.lantern.rules.alert.AlertStore;

/**
 * Every alert matching a filter as CSV, newest first: read one page at a time on the worker and
 * written as the client takes it, so an export of years of alerts holds one page in memory.
 */
final class AlertsCsv {
  private static final Logger LOG = LoggerFactory.getLogger(AlertsCsv.class);
  static final String HEADER =
      "id,ruleId,ruleName,zone,site,device,metric,severity,state,since,value,ackedBy,ackedAt,"
          + "ackComment,resolvedAt,resolvedBy,late,flaps\n";

  private final AlertStore store;
  private final WorkerExecutor worker;
  private final int pageSize;

  AlertsCsv(AlertStore store, WorkerExecutor worker, int pageSize) {
    this.store = store;
    this.worker = worker;
    this.pageSize = pageSize;
  }

  /** Streams the alerts of {@code filter} (its limit is ignored: every match is exported). */
  void send(RoutingContext ctx, AlertFilter filter) {
    AlertFilter paged =
        new AlertFilter(
            filter.zones(),
            filter.zone(),
            filter.site(),
            filter.state(),
            filter.severity(),
            filter.ruleId(),
            filter.device(),
            filter.from(),
            filter.to(),
            pageSize);
    page(ctx, paged, null, true);
  }

  private void page(RoutingContext ctx, AlertFilter filter, Alert after, boolean first) {
    worker
        .executeBlocking(() -> store.list(filter, after), true)
        .onSuccess(list -> write(ctx, filter, list, first))
        .onFailure(
            e -> {
              if (first) {
                ApiErrors.fail(ctx, e);
              } else {
                // The rows sent so far cannot be taken back: cut the response so it is not
                // mistaken for a complete export.
                LOG.warn("event=alerts_csv_failed error=\"{}\"", e.toString());
                ctx.response().reset();
              }
            });
  }

  private void write(RoutingContext ctx, AlertFilter filter, List<Alert> list, boolean first) {
    HttpServerResponse response = first ? CsvResponse.start(ctx, "alerts") : ctx.response();
    if (response.closed()) {
      return;
    }
    StringBuilder chunk = new StringBuilder(first ? HEADER : "");
    list.forEach(a -> row(chunk, a));
    if (list.size() < filter.limit()) {
      response.end(Buffer.buffer(chunk.toString()));
      return;
    }
    response.write(Buffer.buffer(chunk.toString()));
    Alert last = list.get(list.size() - 1);
    if (response.writeQueueFull()) {
      response.drainHandler(v -> page(ctx, filter, last, false));
    } else {
      page(ctx, filter, last, false);
    }
  }

  private static void row(StringBuilder row, Alert a) {
    CsvResponse.field(row, a.id()).append(',');
    CsvResponse.field(row, a.ruleId()).append(',');
    CsvResponse.field(row, a.ruleName()).append(',');
    CsvResponse.field(row, a.zone()).append(',');
    CsvResponse.field(row, a.site()).append(',');
    CsvResponse.field(row, a.device()).append(',');
    CsvResponse.field(row, a.metric()).append(',');
    CsvResponse.field(row, a.severity().json()).append(',');
    CsvResponse.field(row, a.state().json()).append(',');
    CsvResponse.time(row, a.since()).append(',');
    CsvResponse.field(row, Double.isNaN(a.value()) ? null : a.value()).append(',');
    CsvResponse.field(row, a.ackedBy()).append(',');
    CsvResponse.time(row, a.ackedAt()).append(',');
    CsvResponse.field(row, a.ackComment()).append(',');
    CsvResponse.time(row, a.resolvedAt()).append(',');
    CsvResponse.field(row, a.resolvedBy()).append(',');
    CsvResponse.field(row, a.late()).append(',');
    CsvResponse.field(row, a.flaps()).append('\n');
  }
}
