package vn.lantern.ingest.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import vn.lantern.deploy.testing.TestNode;
import vn.lantern.ingest.ClientProcess;
import vn.lantern.testing.InfluxDbExtension;
import vn.lantern.testing.TestInflux;

/**
 * MQTT over TLS with Mosquitto's own client: server certificate checked against the right and a
 * wrong CA, devices that log in with a certificate instead of a password (CA-signed or pinned), and
 * the certificates that must be refused (expired, another CA, CN of another or no device).
 */
@ExtendWith(InfluxDbExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MqttTlsTest {
  private static final Duration AWAIT = Duration.ofSeconds(20);
  private static final String ZONE = "kcn-dien-nam-dien-ngoc";

  @TempDir static Path dir;
  private static TestPki pki;
  private static TestNode node;
  private static TestInflux influx;
  private static Path mosquittoPub;

  @BeforeAll
  static void startNode(TestInflux testInflux) throws Exception {
    mosquittoPub = ClientProcess.program("mosquitto_pub", "mosquitto-clients");
    influx = testInflux;
    pki = new TestPki(dir);
    node =
        TestNode.builder(dir.resolve("node"), influx.url(), influx.database())
            .set("rules.seedRulePacks", false)
            // With a certificate, plain HTTP (the API the test registers devices through) is off
            // unless its port is -1 (a free one).
            .set("http.port", -1)
            .set("tls.cert", pki.serverCert.toString())
            .set("tls.key", pki.serverKey.toString())
            .set("tls.deviceCa", pki.deviceCaFile.toString())
            .set("tls.reloadCheckMs", "100")
            .start();
    node.register("tls-password", "energy", ZONE, "Site P", "password-for-tls-tests");
    node.register(device("tls-ca-device"));
    node.register(device("tls-other-ca-device"));
  }

  @AfterAll
  static void stopNode() throws Exception {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void plainListenerIsOffWhenItsPortIsZeroAndTlsIsOn() {
    assertEquals(-1, node.mqttPort());
    assertTrue(node.mqttsPort() > 0);
  }

  @Test
  void passwordOverTlsIsStoredWhenTheServerCertificateChecksOut() {
    long ts = System.currentTimeMillis() - 30_000;
    ClientProcess.Result result =
        publish(
            List.of("--cafile", pki.serverCaFile.toString(), "-u", "tls-password", "-P"),
            "password-for-tls-tests",
            ts);
    assertTrue(result.succeeded(), result.output());
    assertStored("tls-password", ts);
  }

  @Test
  void aClientTrustingAnotherCaRefusesTheServer() {
    ClientProcess.Result result =
        publish(
            List.of("--cafile", pki.rogueCaFile.toString(), "-u", "tls-password", "-P"),
            "password-for-tls-tests",
            System.currentTimeMillis());
    assertFalse(result.succeeded(), result.output());
  }

  @Test
  void deviceCertificateFromTheDeviceCaLogsInWithoutPassword() {
    TestPki.Files cert =
        pki.write(pki.deviceCa.issueDevice("tls-ca-device", Duration.ofDays(1)), "ca-device");
    long ts = System.currentTimeMillis() - 25_000;
    ClientProcess.Result result = publishWithCertificate(cert, List.of(), ts);
    assertTrue(result.succeeded(), result.output());
    assertStored("tls-ca-device", ts);
  }

  @Test
  void pinnedCertificateFromAnyIssuerLogsIn() {
    CertificateAuthority.Issued issued =
        pki.rogueCa.issueDevice("tls-pinned-device", Duration.ofDays(1));
    node.register(device("tls-pinned-device").put("certSha256", colons(issued.sha256())));
    TestPki.Files cert = pki.write(issued, "pinned-device");
    long ts = System.currentTimeMillis() - 24_000;
    ClientProcess.Result result =
        publishWithCertificate(cert, List.of("-u", "tls-pinned-device"), ts);
    assertTrue(result.succeeded(), result.output());
    assertStored("tls-pinned-device", ts);
  }

  @Test
  void badCertificatesAreRefusedAndCounted() {
    double before = refusals();
    List<TestPki.Files> refused = new ArrayList<>();
    refused.add(
        pki.write(
            pki.deviceCa.issueDevice(
                "tls-ca-device",
                Instant.now().minus(Duration.ofDays(3)),
                Instant.now().minus(Duration.ofDays(1))),
            "expired"));
    refused.add(
        pki.write(pki.rogueCa.issueDevice("tls-other-ca-device", Duration.ofDays(1)), "other-ca"));
    refused.add(
        pki.write(pki.deviceCa.issueDevice("no-such-device", Duration.ofDays(1)), "unknown"));
    for (TestPki.Files cert : refused) {
      ClientProcess.Result result =
          publishWithCertificate(cert, List.of(), System.currentTimeMillis());
      assertFalse(result.succeeded(), cert + " was accepted: " + result.output());
    }
    // A valid certificate, but the credentials name another device (its own valid ones).
    TestPki.Files valid =
        pki.write(pki.deviceCa.issueDevice("tls-ca-device", Duration.ofDays(1)), "mismatch");
    ClientProcess.Result mismatch =
        publishWithCertificate(
            valid,
            List.of("-u", "tls-password", "-P", "password-for-tls-tests"),
            System.currentTimeMillis());
    assertFalse(mismatch.succeeded(), mismatch.output());
    assertEquals(before + 4, refusals(), 0.0);
  }

  @Test
  @Order(Integer.MAX_VALUE) // it replaces the certificate the other tests trust
  void renewedServerCertificateIsUsedWithoutRestartAndOpenSessionsStay() throws Exception {
    long ts = System.currentTimeMillis() - 60_000;
    try (ClientProcess session =
        ClientProcess.start(
            dir,
            command(
                List.of(
                    "--cafile",
                    pki.serverCaFile.toString(),
                    "-u",
                    "tls-password",
                    "-P",
                    "password-for-tls-tests",
                    "-l")))) {
      session.writeLine(lanternJson(ts));
      awaitStored("tls-password", ts);

      CertificateAuthority renewedCa =
          CertificateAuthority.create("Lantern renewed server CA", Duration.ofDays(2));
      Path renewedCaFile = dir.resolve("renewed-ca.pem");
      renewedCa.asIssued().write(renewedCaFile, dir.resolve("renewed-ca.key"));
      Path cert = dir.resolve("renewed-server.pem");
      Path key = dir.resolve("renewed-server.key");
      renewedCa.issueServer(List.of("127.0.0.1"), Duration.ofDays(1)).write(cert, key);
      Files.move(key, pki.serverKey, StandardCopyOption.REPLACE_EXISTING);
      Files.move(cert, pki.serverCert, StandardCopyOption.REPLACE_EXISTING);

      long deadline = System.nanoTime() + AWAIT.toNanos();
      ClientProcess.Result renewed;
      do {
        Thread.sleep(100);
        renewed =
            publish(
                List.of("--cafile", renewedCaFile.toString(), "-u", "tls-password", "-P"),
                "password-for-tls-tests",
                ts + 1);
      } while (!renewed.succeeded() && System.nanoTime() < deadline);
      assertTrue(renewed.succeeded(), renewed.output());

      assertTrue(session.isAlive(), session.output());
      session.writeLine(lanternJson(ts + 2));
      awaitStored("tls-password", ts + 2);
    }
  }

  private static JsonObject device(String id) {
    return new JsonObject().put("id", id).put("type", "energy").put("zone", ZONE).put("site", id);
  }

  private static ClientProcess.Result publishWithCertificate(
      TestPki.Files cert, List<String> extra, long ts) {
    List<String> args = new ArrayList<>();
    args.addAll(
        List.of(
            "--cafile",
            pki.serverCaFile.toString(),
            "--cert",
            cert.cert().toString(),
            "--key",
            cert.key().toString()));
    args.addAll(extra);
    args.add("-m");
    args.add(lanternJson(ts));
    return ClientProcess.run(dir, command(args));
  }

  private static ClientProcess.Result publish(List<String> args, String lastArg, long ts) {
    List<String> all = new ArrayList<>(args);
    all.add(lastArg);
    all.add("-m");
    all.add(lanternJson(ts));
    return ClientProcess.run(dir, command(all));
  }

  private static List<String> command(List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(mosquittoPub.toString());
    command.addAll(
        List.of(
            "-h",
            "127.0.0.1",
            "-p",
            String.valueOf(node.mqttsPort()),
            "-q",
            "1",
            "-t",
            "telemetry"));
    command.addAll(args);
    return command;
  }

  private static String lanternJson(long ts) {
    return "{\"ts\":" + ts + ",\"m\":{\"power_kw\":1.5}}";
  }

  private static void assertStored(String device, long ts) {
    awaitStored(device, ts);
  }

  private static void awaitStored(String device, long ts) {
    influx.awaitRows(
        "SELECT * FROM energy WHERE device = '" + device + "' AND time = " + ts + "ms", 1, AWAIT);
  }

  private static double refusals() {
    return node.metrics()
        .text()
        .lines()
        .filter(line -> line.startsWith("lantern_ingest_tls_refused_total{"))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .sum();
  }

  private static String colons(String hex) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < hex.length(); i += 2) {
      text.append(i == 0 ? "" : ":").append(hex, i, i + 2);
    }
    return text.toString().toUpperCase(java.util.Locale.ROOT);
  }
}
