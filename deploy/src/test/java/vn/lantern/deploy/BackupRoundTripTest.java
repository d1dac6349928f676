package vn.lantern.deploy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import vn.lantern.common.store.DatabaseSettings;
import vn.lantern.common.store.RelationalStore;
import vn.lantern.ingest.registry.Device;
import vn.lantern.ingest.registry.RegistryStore;
import vn.lantern.testing.InfluxdProcess;
import vn.lantern.testing.TestDatabases;

/**
 * {@code ./lantern backup} then {@code ./lantern restore} (deploy/backup.sh) bring back the
 * relational store (embedded H2 and PostgreSQL), the key files and the InfluxDB readings.
 */
class BackupRoundTripTest {
  private static final Path SCRIPT = Path.of("..", "deploy", "backup.sh").toAbsolutePath();
  private static InfluxdProcess influxd;
  private final HttpClient http = HttpClient.newHttpClient();

  @TempDir Path work;

  @BeforeAll
  static void startInflux() {
    influxd = InfluxdProcess.start();
  }

  @AfterAll
  static void stopInflux() {
    influxd.close();
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void aBackupRestoresTheStoreTheKeysAndTheReadings(TestDatabases engine) throws Exception {
    String influxDb = "backup_" + engine.name().toLowerCase();
    Path dataDir = Files.createDirectories(work.resolve("node"));
    DatabaseSettings original = engine.freshDatabase();
    try (RelationalStore db = RelationalStore.open(original, dataDir)) {
      RegistryStore.in(db)
          .upsertDevice(
              new Device(
                  "hoian-wl-01",
                  "water_level",
                  "hoi-an",
                  "Cầu An Hội",
                  15.87,
                  108.33,
                  null,
                  "pbkdf2-sha256$1$s$h",
                  "v1:psk",
                  null,
                  false));
    }
    byte[] pskKey = new byte[32];
    pskKey[0] = 42;
    Files.write(dataDir.resolve("psk.key"), pskKey);
    influx("POST", "/query", Map.of("q", "CREATE DATABASE " + influxDb), null);
    influx(
        "POST",
        "/write",
        Map.of("db", influxDb, "precision", "ms"),
        "water_level,zone=hoi-an,device=hoianwl01 level=1.62 " + System.currentTimeMillis());

    Path backup = work.resolve("backup");
    run(
        original,
        "backup",
        "--data-dir",
        dataDir,
        "--out",
        backup,
        "--influx-rpc",
        influxd.rpcAddress(),
        "--influx-db",
        influxDb);

    // Disaster: the node's disk and the InfluxDB database are gone.
    influx("POST", "/query", Map.of("q", "DROP DATABASE " + influxDb), null);
    Path restored = work.resolve("restored");
    DatabaseSettings target = engine.freshDatabase();
    run(
        target,
        "restore",
        "--from",
        backup,
        "--data-dir",
        restored,
        "--influx-rpc",
        influxd.rpcAddress(),
        "--influx-db",
        influxDb);

    try (RelationalStore db = RelationalStore.open(target, restored)) {
      List<Device> devices = RegistryStore.in(db).devices();
      assertEquals(List.of("hoian-wl-01"), devices.stream().map(Device::id).toList());
      assertEquals("v1:psk", devices.get(0).pskCiphertext());
    }
    assertArrayEquals(pskKey, Files.readAllBytes(restored.resolve("psk.key")));
    String rows =
        influx("GET", "/query", Map.of("db", influxDb, "q", "SELECT level FROM water_level"), null);
    assertTrue(rows.contains("1.62"), rows);
  }

  private void run(DatabaseSettings db, String command, Object... args) throws Exception {
    List<String> line = new java.util.ArrayList<>(List.of("bash", SCRIPT.toString(), command));
    for (Object arg : args) {
      line.add(arg.toString());
    }
    ProcessBuilder pb = new ProcessBuilder(line).redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> k.startsWith("LANTERN_") || k.startsWith("PG"));
    if (!db.embedded()) {
      env.put("LANTERN_DB_URL", db.url());
      env.put("LANTERN_DB_USER", db.user());
      env.put("LANTERN_DB_PASSWORD", db.password());
    }
    Process p = pb.start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), command + " timed out");
    assertEquals(0, p.exitValue(), command + " failed:\n" + output);
  }

  private String influx(String method, String path, Map<String, String> params, String body)
      throws IOException, InterruptedException {
    StringBuilder query = new StringBuilder();
    params.forEach(
        (k, v) ->
            query
                .append(query.length() == 0 ? "?" : "&")
                .append(k)
                .append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(influxd.url() + path + query))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    assertTrue(response.statusCode() / 100 == 2, path + " -> " + response.body());
    return response.body();
  }
}
