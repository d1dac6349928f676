package vn.lantern.rules.alert;

import java.util.concurrent.TimeUnit;
import org.influxdb.dto.Point;
import vn.lantern.common.influx.PointBatcher;

/**
 * Writes alert transitions to InfluxDB as measurement {@code alert_event} (tags zone, site, rule,
 * device, severity; fields state, transition, value, alert, actor), so dashboards can chart them
 * beside the readings. Writes go through a batching writer that retries while InfluxDB is down; the
 * relational store stays the record. Never blocks.
 */
public final class AlertEventWriter {
  static final String MEASUREMENT = "alert_event";

  private final PointBatcher points;

  public AlertEventWriter(PointBatcher points) {
    this.points = points;
  }

  /** Queues one transition for writing. */
  public void write(AlertEvent event) {
    Alert a = event.alert();
    Point.Builder point =
        Point.measurement(MEASUREMENT)
            .time(event.at(), TimeUnit.MILLISECONDS)
            .tag("zone", a.zone())
            .tag("rule", a.ruleId())
            .tag("device", a.device())
            .tag("severity", a.severity().json())
            .addField("state", a.state().json())
            .addField("transition", event.kind())
            .addField("alert", a.id())
            .addField("actor", event.actor() == null ? "" : event.actor());
    if (a.site() != null && !a.site().isEmpty()) {
      point.tag("site", a.site());
    }
    if (!Double.isNaN(a.value())) {
      point.addField("value", a.value());
    }
    points.offer(point.build());
  }
}
