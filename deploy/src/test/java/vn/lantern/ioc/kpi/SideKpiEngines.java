package vn.lantern.ioc.kpi;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.WorkerExecutor;
import java.util.List;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBFactory;
import vn.lantern.common.influx.InfluxSettings;
import vn.lantern.common.influx.PointBatcher;
import vn.lantern.deploy.RegistryDirectory;
import vn.lantern.deploy.testing.TestNode;
import vn.lantern.testing.TestInflux;

/**
 * KPI engines beside a test node's own, as another rules node would run them: on the node's Vert.x,
 * with its registry and KPI settings, writing to the same InfluxDB. Closing releases the worker,
 * the writer and the client they share; stop each engine first.
 */
final class SideKpiEngines implements AutoCloseable {
  private final TestNode node;
  private final TestInflux influx;
  private final WorkerExecutor worker;
  private final InfluxDB client;
  private final PointBatcher writes;

  SideKpiEngines(TestNode node, TestInflux influx, String workerName) {
    this.node = node;
    this.influx = influx;
    this.worker = node.vertx().createSharedWorkerExecutor(workerName, 1);
    this.client = InfluxDBFactory.connect(influx.url());
    this.writes =
        new PointBatcher(
            client,
            InfluxSettings.defaults().withServer(influx.url(), influx.database()),
            "kpi",
            1000,
            new SimpleMeterRegistry());
  }

  /** A new engine, not started. */
  KpiEngine create() {
    return new KpiEngine(
        node.vertx(),
        node.config().kpis(),
        new RegistryDirectory(node.node().ingest().registry()),
        List::of,
        new KpiStore(client, influx.database(), writes),
        new AirQualityKpis(client, influx.database()),
        null,
        worker,
        new SimpleMeterRegistry());
  }

  @Override
  public void close() {
    worker.close();
    writes.close();
    client.close();
  }
}
