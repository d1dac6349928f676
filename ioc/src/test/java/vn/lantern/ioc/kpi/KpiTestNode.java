package vn.lantern.ioc.kpi;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.Map;
import org.eclipse.paho.client.mqttv3.MqttClient;
import vn.lantern.common.influx.InfluxSettings;
import vn.lantern.common.telemetry.DeviceRef;
import vn.lantern.ingest.registry.Device;
import vn.lantern.ioc.push.IocSettings;
import vn.lantern.rules.Directory;
import vn.lantern.rules.RulesConfig;
import vn.lantern.rules.TestNode;
import vn.lantern.testing.TestInflux;

/** A {@link TestNode} with the KPI engine, stream, IOC push and console mounted on its router. */
public final class KpiTestNode implements AutoCloseable {
  public final TestNode node;
  public final KpiNode kpis;
  public final KpiConfig config;
  public final Directory directory;

  private KpiTestNode(TestNode node, KpiNode kpis, KpiConfig config, Directory directory) {
    this.node = node;
    this.kpis = kpis;
    this.config = config;
    this.directory = directory;
  }

  /** Short windows, every device type expected each second, the given IOC push. */
  public static KpiConfig fastConfig(long windowMs, IocSettings ioc) {
    KpiConfig d = KpiConfig.defaults();
    return new KpiConfig(
        windowMs,
        1000,
        200,
        1000,
        noonZone(),
        windowMs,
        3,
        1000,
        Map.of(),
        d.floodLevels(),
        "B",
        Map.of(),
        Map.of(),
        1000,
        ioc,
        d.streamMaxSubscribers(),
        d.streamMaxSubscribersPerUser());
  }

  /**
   * A fixed-offset time zone in which it is now about noon, so readings of the last hours are
   * "today" whenever the test runs.
   */
  static String noonZone() {
    int utcHour = Instant.now().atZone(ZoneOffset.UTC).getHour();
    int offset = 12 - utcHour;
    if (offset < -12) {
      offset += 24;
    }
    return ZoneOffset.ofHours(offset).getId();
  }

  public static KpiTestNode start(Path dataDir, TestInflux influx, KpiConfig config)
      throws Exception {
    TestNode node = TestNode.start(dataDir, influx, 200, 3);
    Directory directory =
        new Directory() {
          @Override
          public Collection<DeviceRef> devices() {
            return node.ingest.registry().devices().stream()
                .filter(d -> !d.isGateway())
                .map(Device::ref)
                .toList();
          }

          @Override
          public boolean zoneExists(String zone) {
            return node.ingest.registry().zone(zone).isPresent();
          }
        };
    RulesConfig rulesConfig =
        RulesConfig.defaults(
            dataDir.toString(),
            InfluxSettings.defaults().withServer(influx.url(), influx.database()));
    KpiNode kpis =
        TestNode.await(
            KpiNode.start(
                node.vertx,
                rulesConfig.dataDir(),
                rulesConfig.db(),
                rulesConfig.influx(),
                config,
                node.rules.regulations().floodStations(),
                node.ingest.bus(),
                directory,
                node.rules,
                node.router,
                new SimpleMeterRegistry()));
    return new KpiTestNode(node, kpis, config, directory);
  }

  /** Publishes several metrics at one instant with QoS 1 (returns once stored). */
  public static void publish(MqttClient client, long ts, JsonObject metrics) throws Exception {
    client.publish(
        "telemetry",
        new JsonObject().put("ts", ts).put("m", metrics).encode().getBytes(),
        1,
        false);
  }

  @Override
  public void close() throws Exception {
    try {
      TestNode.await(kpis.stop(node.vertx));
    } finally {
      node.close();
    }
  }
}
