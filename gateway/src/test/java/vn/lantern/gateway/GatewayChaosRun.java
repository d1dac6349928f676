package vn.lantern.gateway;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.paho.client.mqttv3.DisconnectedBufferOptions;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import vn.lantern.deploy.testing.PrometheusText;
import vn.lantern.testing.TestInflux;

/**
 * The gateway under load through an uplink outage and a {@code kill -9}: LAN sensors publish QoS 1
 * readings to a gateway in a JVM of its own, which relays them to a real node. Once the uplink
 * works, the node is stopped (the uplink outage); halfway through the outage the gateway is killed
 * with SIGKILL and started again on the same ports and queue file; at the end of the outage the
 * node comes back on its MQTT port and the queue replays. The sensors publish throughout,
 * reconnecting by themselves and buffering while the gateway is gone. Every reading the gateway
 * acknowledged must be in InfluxDB. Used by {@code GatewayChaosTest} (short, in {@code ./lantern
 * test}) and {@code GatewayChaosBench} ({@code ./lantern bench chaos}).
 *
 * @param sensors LAN sensors, one MQTT connection each to the gateway
 * @param readingsPerSensor readings each sensor publishes, each with its own timestamp
 * @param roundMs pause between rounds (one reading from every sensor)
 * @param outageMs how long the node is down; the gateway is killed halfway through
 * @param outageAfterDelivered the outage starts once the node acknowledged this many readings
 */
