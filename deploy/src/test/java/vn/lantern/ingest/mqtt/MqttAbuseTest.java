package vn.lantern.ingest.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import vn.lantern.deploy.testing.TestNode;
import vn.lantern.ingest.MqttTestClients;
import vn.lantern.testing.InfluxDbExtension;
import vn.lantern.testing.TestInflux;

/**
 * A stranger misbehaving over MQTT (Paho clients on real sockets) costs the node bounded log,
 * memory, hashing and sockets, and the devices that behave keep connecting.
 */
@ExtendWith(InfluxDbExtension.class)
class MqttAbuseTest {
  private static final String SECRET = "s3cret-for-tests-only";
  private static final int BAD_USERNAME_OR_PASSWORD = 0x86;
  private static final int QUOTA_EXCEEDED = 0x97;
  private static final int SERVER_BUSY = 0x89;
  private static final int V3_ACCEPTED = 0;
  private static final int V3_SERVER_UNAVAILABLE = 3;
  private static final int V3_BAD_USERNAME_OR_PASSWORD = 4;
  private static final int MAX_FAILURES_PER_ID = 3;
  private static final int MAX_FAILURES_PER_ADDRESS = 1_000;
  private static final int MAX_PER_ADDRESS = 6;

  @TempDir static Path dataDir;
  @TempDir static Path otherDataDir;
  @TempDir static Path burstDataDir;
  @TempDir static Path busyDataDir;
  @TempDir static Path limitedDataDir;
  private static TestNode node;
  private static TestInflux influx;

  @BeforeAll
  static void startNode(TestInflux testInflux) throws Exception {
    influx = testInflux;
    node =
        TestNode.builder(dataDir, influx.url(), influx.database())
            .set("rules.seedRulePacks", false)
            .set("deviceAuth.maxFailuresPerId", String.valueOf(MAX_FAILURES_PER_ID))
            .set("deviceAuth.maxFailuresPerAddress", String.valueOf(MAX_FAILURES_PER_ADDRESS))
            .set("connections.maxMqttPerAddress", String.valueOf(MAX_PER_ADDRESS))
            .set("connections.maxMqttPerDevice", "1")
            .start();
    for (String id : new String[] {"victim", "single", "timing-known", "addr-a", "limit-1"}) {
      node.register(id, "noise", "hoi-an", "Phố cổ", SECRET);
    }
  }

