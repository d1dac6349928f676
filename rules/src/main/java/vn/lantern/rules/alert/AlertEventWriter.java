package vn.lantern.rules.alert;

import java.util.concurrent.TimeUnit;
import org.influxdb.InfluxDB;
import org.influxdb.dto.Point;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes alert transitions to InfluxDB as measurement {@code alert_event} (tags zone, site, rule,
 * device, severity; fields state, transition, value, alert, actor), so dashboards can chart them
 * beside the readings. Blocking: call from a worker thread.
 */
public final class AlertEventWriter {
  private static final Logger LOG = LoggerFactory.getLogger(AlertEventWriter.class);
  static final String MEASUREMENT = "alert_event";

  private final InfluxDB influx;

  public AlertEventWriter(InfluxDB influx) {
    this.influx = influx;
  }

  /** Writes one transition; a failure is logged, the relational store stays the record. */
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
    try {
      influx.write(point.build());
    } catch (RuntimeException e) {
      LOG.warn(
          "event=alert_event_write_failed alert={} transition={} error=\"{}\"",
          a.id(),
          event.kind(),
          e.getMessage());
    }
  }
}