record GatewayChaosRun(
    int sensors, int readingsPerSensor, long roundMs, long outageMs, int outageAfterDelivered) {

  private static final String GATEWAY = "gw-chaos";
  private static final String ZONE = "kcn-chaos";
  private static final Duration SETTLE = Duration.ofSeconds(180);

  /**
   * What a run saw.
   *
   * @param sent readings the sensors published
   * @param acked readings the gateway acknowledged (durably queued)
   * @param queuedAtKill readings in the gateway's queue file right after the kill
   * @param delivered readings the node acknowledged to the gateway (summed over both gateway runs)
   * @param stored acknowledged readings InfluxDB holds
   * @param lost acknowledged readings InfluxDB does not hold
   * @param duplicates deliveries beyond one per stored reading (a redelivery stores no second
   *     point, as the node keys a reading by device and timestamp)
   * @param gatewayPeakRssKb the gateway processes' peak resident memory
   */
  record Verdict(
      long sent,
      long acked,
      long queuedAtKill,
      long delivered,
      long stored,
      long lost,
      long duplicates,
      long gatewayPeakRssKb) {
    boolean passed() {
      return lost == 0 && acked == sent && queuedAtKill > 0;
    }

    @Override
    public String toString() {
      return String.format(
          "sent=%d acked=%d queued_at_kill=%d delivered=%d stored=%d lost=%d duplicates=%d"
              + " gateway_peak_rss_kb=%d verdict=%s",
          sent,
          acked,
          queuedAtKill,
          delivered,
          stored,
          lost,
          duplicates,
          gatewayPeakRssKb,
          passed() ? "PASS" : "FAIL");
    }
  }

  Verdict run(Path dir, TestInflux influx) throws Exception {
    Path nodeDir = dir.resolve("node");
    Path dataDir = dir.resolve("gateway");
    int lanPort = freePort();
    int gatewayHttp = freePort();
    AtomicReference<TestNode> node =
        new AtomicReference<>(TestNode.start(nodeDir, influx.url(), influx.database(), 0));
    int mqttPort = node.get().mqttPort();
    Map<String, String> devices = new HashMap<>();
    for (int s = 0; s < sensors; s++) {
      devices.put(sensor(s), "air_quality");
    }
    node.get().registerGateway(ZONE, GATEWAY, GATEWAY + TestGateways.SECRET_SUFFIX, devices);
    Path config = dir.resolve("gateway.yaml");
    Files.writeString(config, config(dataDir, mqttPort, lanPort, gatewayHttp).encodePrettily());
    AtomicReference<Process> gateway =
        new AtomicReference<>(startGateway(config, dir.resolve("gateway-1.log"), gatewayHttp));
    AtomicLong peakRss = new AtomicLong();
    AtomicLong deliveredBeforeKill = new AtomicLong();
    AtomicLong queuedAtKill = new AtomicLong();
    List<MqttAsyncClient> clients = new ArrayList<>();
    Set<Long> acked = ConcurrentHashMap.newKeySet();
    long sent = 0;
    long base = System.currentTimeMillis() - 3_600_000;
    ExecutorService faults = Executors.newSingleThreadExecutor();
    try {
      for (int s = 0; s < sensors; s++) {
        clients.add(connect(lanPort, sensor(s)));
      }
      Future<?> injected = null;
      for (int i = 0; i < readingsPerSensor; i++) {
        for (int s = 0; s < sensors; s++) {
          publish(clients.get(s), base + (long) i * sensors + s, acked);
          sent++;
        }
        if (injected == null && delivered(gatewayHttp) >= outageAfterDelivered) {
          injected =
              faults.submit(
                  () -> {
                    node.get().close(); // the uplink outage begins
                    Thread.sleep(outageMs / 2);
                    // The node is down, so nothing is acknowledged between this scrape and the
                    // kill.
                    deliveredBeforeKill.set(delivered(gatewayHttp));
                    Process first = gateway.get();
                    peakRss.accumulateAndGet(rssKb(first), Math::max);
                    first.destroyForcibly(); // SIGKILL
                    first.waitFor(30, TimeUnit.SECONDS);
                    queuedAtKill.set(queueDepth(dataDir));
                    gateway.set(startGateway(config, dir.resolve("gateway-2.log"), gatewayHttp));
                    Thread.sleep(outageMs / 2);
                    node.set(TestNode.start(nodeDir, influx.url(), influx.database(), mqttPort));
                    return null;
                  });
        }
        peakRss.accumulateAndGet(rssKb(gateway.get()), Math::max);
        Thread.sleep(roundMs);
      }
      if (injected == null) {
        throw new IllegalStateException("the outage never started: too few readings delivered");
      }
      injected.get(10, TimeUnit.MINUTES);
      long deadline = System.nanoTime() + SETTLE.toNanos();
      while ((acked.size() < sent || queueDepthOf(gatewayHttp) > 0)
          && System.nanoTime() < deadline) {
        peakRss.accumulateAndGet(rssKb(gateway.get()), Math::max);
        Thread.sleep(200);
      }
      long delivered = deliveredBeforeKill.get() + delivered(gatewayHttp);
      Set<Long> stored = stored(influx);
      long storedAcked = acked.stream().filter(stored::contains).count();
      return new Verdict(
          sent,
          acked.size(),
          queuedAtKill.get(),
          delivered,
          storedAcked,
          acked.size() - storedAcked,
          Math.max(0, delivered - stored.size()),
          peakRss.get());
    } finally {
      faults.shutdownNow();
      for (MqttAsyncClient c : clients) {
        try {
          c.disconnectForcibly(0, 1, false); // at once: the run is over
          c.close();
        } catch (MqttException ignored) {
          // the run is over
        }
      }
      gateway.get().destroy();
      gateway.get().waitFor(30, TimeUnit.SECONDS);
      node.get().close();
    }
  }

  private static String sensor(int s) {
    return GATEWAY + "-aq-" + s;
  }

  private static String secret(String sensor) {
    return sensor + TestGateways.SECRET_SUFFIX;
  }

  /**
   * The gateway's config (YAML reads JSON): the documented uplink defaults except for quicker
   * reconnects, so a run stays short.
   */
  private JsonObject config(Path dataDir, int mqttPort, int lanPort, int httpPort) {
    JsonArray lanSensors = new JsonArray();
    for (int s = 0; s < sensors; s++) {
      lanSensors.add(new JsonObject().put("id", sensor(s)).put("secret", secret(sensor(s))));
    }
    return new JsonObject()
        .put("id", GATEWAY)
        .put("secret", GATEWAY + TestGateways.SECRET_SUFFIX)
        .put("dataDir", dataDir.toString())
        .put("http", new JsonObject().put("host", "127.0.0.1").put("port", httpPort))
        .put(
            "uplink",
            new JsonObject()
                .put("url", "tcp://127.0.0.1:" + mqttPort)
                .put("minBackoffMs", 100)
                .put("maxBackoffMs", 1_000)
                .put("ackTimeoutMs", 5_000))
        .put(
            "lan",
            new JsonObject()
                .put("enabled", true)
                .put("host", "127.0.0.1")
                .put("port", lanPort)
                .put("sensors", lanSensors));
  }

  private static Process startGateway(Path config, Path log, int httpPort) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process process =
        new ProcessBuilder(
                java,
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                "vn.lantern.gateway.GatewayMain",
                "--config",
                config.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "the gateway exited with " + process.exitValue() + ": " + Files.readString(log));
      }
      try {
        scrape(httpPort);
        return process;
      } catch (IOException notYet) {
        // still starting
      }
      Thread.sleep(100);
    }
    process.destroyForcibly();
    throw new IllegalStateException(
        "the gateway did not answer /metrics: " + Files.readString(log));
  }

  private static PrometheusText scrape(int httpPort) throws IOException, InterruptedException {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/metrics"))
                    .timeout(Duration.ofSeconds(10))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException("/metrics answered " + response.statusCode());
    }
    return new PrometheusText(response.body());
  }

  /** Readings the node acknowledged to the running gateway since it started. */
  private static long delivered(int httpPort) throws InterruptedException {
    try {
      return (long) scrape(httpPort).value("gateway_uplink_readings_acknowledged_total");
    } catch (IOException e) {
      return 0; // being restarted
    }
  }

  private static long queueDepthOf(int httpPort) throws InterruptedException {
    try {
      return (long) scrape(httpPort).value("gateway_queue_depth");
    } catch (IOException e) {
      return Long.MAX_VALUE; // unknown
    }
  }

  /** Rows in the queue file of a stopped gateway, read with plain SQLite. */
  private static long queueDepth(Path dataDir) throws SQLException {
    try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("queue.db"));
        Statement st = db.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*) FROM readings")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /**
   * A sensor's client: MQTT 3.1.1, reconnecting by itself; while it is disconnected publishes wait
   * in its buffer, and unacknowledged ones are sent again.
   */
  private static MqttAsyncClient connect(int lanPort, String sensor) throws Exception {
    MqttAsyncClient client =
        new MqttAsyncClient("tcp://127.0.0.1:" + lanPort, sensor, new MemoryPersistence());
    MqttConnectOptions options = new MqttConnectOptions();
    options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    options.setUserName(sensor);
    options.setPassword(secret(sensor).toCharArray());
    options.setCleanSession(false);
    options.setAutomaticReconnect(true);
    options.setMaxReconnectDelay(1_000);
    options.setMaxInflight(100);
    options.setConnectionTimeout(10);
    client.connect(options).waitForCompletion(15_000);
    DisconnectedBufferOptions buffer = new DisconnectedBufferOptions();
    buffer.setBufferEnabled(true);
    buffer.setBufferSize(1_000_000);
    buffer.setPersistBuffer(false);
    buffer.setDeleteOldestMessages(false);
    client.setBufferOpts(buffer);
    return client;
  }

  private static void publish(MqttAsyncClient client, long ts, Set<Long> acked) throws Exception {
    MqttMessage message =
        new MqttMessage(
            new JsonObject()
                .put("ts", ts)
                .put("m", new JsonObject().put("pm25", 12.5))
                .encode()
                .getBytes());
    message.setQos(1);
    while (true) {
      try {
        client.publish(
            "telemetry",
            message,
            null,
            new IMqttActionListener() {
              @Override
              public void onSuccess(IMqttToken token) {
                acked.add(ts);
              }

              @Override
              public void onFailure(IMqttToken token, Throwable e) {
                // not acknowledged: not promised, not counted
              }
            });
        return;
      } catch (MqttException e) {
        if (e.getReasonCode() != MqttException.REASON_CODE_MAX_INFLIGHT) {
          throw e;
        }
        Thread.sleep(2); // the window is full: wait for acknowledgements
      }
    }
  }

  /** The timestamps of this run's readings InfluxDB holds (each reading has its own). */
  private static Set<Long> stored(TestInflux influx) {
    Set<Long> stored = new HashSet<>();
    for (Map<String, Object> row :
        influx.query("SELECT pm25 FROM air_quality WHERE \"zone\" = '" + ZONE + "'")) {
      stored.add(((Number) row.get("time")).longValue());
    }
    return stored;
  }

  /** The process's peak resident memory (Linux {@code /proc}), in KiB; 0 if unknown. */
  private static long rssKb(Process process) {
    try {
      for (String line :
          Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | RuntimeException gone) {
      // the process has exited
    }
    return 0;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