  @AfterAll
  static void stopNode() throws Exception {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void twoThousandHugeUsernamesDoNotFloodTheLog() throws Exception {
    double failures = authFailures();
    CountingStream counted = new CountingStream();
    withStandardErrorTo(
        counted,
        () -> {
          String padding = "x".repeat(32 * 1024);
          for (int i = 0; i < 2_000; i++) {
            // what a flooding script sends: raw CONNECTs, as fast as the node answers
            assertEquals(V3_BAD_USERNAME_OR_PASSWORD, rawConnect("u" + i + padding, "whatever"));
          }
        });
    // 2,000 × 32 KiB would be 64 MiB; the budget allows a few short lines.
    assertTrue(counted.bytes.get() > 0, "the refusals are logged, within the budget");
    assertTrue(counted.bytes.get() < 16 * 1024, "log grew by " + counted.bytes.get() + " bytes");
    assertEquals(failures + 2_000, authFailures());
    assertDeviceConnects("victim");
  }

  @Test
  void wrongSecretsAreThrottledPerIdButAVerifiedDeviceStillConnects() throws Exception {
    MqttTestClients.closeAll(MqttTestClients.v5(node.mqttUri(), "victim", SECRET));
    double throttled = throttled();
    double hashes = hashes();
    for (int i = 0; i < MAX_FAILURES_PER_ID + 5; i++) {
      assertEquals(BAD_USERNAME_OR_PASSWORD, refusedV5("victim", "wrong-guess-number-" + i));
    }
    assertEquals(hashes + MAX_FAILURES_PER_ID, hashes(), "hashing stops at the per-id limit");
    assertEquals(throttled + 5, throttled());
    assertDeviceConnects("victim");
  }

  @Test
  void wrongSecretsAreThrottledPerAddress() throws Exception {
    // every test client comes from 127.0.0.1: a node of its own, so the other tests keep theirs
    try (TestNode strict =
        TestNode.builder(otherDataDir, influx.url(), influx.database())
            .set("rules.seedRulePacks", false)
            .set("deviceAuth.maxFailuresPerAddress", "5")
            .start()) {
      ByteArrayOutputStream captured = new ByteArrayOutputStream();
      withStandardErrorTo(
          captured,
          () -> {
            for (int i = 0; i < 10; i++) {
              String id = "nobody-" + i;
              org.eclipse.paho.mqttv5.common.MqttException e =
                  assertThrows(
                      org.eclipse.paho.mqttv5.common.MqttException.class,
                      () -> MqttTestClients.v5(strict.mqttUri(), id, "wrong-guess"));
              assertEquals(BAD_USERNAME_OR_PASSWORD, e.getReasonCode());
            }
          });
      assertEquals(5, strict.metrics().value("lantern_ingest_auth_hashes_total"));
      assertEquals(
          5, strict.metrics().value("lantern_ingest_auth_throttled_total", "reason", "throttled"));
      List<String> lines = linesContaining(captured, "limit=auth_throttled");
      assertEquals(1, lines.size(), "one line a minute for this limit and address: " + lines);
      assertTrue(
          lines.get(0).contains("setting=deviceAuth.maxFailuresPerAddress "),
          "the line names the limit that refused, and only it: " + lines.get(0));
    }
  }

  @Test
  void manyDevicesReconnectingAtOnceFromOneAddressAreNotLockedOut() throws Exception {
    // a site behind one NAT address after an outage: more devices than the per-address limit
    // reconnect at once with their right secrets; the ones refused in the burst retry and get in
    int devices = 20;
    Map<String, String> settings = Map.of("deviceAuth.maxFailuresPerAddress", "3");
    try (TestNode registering =
        TestNode.builder(burstDataDir, influx.url(), influx.database())
            .set("rules.seedRulePacks", false)
            .setAll(settings)
            .start()) {
      for (int i = 0; i < devices; i++) {
        registering.register("site-meter-" + i, "noise", "hoi-an", "Phố cổ", SECRET);
      }
    }
    // restarted: no secret is known to be verified yet, every CONNECT is hashed
    try (TestNode strict =
        TestNode.builder(burstDataDir, influx.url(), influx.database())
            .set("rules.seedRulePacks", false)
            .setAll(settings)
            .start()) {
      ExecutorService burst = Executors.newFixedThreadPool(devices);
      try {
        List<Future<?>> connects = new ArrayList<>();
        for (int i = 0; i < devices; i++) {
          String id = "site-meter-" + i;
          connects.add(
              burst.submit(
                  () -> {
                    try {
                      MqttTestClients.closeAll(MqttTestClients.v5(strict.mqttUri(), id, SECRET));
                    } catch (org.eclipse.paho.mqttv5.common.MqttException refusedInTheBurst) {
                      // expected for some: they retry below
                    }
                    return null;
                  }));
        }
        for (Future<?> connect : connects) {
          connect.get();
        }
      } finally {
        burst.shutdownNow();
      }
      for (int i = 0; i < devices; i++) {
        MqttTestClients.closeAll(MqttTestClients.v5(strict.mqttUri(), "site-meter-" + i, SECRET));
      }
    }
  }

  @Test
  void aFullHashingQueueAnswersServerBusyNotBadCredentials() throws Exception {
    // One hashing thread, one check waiting, slow hashes: a burst of devices with their right
    // secrets overflows the queue. Those not checked must hear "busy, retry", not "wrong secret".
    int devices = 12;
    try (TestNode busy =
        TestNode.builder(busyDataDir, influx.url(), influx.database())
            .set("rules.seedRulePacks", false)
            .set("registry.pbkdf2Iterations", 200_000)
            .set("deviceAuth.threads", 1)
            .set("deviceAuth.maxPending", 1)
            .start()) {
      for (int i = 0; i < devices; i++) {
        busy.register("busy-v3-" + i, "noise", "hoi-an", "Phố cổ", SECRET);
        busy.register("busy-v5-" + i, "noise", "hoi-an", "Phố cổ", SECRET);
      }
      List<Integer> v3 =
          inParallel(devices, i -> rawConnect(busy.mqttPort(), "busy-v3-" + i, SECRET));
      assertTrue(v3.contains(V3_SERVER_UNAVAILABLE), "some CONNECTs overflow the queue: " + v3);
      assertTrue(
          v3.stream().allMatch(code -> code == V3_ACCEPTED || code == V3_SERVER_UNAVAILABLE),
          "MQTT 3.1.1: accepted or server unavailable (3), never bad credentials: " + v3);
      List<Integer> v5 =
          inParallel(
              devices,
              i -> {
                try {
                  MqttTestClients.closeAll(
                      MqttTestClients.v5(busy.mqttUri(), "busy-v5-" + i, SECRET));
                  return 0;
                } catch (org.eclipse.paho.mqttv5.common.MqttException refused) {
                  return refused.getReasonCode();
                }
              });
      assertTrue(v5.contains(SERVER_BUSY), "some CONNECTs overflow the queue: " + v5);
      assertTrue(
          v5.stream().allMatch(code -> code == 0 || code == SERVER_BUSY),
          "MQTT 5: accepted or server busy (0x89), never bad credentials: " + v5);
      assertEquals(
          v3.stream().filter(code -> code != V3_ACCEPTED).count()
              + v5.stream().filter(code -> code != 0).count(),
          busy.metrics().value("lantern_ingest_auth_throttled_total", "reason", "busy"),
          "every busy answer is counted");
      assertEquals(
          0,
          busy.metrics().value("lantern_ingest_auth_failures_total", "protocol", "mqtt"),
          "a busy answer is not a failed login");
    }
  }

  /** Runs {@code n} calls at once and returns their results in order. */
  private static <T> List<T> inParallel(int n, IntCall<T> call) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      List<Future<T>> calls = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int index = i;
        calls.add(pool.submit(() -> call.apply(index)));
      }
      List<T> results = new ArrayList<>();
      for (Future<T> result : calls) {
        results.add(result.get());
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }

