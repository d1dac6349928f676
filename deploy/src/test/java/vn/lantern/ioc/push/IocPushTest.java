package vn.lantern.ioc.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mqtt.MqttServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import vn.lantern.deploy.testing.TestNode;
import vn.lantern.ioc.kpi.KpiSnapshot;
import vn.lantern.ioc.kpi.KpiValue;
import vn.lantern.rules.notify.Signature;
import vn.lantern.testing.InfluxDbExtension;
import vn.lantern.testing.TestInflux;

/**
 * The push of KPI snapshots to the provincial IOC against a real local HTTP receiver: each window
 * arrives signed, a failing receiver is retried with the same delivery id until it accepts, and an
 * endpoint that never accepts ends in the dead letters.
 */
@ExtendWith(InfluxDbExtension.class)
class IocPushTest {
  private static final String SECRET = "ioc-shared-secret";
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path dataDir;

  /** A received request. */
  record Received(String delivery, String timestamp, String signature, String body) {}

  @Test
  void eachWindowIsPushedSignedAndRetriedUntilAccepted(TestInflux influx) throws Exception {
    Vertx receiverVertx = Vertx.vertx();
    List<Received> received = new CopyOnWriteArrayList<>();
    Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    // The receiver turns each delivery away twice before accepting it.
    HttpServer receiver =
        TestNode.await(
            receiverVertx
                .createHttpServer()
                .requestHandler(
                    req ->
                        req.body()
                            .onSuccess(
                                body -> {
                                  String delivery = req.getHeader("X-Lantern-Delivery");
                                  received.add(
                                      new Received(
                                          delivery,
                                          req.getHeader(Signature.TIMESTAMP_HEADER),
                                          req.getHeader(Signature.SIGNATURE_HEADER),
                                          body.toString()));
                                  int n =
                                      attempts
                                          .computeIfAbsent(delivery, d -> new AtomicInteger())
                                          .incrementAndGet();
                                  req.response().setStatusCode(n < 3 ? 503 : 204).end();
                                }))
                .listen(0, "127.0.0.1"));
    IocSettings settings =
        new IocSettings(
            "http://127.0.0.1:" + receiver.actualPort() + "/ioc/kpi",
            SECRET,
            "",
            1883,
            "lantern/kpi",
            "",
            "",
            4,
            100,
            400,
            2000,
            10);
    try (TestNode node =
        TestNode.builder(dataDir, influx)
            .set("rules.seedRulePacks", false)
            .fastKpis(1000)
            .set("kpis.ioc", settings)
            .start()) {
      node.device("ioc-wl", "water_level", "hoi-an", "Trạm Hội An");
      var client = node.mqtt("ioc-wl");
      TestNode.publish(client, "level", 1.1);
      client.disconnect();
      client.close();

      TestNode.awaitTrue(
          "a snapshot with the river level accepted on the third attempt",
          WAIT,
          () ->
              accepted(received, attempts).stream()
                  .anyMatch(r -> r.body().contains("river_level_max")));
      Received ok =
          accepted(received, attempts).stream()
              .filter(r -> r.body().contains("river_level_max"))
              .findFirst()
              .orElseThrow();
      List<Received> tries =
          received.stream().filter(r -> r.delivery().equals(ok.delivery())).toList();
      assertEquals(3, tries.size(), "two refusals, then accepted");
      for (Received r : tries) {
        assertEquals(
            r.signature(), Signature.sign(SECRET, Long.parseLong(r.timestamp()), r.body()));
        assertEquals(ok.body(), r.body(), "the same snapshot each time");
      }
      JsonObject snapshot = new JsonObject(ok.body());
      assertEquals(1000, snapshot.getLong("windowEnd") - snapshot.getLong("windowStart"));
      JsonArray items = snapshot.getJsonArray("items");
      assertTrue(
          items.stream()
              .map(JsonObject.class::cast)
              .anyMatch(
                  i ->
                      i.getString("kpi").equals("river_level_max")
                          && i.getDouble("value") == 1.1
                          && i.getString("zone").equals("hoi-an")),
          items.encodePrettily());
      assertEquals(200, node.http("GET", "/api/v1/ioc/dead-letters", null, node.admin()).status());
    } finally {
      receiver.close();
      receiverVertx.close();
    }
  }

