package vn.lantern.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBFactory;
import org.influxdb.dto.Point;
import org.influxdb.dto.Query;
import org.influxdb.dto.QueryResult;
import org.junit.jupiter.api.Test;

class InfluxdProcessTest {

  @Test
  void stopCutsTheServerOffAndRestartBringsBackTheData() {
    try (InfluxdProcess influxd = InfluxdProcess.start();
        InfluxDB client = InfluxDBFactory.connect(influxd.url())) {
      int port = influxd.port();
      assertEquals("http://127.0.0.1:" + port, influxd.url());
      client.query(new Query("CREATE DATABASE outage", null, true));
      client.write(
          "outage",
          "autogen",
          Point.measurement("m").time(42, TimeUnit.MILLISECONDS).addField("v", 7.0).build());

      influxd.stop();
      assertFalse(InfluxdProcess.ping(influxd.url()), "/ping must be refused while stopped");
      assertThrows(RuntimeException.class, client::ping);

      influxd.restart();
      assertEquals(port, influxd.port());
      assertTrue(InfluxdProcess.ping(influxd.url()));
      QueryResult result =
          client.query(new Query("SELECT v FROM m", "outage"), TimeUnit.MILLISECONDS);
      List<List<Object>> values = result.getResults().get(0).getSeries().get(0).getValues();
      assertEquals(List.of(List.of(42.0, 7.0)), values);
    }
  }

  @Test
  void closeStopsTheServer() {
    InfluxdProcess influxd = InfluxdProcess.start();
    String url = influxd.url();
    assertTrue(InfluxdProcess.ping(url));

    influxd.close();
    influxd.close(); // idempotent

    assertFalse(InfluxdProcess.ping(url));
    assertThrows(IllegalStateException.class, influxd::restart);
  }

  @Test
  void twoServersRunSideBySide() {
    try (InfluxdProcess a = InfluxdProcess.start();
        InfluxdProcess b = InfluxdProcess.start()) {
      assertTrue(a.port() != b.port());
      assertTrue(InfluxdProcess.ping(a.url()));
      assertTrue(InfluxdProcess.ping(b.url()));
    }
  }
}
