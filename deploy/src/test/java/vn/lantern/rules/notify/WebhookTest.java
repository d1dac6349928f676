package vn.lantern.rules.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static vn.lantern.deploy.testing.TestNode.awaitTrue;
import static vn.lantern.deploy.testing.TestNode.publish;

import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import vn.lantern.deploy.testing.TestNode;
import vn.lantern.testing.InfluxDbExtension;
import vn.lantern.testing.TestInflux;

/** Webhook notifications to real local HTTP receivers: signatures, retries, dead letters. */
@ExtendWith(InfluxDbExtension.class)
class WebhookTest {
  private static final String SECRET = "shared-webhook-secret";

  private record Delivery(String signature, String timestamp, String body, long receivedAt) {}

  private static JsonObject rule(String device, String url, boolean signed) {
    JsonObject channel = new JsonObject().put("type", "webhook").put("url", url);
    if (signed) {
      channel.put("secret", SECRET);
    }
    return new JsonObject(
            "{\"name\": \"pm high "
                + device
                + "\", \"scope\": {\"zone\": \"hoi-an\", \"devices\": [\""
                + device
                + "\"]}, \"metric\": \"pm25\", \"condition\": {\"type\": \"threshold\", \"op\":"
                + " \">\", \"value\": 100}, \"severity\": \"warning\"}")
        .put("channels", new JsonArray().add(channel));
  }

