package vn.lantern.ioc.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import vn.lantern.deploy.testing.TestNode;
import vn.lantern.testing.InfluxDbExtension;
import vn.lantern.testing.TestInflux;

/**
 * The live stream over real HTTP: KPI updates from readings published over MQTT, resumption with
 * {@code Last-Event-ID} without losing or repeating an event, a reset when the gap is no longer
 * buffered, the token from the cookie set at login (never from the URL), and zone isolation.
 */
@ExtendWith(InfluxDbExtension.class)
class StreamResumeTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  @TempDir static Path dataDir;
  static TestNode node;

  @BeforeAll
  static void start(TestInflux influx) throws Exception {
    node =
        TestNode.builder(dataDir, influx)
            .set("rules.seedRulePacks", false)
            .fastKpis(60_000)
            .start();
  }

  @AfterAll
  static void stop() throws Exception {
    node.close();
  }

  private static SseClient open(String query, Map<String, String> headers) throws Exception {
    return SseClient.open(node.vertx(), node.httpPort(), "/api/v1/stream" + query, headers);
  }

  private static Map<String, String> bearer() throws Exception {
    return Map.of("Authorization", "Bearer " + node.admin());
  }

  private static Map<String, String> cookie(String token) {
    return Map.of("Cookie", StreamApi.TOKEN_COOKIE + "=" + token);
  }

  @Test
  void theLoginSetsAStrictHttpOnlyCookieThatOpensTheStream() throws Exception {
    HttpResponse<String> login =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + node.httpPort() + "/api/v1/login"))
                    .header("Content-Type", "application/json")
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            new JsonObject()
                                .put("username", "admin")
                                .put("password", TestNode.ADMIN_PASSWORD)
                                .encode()))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(200, login.statusCode(), login.body());
    String setCookie = login.headers().firstValue("Set-Cookie").orElseThrow();
    List<String> attributes = List.of(setCookie.split(";\\s*"));
    String token = new JsonObject(login.body()).getString("token");
    assertEquals(StreamApi.TOKEN_COOKIE + "=" + token, attributes.get(0));
    // Attribute names are case-insensitive (RFC 6265 §5.2).
    List<String> named = attributes.stream().map(a -> a.toLowerCase(Locale.ROOT)).toList();
    assertTrue(named.contains("path=/api/v1"), setCookie);
    assertTrue(named.contains("httponly"), setCookie);
    assertTrue(named.contains("samesite=strict"), setCookie);
    assertFalse(named.contains("secure"), "plain HTTP cannot keep a Secure cookie");
    try (SseClient sse = open("", cookie(token))) {
      assertEquals(200, sse.status);
    }
  }

  @Test
  void aTokenInTheUrlIsNotAccepted() throws Exception {
    String admin = node.admin();
    try (SseClient sse = open("?access_token=" + admin, Map.of())) {
      assertEquals(401, sse.status);
    }
    assertEquals(401, node.http("GET", "/api/v1/zones?access_token=" + admin, null, null).status());
  }

  @Test
  void aReadingOverMqttReachesTheStreamAsAKpiUpdate() throws Exception {
    node.device("stream-wl", "water_level", "tam-ky", "Trạm Tam Kỳ");
    try (SseClient sse = open("", cookie(node.admin()))) {
      assertEquals(200, sse.status);
      MqttClient device = node.mqtt("stream-wl");
      try {
        TestNode.publish(device, "level", 2.3);
      } finally {
        device.disconnect();
        device.close();
      }
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (true) {
        SseClient.Event e = sse.next(WAIT);
        JsonObject data = new JsonObject(e.data());
        if (e.type().equals("kpi")
            && data.getString("kpi").equals("river_level_max")
            && !data.containsKey("site")
            // the parent zones' rolled-up values arrive on the stream too
            && data.getString("zone").equals("tam-ky")) {
          assertEquals(2.3, data.getDouble("value"));
          assertEquals(2, data.getInteger("alarmLevel"), "Tam Ky: 1.7 / 2.2 / 2.7");
          break;
        }
        if (System.nanoTime() > deadline) {
          throw new AssertionError("no river_level_max update");
        }
      }
    }
  }

  @Test
  void resumingWithLastEventIdLosesNoEvent() throws Exception {
    EventHub hub = node.node().kpis().hub();
    String lastSeen;
    try (SseClient sse = open("", bearer())) {
      assertEquals(200, sse.status);
      for (int i = 0; i < 5; i++) {
        hub.publish("kpi", "hoi-an", new JsonObject().put("n", i).encode());
      }
      SseClient.Event e = null;
      for (int i = 0; i < 3; i++) {
        e = nextNumbered(sse);
        assertEquals(i, new JsonObject(e.data()).getInteger("n"));
      }
      lastSeen = e.id();
    }
    // Published while the client is away.
    for (int i = 5; i < 10; i++) {
      hub.publish("kpi", "hoi-an", new JsonObject().put("n", i).encode());
    }
    try (SseClient sse =
        open(
            "",
            Map.of("Last-Event-ID", lastSeen, "Authorization", bearer().get("Authorization")))) {
      hub.publish("kpi", "hoi-an", new JsonObject().put("n", 10).encode());
      for (int i = 3; i <= 10; i++) {
        SseClient.Event e = nextNumbered(sse);
        assertEquals(i, new JsonObject(e.data()).getInteger("n"), "event " + i + " in order");
      }
      assertNull(pollNumbered(sse, Duration.ofMillis(300)), "no duplicates");
    }
  }

  @Test
  void aGapBeyondTheBufferAsksTheClientToReload() throws Exception {
    EventHub hub = node.node().kpis().hub();
    long old = hub.publish("kpi", "hoi-an", "{\"n\": -1}").id();
    for (int i = 0; i < node.config().kpis().streamBufferSize() + 5; i++) {
      hub.publish("kpi", "hoi-an", "{\"n\": 0}");
    }
    try (SseClient sse = open("?lastEventId=" + old, cookie(node.admin()))) {
      assertEquals(200, sse.status);
      assertEquals("reset", sse.next(WAIT).type());
    }
  }

  @Test
  void theStreamNeedsATokenAndShowsOnlyVisibleZones() throws Exception {
    try (SseClient sse = open("", Map.of())) {
      assertEquals(401, sse.status);
    }
    assertEquals(
        201,
        node.http(
                "POST",
                "/api/v1/users",
                new JsonObject()
                    .put("username", "tamky-manager")
                    .put("password", "a-long-password-1")
                    .put("role", "zone-manager")
                    .put("zones", new JsonArray().add("tam-ky")),
                node.admin())
            .status());
    String manager = node.login("tamky-manager", "a-long-password-1");
    try (SseClient sse = open("", cookie(manager))) {
      node.node().kpis().hub().publish("kpi", "hoi-an", "{\"n\": 1000}");
      node.node().kpis().hub().publish("kpi", "tam-ky", "{\"n\": 1001}");
      SseClient.Event e = nextNumbered(sse);
      assertEquals(1001, new JsonObject(e.data()).getInteger("n"));
    }
    assertEquals(403, node.http("GET", "/api/v1/kpis?zone=hoi-an", null, manager).status());
  }

  /** The next test event (those with an {@code n}), skipping live KPI updates. */
  private static SseClient.Event nextNumbered(SseClient sse) throws InterruptedException {
    SseClient.Event e = pollNumbered(sse, WAIT);
    if (e == null) {
      throw new AssertionError("no event within " + WAIT);
    }
    return e;
  }

  private static SseClient.Event pollNumbered(SseClient sse, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      SseClient.Event e = sse.poll(Duration.ofMillis(50));
      if (e != null && e.data().contains("\"n\"")) {
        return e;
      }
    }
    return null;
  }
}
