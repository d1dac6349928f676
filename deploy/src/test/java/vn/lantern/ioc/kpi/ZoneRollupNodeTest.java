package vn.lantern.ioc.kpi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import vn.lantern.deploy.testing.TestNode;
import vn.lantern.ingest.MqttTestClients;
import vn.lantern.ioc.push.IocSettings;
import vn.lantern.testing.InfluxDbExtension;
import vn.lantern.testing.TestInflux;

/**
 * KPIs roll up on a running node: a park's and wards' devices count in their ward and in the city
 * at the top (Đà Nẵng), in {@code /api/v1/kpis} and in the snapshot pushed to the IOC.
 */
@ExtendWith(InfluxDbExtension.class)
class ZoneRollupNodeTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path dataDir;

  @Test
  void wardAndParkKpisRollUpToTheCity(TestInflux influx) throws Exception {
    Vertx receiverVertx = Vertx.vertx();
    List<JsonObject> pushed = new CopyOnWriteArrayList<>();
    HttpServer receiver =
        TestNode.await(
            receiverVertx
                .createHttpServer()
                .requestHandler(
                    req ->
                        req.body()
                            .onSuccess(
                                body -> {
                                  pushed.add(body.toJsonObject());
                                  req.response().setStatusCode(204).end();
                                }))
                .listen(0, "127.0.0.1"));
    IocSettings ioc =
        IocSettings.builder()
            .webhookUrl("http://127.0.0.1:" + receiver.actualPort() + "/ioc/kpi")
            .webhookSecret("rollup-secret-for-tests")
            .build();
    try (TestNode node =
        TestNode.builder(dataDir, influx)
            .set("rules.seedRulePacks", false)
            .fastKpis(1000)
            .set("kpis.ioc", ioc)
            .start()) {
      node.device("ru-park-meter", "energy", "kcn-thuan-yen", "Nhà máy 1");
      node.device("ru-tamky-meter", "energy", "tam-ky", "Chợ Tam Kỳ");
      node.device("ru-tamky-silent", "energy", "tam-ky", "Chợ Tam Kỳ");
      node.device("ru-hoian-meter", "energy", "hoi-an", "Phố cổ");
      node.createRule(
          new JsonObject()
              .put("name", "Park meter draws too much")
              .put("scope", new JsonObject().put("zone", "kcn-thuan-yen").put("type", "energy"))
              .put("metric", "power")
              .put(
                  "condition",
                  new JsonObject()
                      .put("type", "threshold")
                      .put("op", ">")
                      .put("value", 500)
                      .put("for", "0s"))
              .put("severity", "critical")
              .put("channels", new JsonArray())
              .put("enabled", true));

      MqttClient park = node.mqtt("ru-park-meter");
      MqttClient tamKy = node.mqtt("ru-tamky-meter");
      MqttClient hoiAn = node.mqtt("ru-hoian-meter");
      long deadline = System.currentTimeMillis() + WAIT.toMillis();
      double parkKwh = 1000;
      while (System.currentTimeMillis() < deadline) {
        parkKwh += 1;
        TestNode.publish(park, System.currentTimeMillis(), power(800, parkKwh));
        TestNode.publish(tamKy, System.currentTimeMillis(), power(20, 50));
        TestNode.publish(hoiAn, System.currentTimeMillis(), power(30, 70));
        Optional<JsonObject> city = kpi(node, "da-nang", "devices_online_pct");
        Optional<JsonObject> alerts = kpi(node, "da-nang", "alerts_open_critical");
        if (city.isPresent()
            && city.get().getInteger("online") == 3
            && alerts.isPresent()
            && alerts.get().getDouble("value") == 1
            && pushedCity(pushed)) {
          break;
        }
        Thread.sleep(300);
      }
      MqttTestClients.closeAll(park, tamKy, hoiAn);

      JsonObject city = kpi(node, "da-nang", "devices_online_pct").orElseThrow();
      assertEquals(4, city.getInteger("devices"), city.encode());
      assertEquals(3, city.getInteger("online"), city.encode());
      assertEquals(75.0, city.getDouble("value"));
      JsonObject ward = kpi(node, "tam-ky", "devices_online_pct").orElseThrow();
      assertEquals(3, ward.getInteger("devices"), "the ward counts the park's meter");
      assertEquals(66.67, ward.getDouble("value"));
      JsonObject parkOwn = kpi(node, "kcn-thuan-yen", "devices_online_pct").orElseThrow();
      assertEquals(100.0, parkOwn.getDouble("value"));

      assertEquals(1, kpi(node, "tam-ky", "alerts_open_critical").orElseThrow().getDouble("value"));
      assertEquals(
          1, kpi(node, "da-nang", "alerts_open_critical").orElseThrow().getDouble("value"));
      JsonObject peak = kpi(node, "da-nang", "power_peak_kw").orElseThrow();
      assertEquals(800, peak.getDouble("value"));
      assertEquals("kcn-thuan-yen", peak.getString("worstZone"));

      assertTrue(pushedCity(pushed), "the IOC push carries the city's rolled-up KPIs");
    } finally {
      receiver.close();
      receiverVertx.close();
    }
  }

  private static JsonObject power(double kw, double kwh) {
    return new JsonObject().put("power", kw).put("energy", kwh);
  }

  private static boolean pushedCity(List<JsonObject> pushed) {
    return pushed.stream()
        .flatMap(p -> p.getJsonArray("items").stream())
        .map(JsonObject.class::cast)
        .anyMatch(
            i ->
                i.getString("zone").equals("da-nang")
                    && i.getString("kpi").equals("devices_online_pct")
                    && i.getInteger("devices", 0) == 4);
  }

  private static Optional<JsonObject> kpi(TestNode node, String zone, String kpi) {
    TestNode.Response r =
        node.http("GET", "/api/v1/kpis?zone=" + zone + "&kpi=" + kpi, null, node.admin());
    assertEquals(200, r.status(), r.body());
    return r.json().getJsonArray("items").stream()
        .map(JsonObject.class::cast)
        .filter(i -> i.getString("site") == null)
        .findFirst();
  }
}
