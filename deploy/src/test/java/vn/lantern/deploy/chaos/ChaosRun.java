package vn.lantern.deploy.chaos;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.paho.client.mqttv3.DisconnectedBufferOptions;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBFactory;
import org.influxdb.dto.Query;
import org.influxdb.dto.QueryResult;
import vn.lantern.ingest.IngestConfig;

/**
 * Chaos under load: a standalone node in a JVM of its own, devices publishing QoS 1 readings over
 * MQTT (one connection each, reconnecting by themselves, buffering while disconnected), and a fault
 * injected mid-stream while they go on publishing. Every reading that got its PUBACK must be in
 * InfluxDB. Used by the short tests in {@code ./lantern test} ({@code NodeKillTest}) and by {@code
 * ./lantern bench chaos} ({@code ChaosBench}).
 *
 * @param devices publishing devices, one MQTT connection each
 * @param readingsPerDevice readings each device publishes (one per message, each with its own
 *     timestamp, so every reading is its own point)
 * @param roundMs pause between rounds (one reading from every device)
 * @param faultAfterAcked the fault is injected once this many readings were acknowledged in all
 * @param fault what goes wrong
 */
public record ChaosRun(
    int devices, int readingsPerDevice, long roundMs, int faultAfterAcked, Fault fault) {

  /** A fault, injected while the devices keep publishing; it returns once it is over. */
  @FunctionalInterface
  public interface Fault {
    void inject(Node node) throws Exception;
  }

  /** The node under test: its process can be killed and started again. */
  public interface Node {
    /** Kills the node with SIGKILL and starts it again on the same ports and data. */
    void killAndRestart() throws Exception;
  }

  /** The node is killed with SIGKILL and started again. */
  public static final Fault KILL_NODE = Node::killAndRestart;

  private static final String TOKEN = "chaos-service-token-0123456789abcdef";
  private static final String ZONE = "hoi-an";

  /** What a run saw. */
  public record Verdict(long sent, long acked, long stored, long lost, long peakRssKb) {
    public boolean passed() {
      return lost == 0 && acked == sent;
    }

    @Override
    public String toString() {
      return String.format(
          "sent=%d acked=%d stored=%d lost=%d node_peak_rss_kb=%d verdict=%s",
          sent, acked, stored, lost, peakRssKb, passed() ? "PASS" : "FAIL");
    }
  }

  /** Runs the scenario against the InfluxDB at {@code influxUrl}, database {@code database}. */
  public Verdict run(Path dir, String influxUrl, String database) throws Exception {
    int http = freePort();
    int mqtt = freePort();
    Path config = dir.resolve("node.json");
    Files.writeString(config, config(dir, influxUrl, database, http, mqtt).encodePrettily());
    AtomicReference<Process> node = new AtomicReference<>(start(config, dir, 1, http));
    AtomicLong peakRss = new AtomicLong();
    AtomicInteger starts = new AtomicInteger(1);
    Node handle =
        () -> {
          Process old = node.get();
          peakRss.accumulateAndGet(rssKb(old), Math::max);
          old.destroyForcibly(); // SIGKILL
          old.waitFor(30, TimeUnit.SECONDS);
          node.set(start(config, dir, starts.incrementAndGet(), http));
        };
    List<MqttAsyncClient> clients = new ArrayList<>();
    Set<Long> acked = ConcurrentHashMap.newKeySet();
    AtomicLong sent = new AtomicLong();
    long base = System.currentTimeMillis() - 3_600_000;
    ExecutorService faults = Executors.newSingleThreadExecutor();
    try {
      forEachDevice(
          device -> {
            register(http, device);
            return null;
          });
      clients.addAll(forEachDevice(device -> connect(mqtt, device)));
      Future<?> injected = null;
      for (int i = 0; i < readingsPerDevice; i++) {
        for (int d = 0; d < devices; d++) {
          long ts = base + (long) i * devices + d;
          publish(clients.get(d), ts, acked);
          sent.incrementAndGet();
        }
        if (injected == null && acked.size() >= faultAfterAcked) {
          injected =
              faults.submit(
                  () -> {
                    fault.inject(handle);
                    return null;
                  });
        }
        if (i % 50 == 0) {
          peakRss.accumulateAndGet(rssKb(node.get()), Math::max);
        }
        Thread.sleep(roundMs);
      }
      if (injected == null) {
        throw new IllegalStateException("the fault was never injected: too few acknowledged");
      }
      injected.get(10, TimeUnit.MINUTES);
      long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
      while (acked.size() < sent.get() && System.nanoTime() < deadline) {
        peakRss.accumulateAndGet(rssKb(node.get()), Math::max);
        Thread.sleep(100);
      }
      long stored = storedOf(influxUrl, database, acked);
      return new Verdict(sent.get(), acked.size(), stored, acked.size() - stored, peakRss.get());
    } finally {
      faults.shutdownNow();
      for (MqttAsyncClient c : clients) {
        try {
          // Drop the connection at once: waiting for each DISCONNECT to go out took a second per
          // client, a quarter of an hour for a full-size run.
          c.disconnectForcibly(0, 1, false);
          c.close();
        } catch (Exception ignored) {
          // the run is over
        }
      }
      node.get().destroy();
      node.get().waitFor(30, TimeUnit.SECONDS);
    }
  }

  private static String device(int d) {
    return "chaos-aq-" + d;
  }

  private static String secret(String device) {
    return device + "-secret-0123456789";
  }

  private static JsonObject config(
      Path dir, String influxUrl, String database, int http, int mqtt) {
    JsonObject config = new JsonObject();
    // Every listener on 127.0.0.1, on a free port; HTTP and MQTT on fixed ones, kept across the
    // restart so the devices find the node again.
    for (RecordComponent section : IngestConfig.class.getRecordComponents()) {
      if (section.getType().isRecord()
          && Arrays.stream(section.getType().getRecordComponents())
                  .filter(c -> c.getName().equals("host") || c.getName().equals("port"))
                  .count()
              == 2) {
        config.put(section.getName(), new JsonObject().put("host", "127.0.0.1").put("port", 0));
      }
    }
    config.getJsonObject("http").put("port", http);
    config.getJsonObject("mqtt").put("port", mqtt);
    return config
        .put("dataDir", dir.resolve("data").toAbsolutePath().toString())
        .put("influx", new JsonObject().put("url", influxUrl).put("database", database))
        .put("registry", new JsonObject().put("pbkdf2Iterations", 1000))
        .put(
            "rules",
            new JsonObject()
                .put("serviceToken", TOKEN)
                .put("adminPassword", "chaos-admin-password")
                .put("pbkdf2Iterations", 1000)
                .put("seedRulePacks", false))
        .put("connections", new JsonObject().put("maxMqttPerAddress", 100_000));
  }

  private static Process start(Path config, Path dir, int n, int http) throws Exception {
    Path log = dir.resolve("node-" + n + ".log");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process process =
        new ProcessBuilder(
                java,
                "-Xmx512m",
                "-cp",
                System.getProperty("java.class.path"),
                "vn.lantern.deploy.StandaloneNode",
                "--config",
                config.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "the node exited with " + process.exitValue() + ": " + Files.readString(log));
      }
      try {
        if (request(http, "GET", "/health", null).statusCode() == 200) {
          return process;
        }
      } catch (IOException notYet) {
        // still starting
      }
      Thread.sleep(100);
    }
    process.destroyForcibly();
    throw new IllegalStateException("the node did not answer /health: " + Files.readString(log));
  }

  private static HttpResponse<String> request(int port, String method, String path, JsonObject body)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(10))
            .header("Authorization", "Bearer " + TOKEN)
            .header("content-type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body.encode()));
    return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /**
   * Runs {@code call} for every device, 8 at a time, and returns the results in device order: one
   * by one, registering and connecting 1,000 devices took minutes each at full size.
   */
  private <T> List<T> forEachDevice(DeviceCall<T> call) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<T>> calls = new ArrayList<>();
      for (int d = 0; d < devices; d++) {
        String device = device(d);
        calls.add(pool.submit(() -> call.apply(device)));
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
  private interface DeviceCall<T> {
    T apply(String device) throws Exception;
  }

  private static void register(int http, String device) throws Exception {
    HttpResponse<String> r =
        request(
            http,
            "PUT",
            "/api/v1/devices/" + device,
            new JsonObject()
                .put("type", "air_quality")
                .put("zone", ZONE)
                .put("site", "Chaos site")
                .put("secret", secret(device)));
    if (r.statusCode() / 100 != 2) {
      throw new IllegalStateException("registering " + device + ": " + r.body());
    }
  }

  /**
   * A device's client: MQTT 3.1.1 with a persistent session, reconnecting by itself; while it is
   * disconnected publishes wait in its buffer, and unacknowledged ones are sent again.
   */
  private static MqttAsyncClient connect(int mqtt, String device) throws Exception {
    MqttAsyncClient client =
        new MqttAsyncClient("tcp://127.0.0.1:" + mqtt, device, new MemoryPersistence());
    MqttConnectOptions options = new MqttConnectOptions();
    options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    options.setUserName(device);
    options.setPassword(secret(device).toCharArray());
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
      } catch (org.eclipse.paho.client.mqttv3.MqttException e) {
        if (e.getReasonCode()
            != org.eclipse.paho.client.mqttv3.MqttException.REASON_CODE_MAX_INFLIGHT) {
          throw e;
        }
        Thread.sleep(2); // the window is full: wait for acknowledgements
      }
    }
  }

  /** How many of the acknowledged readings InfluxDB holds. */
  private static long storedOf(String influxUrl, String database, Set<Long> acked) {
    try (InfluxDB influx = InfluxDBFactory.connect(influxUrl)) {
      QueryResult result =
          influx.query(
              new Query("SELECT pm25 FROM air_quality WHERE zone = 'hoi-an'", database),
              TimeUnit.MILLISECONDS);
      Set<Long> stored = new java.util.HashSet<>();
      for (QueryResult.Result r : result.getResults()) {
        if (r.getSeries() == null) {
          continue;
        }
        for (QueryResult.Series s : r.getSeries()) {
          for (List<Object> row : s.getValues()) {
            stored.add(((Number) row.get(0)).longValue());
          }
        }
      }
      return acked.stream().filter(stored::contains).count();
    }
  }

  /** The node's resident memory (Linux {@code /proc}), in KiB; 0 if unknown. */
  private static long rssKb(Process node) {
    try {
      for (String line :
          Files.readAllLines(Path.of("/proc", Long.toString(node.pid()), "status"))) {
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