  @FunctionalInterface
  private interface IntCall<T> {
    T apply(int index) throws Exception;
  }

  @Test
  void unknownIdsCostTheSameHashingAsKnownOnesAndRepeatsCostNone() throws Exception {
    double hashes = hashes();
    refusedV5("timing-known", "a-wrong-secret-1");
    assertEquals(hashes + 1, hashes(), "a wrong secret for a known id is hashed once");
    refusedV5("timing-unknown", "a-wrong-secret-1");
    assertEquals(hashes + 2, hashes(), "an unknown id is hashed just the same (decoy)");
    refusedV5("timing-known", "a-wrong-secret-1");
    refusedV5("timing-unknown", "a-wrong-secret-1");
    assertEquals(hashes + 2, hashes(), "a repeated failed pair is answered from the cache");
  }

  @Test
  void connectionsPerDeviceAreLimited() throws Exception {
    MqttAsyncClient first = MqttTestClients.v5(node.mqttUri(), "single", SECRET);
    try {
      assertEquals(QUOTA_EXCEEDED, refusedV5("single", SECRET));
    } finally {
      MqttTestClients.closeAll(first);
    }
    awaitConnections(0);
    assertDeviceConnects("single");
  }

  @Test
  void connectionsPerAddressAreLimited() throws Exception {
    awaitConnections(0);
    MqttAsyncClient[] open = new MqttAsyncClient[MAX_PER_ADDRESS];
    try {
      for (int i = 0; i < MAX_PER_ADDRESS; i++) {
        String id = "per-addr-" + i;
        node.register(id, "noise", "hoi-an", "Phố cổ", SECRET);
        open[i] = MqttTestClients.v5(node.mqttUri(), id, SECRET);
      }
      node.register("per-addr-extra", "noise", "hoi-an", "Phố cổ", SECRET);
      assertEquals(QUOTA_EXCEEDED, refusedV5("per-addr-extra", SECRET));
    } finally {
      MqttTestClients.closeAll(open);
    }
    awaitConnections(0);
    assertDeviceConnects("per-addr-extra");
  }

  @Test
  void aConnectionLimitSetInTheEnvironmentRefusesAndIsLoggedOnceAMinute() throws Exception {
    try (TestNode limited =
        TestNode.builder(limitedDataDir, influx.url(), influx.database())
            .set("rules.seedRulePacks", false)
            .env("LANTERN_MAX_MQTT_PER_ADDRESS", "1")
            .start()) {
      limited.register("limited-a", "noise", "hoi-an", "Phố cổ", SECRET);
      limited.register("limited-b", "noise", "hoi-an", "Phố cổ", SECRET);
      MqttAsyncClient first = MqttTestClients.v5(limited.mqttUri(), "limited-a", SECRET);
      ByteArrayOutputStream captured = new ByteArrayOutputStream();
      try {
        withStandardErrorTo(
            captured,
            () -> {
              for (int i = 0; i < 3; i++) {
                assertEquals(
                    V3_SERVER_UNAVAILABLE,
                    rawConnect(limited.mqttPort(), "limited-b", "limited-b", SECRET),
                    "the second connection from this address is over"
                        + " LANTERN_MAX_MQTT_PER_ADDRESS=1");
              }
            });
      } finally {
        MqttTestClients.closeAll(first);
      }
      List<String> lines = linesContaining(captured, "event=connection_refused");
      assertEquals(1, lines.size(), "one line a minute for this limit and address: " + lines);
      for (String field :
          new String[] {
            "protocol=mqtt",
            "limit=per_address",
            "setting=connections.maxMqttPerAddress",
            "address=127.0.0.1",
            "device=limited-b",
            "refused=1"
          }) {
        assertTrue(lines.get(0).contains(field), field + " in " + lines.get(0));
      }
      assertEquals(
          3,
          limited
              .metrics()
              .value("lantern_ingest_connections_refused_total", "reason", "per_address"),
          "every refusal is counted");
    }
  }