  private static String hmac(String timestamp, String body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return "sha256="
        + HexFormat.of()
            .formatHex(mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void signedDeliveryIsNotHeldUpByAFailingWebhook(@TempDir Path dataDir, TestInflux influx)
      throws Exception {
    try (TestNode node =
        TestNode.builder(dataDir, influx)
            .set("rules.notifications.maxAttempts", 3)
            .set("rules.seedRulePacks", false)
            .start()) {
      List<Delivery> good = new CopyOnWriteArrayList<>();
      AtomicInteger badAttempts = new AtomicInteger();
      HttpServer receiver =
          TestNode.await(
              node.vertx()
                  .createHttpServer()
                  .requestHandler(
                      req ->
                          req.body()
                              .onSuccess(
                                  body -> {
                                    if (req.path().equals("/good")) {
                                      good.add(
                                          new Delivery(
                                              req.getHeader("X-Lantern-Signature"),
                                              req.getHeader("X-Lantern-Timestamp"),
                                              body.toString(),
                                              System.currentTimeMillis()));
                                      req.response().setStatusCode(204).end();
                                    } else {
                                      badAttempts.incrementAndGet();
                                      // Slow and failing: answers 503 after a second.
                                      node.vertx()
                                          .setTimer(
                                              1000, id -> req.response().setStatusCode(503).end());
                                    }
                                  }))
                  .listen(0, "127.0.0.1"));
      String base = "http://127.0.0.1:" + receiver.actualPort();
      node.device("aq-bad", "air_quality", "hoi-an", "Old town");
      node.device("aq-good", "air_quality", "hoi-an", "Old town");
      node.createRule(rule("aq-bad", base + "/bad", false));
      node.createRule(rule("aq-good", base + "/good", true));

      MqttClient bad = node.mqtt("aq-bad");
      MqttClient ok = node.mqtt("aq-good");
      publish(bad, "pm25", 150);
      awaitTrue(
          "the failing webhook was called", Duration.ofSeconds(10), () -> badAttempts.get() >= 1);
      long sent = System.currentTimeMillis();
      publish(ok, "pm25", 160);
      awaitTrue("the good webhook was called", Duration.ofSeconds(10), () -> !good.isEmpty());
      assertTrue(
          badAttempts.get() < 3, "delivered while the failing webhook was still being retried");
      assertTrue(good.get(0).receivedAt() - sent < 5000);

      Delivery delivery = good.get(0);
      assertEquals(hmac(delivery.timestamp(), delivery.body()), delivery.signature());
      JsonObject payload = new JsonObject(delivery.body());
      assertEquals("fired", payload.getString("event"));
      assertEquals("aq-good", payload.getJsonObject("alert").getString("device"));
      assertEquals(160.0, payload.getJsonObject("alert").getDouble("value"));

      awaitTrue(
          "a dead letter after 3 attempts",
          Duration.ofSeconds(20),
          () -> {
            try {
              JsonArray items =
                  node.http("GET", "/api/v1/notifications/dead-letters", null, node.admin())
                      .json()
                      .getJsonArray("items");
              return items.size() == 1;
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          });
      JsonObject letter =
          node.http("GET", "/api/v1/notifications/dead-letters", null, node.admin())
              .json()
              .getJsonArray("items")
              .getJsonObject(0);
      assertEquals(3, letter.getInteger("attempts"));
      assertEquals(base + "/bad", letter.getString("target"));
      assertEquals(3, badAttempts.get());
      bad.disconnect();
      ok.disconnect();
      TestNode.await(receiver.close());
    }
  }

  @Test
  void aRedirectIsNotFollowedAndCountsAsAFailedDelivery(@TempDir Path dataDir, TestInflux influx)
      throws Exception {
    try (TestNode node =
        TestNode.builder(dataDir, influx)
            .set("rules.notifications.maxAttempts", 2)
            .set("rules.seedRulePacks", false)
            .start()) {
      AtomicInteger internalRequests = new AtomicInteger();
      HttpServer internal =
          TestNode.await(
              node.vertx()
                  .createHttpServer()
                  .requestHandler(
                      req -> {
                        internalRequests.incrementAndGet();
                        req.response().setStatusCode(204).end();
                      })
                  .listen(0, "127.0.0.2"));
      // The allowed receiver sends every delivery on to an internal address.
      HttpServer redirecting =
          TestNode.await(
              node.vertx()
                  .createHttpServer()
                  .requestHandler(
                      req ->
                          req.response()
                              .setStatusCode(303)
                              .putHeader(
                                  "Location",
                                  "http://127.0.0.2:" + internal.actualPort() + "/latest/meta")
                              .end())
                  .listen(0, "127.0.0.1"));
      node.device("aq-redirect", "air_quality", "hoi-an", "Old town");
      node.createRule(
          rule("aq-redirect", "http://127.0.0.1:" + redirecting.actualPort() + "/hook", false));
      MqttClient device = node.mqtt("aq-redirect");
      publish(device, "pm25", 150);

      awaitTrue(
          "a dead letter after 2 attempts",
          Duration.ofSeconds(10),
          () -> {
            try {
              return node.http("GET", "/api/v1/notifications/dead-letters", null, node.admin())
                      .json()
                      .getJsonArray("items")
                      .size()
                  == 1;
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          });
      JsonObject letter =
          node.http("GET", "/api/v1/notifications/dead-letters", null, node.admin())
              .json()
              .getJsonArray("items")
              .getJsonObject(0);
      assertEquals(2, letter.getInteger("attempts"));
      assertTrue(letter.getString("lastError").contains("303"), letter.encode());
      assertEquals(0, internalRequests.get());
      device.disconnect();
      TestNode.await(redirecting.close());
      TestNode.await(internal.close());
    }
  }

  @Test
  void aWebhookToAnInternalAddressIsRefusedWithoutARequest(@TempDir Path dataDir, TestInflux influx)
      throws Exception {
    try (TestNode node =
        TestNode.builder(dataDir, influx)
            .set("rules.notifications.maxAttempts", 3)
            .set("rules.seedRulePacks", false)
            .start()) {
      AtomicInteger requests = new AtomicInteger();
      // 127.0.0.2 is loopback but not among the test node's allowed hosts (127.0.0.1, localhost).
      HttpServer internal =
          TestNode.await(
              node.vertx()
                  .createHttpServer()
                  .requestHandler(
                      req -> {
                        requests.incrementAndGet();
                        req.response().setStatusCode(204).end();
                      })
                  .listen(0, "127.0.0.2"));
      String target = "http://127.0.0.2:" + internal.actualPort() + "/hook";
      node.device("aq-ssrf", "air_quality", "hoi-an", "Old town");
      node.createRule(rule("aq-ssrf", target, true));
      MqttClient device = node.mqtt("aq-ssrf");
      publish(device, "pm25", 150);

      awaitTrue(
          "a dead letter at the first attempt",
          Duration.ofSeconds(10),
          () -> {
            try {
              return node.http("GET", "/api/v1/notifications/dead-letters", null, node.admin())
                      .json()
                      .getJsonArray("items")
                      .size()
                  == 1;
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          });
      JsonObject letter =
          node.http("GET", "/api/v1/notifications/dead-letters", null, node.admin())
              .json()
              .getJsonArray("items")
              .getJsonObject(0);
      assertEquals(1, letter.getInteger("attempts"));
      assertTrue(letter.getString("lastError").contains("internal address"), letter.encode());
      assertEquals(0, requests.get());
      device.disconnect();
      TestNode.await(internal.close());
    }
  }
}