  private static List<Received> accepted(
      List<Received> received, Map<String, AtomicInteger> attempts) {
    return received.stream()
        .filter(r -> attempts.get(r.delivery()) != null && attempts.get(r.delivery()).get() >= 3)
        .toList();
  }

  @Test
  void snapshotsArePublishedOnTheMqttTopic() throws Exception {
    Vertx vertx = Vertx.vertx();
    List<String[]> received = new CopyOnWriteArrayList<>();
    MqttServer broker =
        TestNode.await(
            MqttServer.create(vertx)
                .endpointHandler(
                    endpoint -> {
                      endpoint.publishHandler(
                          message -> {
                            received.add(
                                new String[] {
                                  message.topicName(),
                                  message.qosLevel().name(),
                                  message.payload().toString()
                                });
                            if (message.qosLevel() == MqttQoS.AT_LEAST_ONCE) {
                              endpoint.publishAcknowledge(message.messageId());
                            }
                          });
                      endpoint.accept(false);
                    })
                .listen(0, "127.0.0.1"));
    IocPusher pusher =
        new IocPusher(
            vertx,
            new IocSettings(
                "",
                "",
                "127.0.0.1",
                broker.actualPort(),
                "ioc/qnam/kpi",
                "",
                "",
                3,
                50,
                100,
                2000,
                10),
            new SimpleMeterRegistry());
    try {
      pusher.push(
          report(
              new KpiSnapshot(
                  0,
                  60_000,
                  List.of(KpiValue.of("tam-ky", null, "devices_online_pct", 87.5, 60_000)))));
      TestNode.awaitTrue("a publication", WAIT, () -> !received.isEmpty());
      assertEquals("ioc/qnam/kpi", received.get(0)[0]);
      assertEquals("AT_LEAST_ONCE", received.get(0)[1]);
      JsonObject item = new JsonObject(received.get(0)[2]).getJsonArray("items").getJsonObject(0);
      assertEquals(87.5, item.getDouble("value"));
      assertTrue(pusher.deadLetters().isEmpty());
    } finally {
      pusher.close();
      broker.close();
      vertx.close();
    }
  }

  @Test
  void anEndpointThatNeverAcceptsEndsInTheDeadLetters() throws Exception {
    Vertx vertx = Vertx.vertx();
    AtomicInteger calls = new AtomicInteger();
    HttpServer receiver =
        TestNode.await(
            vertx
                .createHttpServer()
                .requestHandler(
                    req -> {
                      calls.incrementAndGet();
                      req.response().setStatusCode(500).end();
                    })
                .listen(0, "127.0.0.1"));
    IocPusher pusher =
        new IocPusher(
            vertx,
            new IocSettings(
                "http://127.0.0.1:" + receiver.actualPort() + "/",
                SECRET,
                "",
                1883,
                "t",
                "",
                "",
                3,
                50,
                100,
                2000,
                10),
            new SimpleMeterRegistry());
    try {
      pusher.push(
          report(
              new KpiSnapshot(
                  0, 60_000, List.of(KpiValue.of("hoi-an", null, "rain_1h", 1, 60_000)))));
      TestNode.awaitTrue("a dead letter", WAIT, () -> !pusher.deadLetters().isEmpty());
      IocDeadLetter letter = pusher.deadLetters().get(0);
      assertEquals("webhook", letter.endpoint());
      assertEquals(3, letter.attempts());
      assertEquals(3, calls.get());
      assertEquals("HTTP 500", letter.error());
    } finally {
      pusher.close();
      receiver.close();
      vertx.close();
    }
  }

  private static IocReport report(KpiSnapshot window) {
    return new IocReport(window.windowEnd(), window.toJson());
  }
}