  /**
   * Sends one MQTT 3.1.1 CONNECT over a fresh socket and returns the CONNACK's return code (the
   * Paho client takes a few hundred milliseconds per refused CONNECT; a flood does not wait).
   */
  private static int rawConnect(String username, String password) throws IOException {
    return rawConnect(node.mqttPort(), "flood", username, password);
  }

  private static int rawConnect(int port, String username, String password) throws IOException {
    return rawConnect(port, username, username, password);
  }

  private static int rawConnect(int port, String clientId, String username, String password)
      throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(body);
    out.writeUTF("MQTT");
    out.writeByte(4); // protocol level 3.1.1
    out.writeByte(0xC2); // user name, password, clean session
    out.writeShort(60);
    writeString(out, clientId);
    writeString(out, username);
    writeString(out, password);
    ByteArrayOutputStream packet = new ByteArrayOutputStream();
    packet.write(0x10);
    int remaining = body.size();
    do {
      int digit = remaining % 128;
      remaining /= 128;
      packet.write(remaining > 0 ? digit | 0x80 : digit);
    } while (remaining > 0);
    body.writeTo(packet);
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(20_000);
      socket.getOutputStream().write(packet.toByteArray());
      byte[] connack = socket.getInputStream().readNBytes(4);
      assertEquals(4, connack.length, "a CONNACK");
      assertEquals(0x20, connack[0] & 0xff, "a CONNACK");
      return connack[3];
    }
  }

  private static void writeString(DataOutputStream out, String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    out.writeShort(bytes.length);
    out.write(bytes);
  }

  private static void assertDeviceConnects(String id) throws Exception {
    MqttTestClients.closeAll(MqttTestClients.v5(node.mqttUri(), id, SECRET));
  }

  /** Connects with MQTT 5, expects a refusal, and returns its reason code. */
  private static int refusedV5(String id, String secret) {
    org.eclipse.paho.mqttv5.common.MqttException e =
        assertThrows(
            org.eclipse.paho.mqttv5.common.MqttException.class,
            () -> MqttTestClients.v5(node.mqttUri(), id, secret));
    return e.getReasonCode();
  }

  private static void awaitConnections(double expected) throws InterruptedException {
    for (int i = 0; i < 200; i++) {
      if (node.metrics().value("lantern_ingest_connections", "protocol", "mqtt") == expected) {
        return;
      }
      Thread.sleep(50);
    }
    assertEquals(expected, node.metrics().value("lantern_ingest_connections", "protocol", "mqtt"));
  }

  private static double authFailures() {
    return node.metrics().value("lantern_ingest_auth_failures_total", "protocol", "mqtt");
  }

  private static double throttled() {
    return node.metrics().value("lantern_ingest_auth_throttled_total", "reason", "throttled");
  }

  private static double hashes() {
    return node.metrics().value("lantern_ingest_auth_hashes_total");
  }

  /** The captured log lines that contain {@code marker}. */
  private static List<String> linesContaining(ByteArrayOutputStream captured, String marker) {
    return captured
        .toString(StandardCharsets.UTF_8)
        .lines()
        .filter(l -> l.contains(marker))
        .toList();
  }

  /** Runs {@code steps} with the node's log (standard error) going to {@code log}. */
  private static void withStandardErrorTo(OutputStream log, LoggedSteps steps) throws Exception {
    PrintStream original = System.err;
    System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
    try {
      steps.run();
    } finally {
      System.setErr(original);
    }
  }

  @FunctionalInterface
  private interface LoggedSteps {
    void run() throws Exception;
  }

  /** Counts the bytes written to it and keeps none. */
  private static final class CountingStream extends OutputStream {
    private final AtomicLong bytes = new AtomicLong();

    @Override
    public void write(int b) {
      bytes.incrementAndGet();
    }

    @Override
    public void write(byte[] b, int off, int len) {
      bytes.addAndGet(len);
    }
  }
}
