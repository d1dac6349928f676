package vn.lantern.ingest.coap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static vn.lantern.ingest.coap.CoapTestClients.post;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import vn.lantern.deploy.testing.TestNode;
import vn.lantern.ingest.tls.CertificateAuthority;
import vn.lantern.ingest.tls.TestPki;
import vn.lantern.testing.InfluxDbExtension;
import vn.lantern.testing.TestInflux;

/**
 * CoAP over DTLS with device certificates, next to PSK: the node presents its TLS certificate (a
 * renewed one from the next handshake, without restart), devices log in with a certificate from the
 * device CA (CN = id) or a pinned one, bad certificates fail the handshake and are counted, and
 * revoking a device drops its DTLS session. Clients: Californium in this JVM and libcoap's {@code
 * coap-client-openssl}.
 */
@ExtendWith(InfluxDbExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CoapCertificateTest {
  private static final Duration AWAIT = Duration.ofSeconds(20);
  private static final String ZONE = "hoi-an";

  /** How long a request on a dropped session may wait for an answer that must not come. */
  private static final long NO_ANSWER_MS = 3_000;

  @TempDir static Path dir;
  private static TestPki pki;
  private static TestNode node;
  private static TestInflux influx;

  @BeforeAll
  static void startNode(TestInflux testInflux) throws Exception {
    influx = testInflux;
    pki = new TestPki(dir);
    node =
        TestNode.builder(dir.resolve("node"), influx.url(), influx.database())
            .set("rules.seedRulePacks", false)
            .set("http.port", -1)
            .set("tls.cert", pki.serverCert.toString())
            .set("tls.key", pki.serverKey.toString())
            .set("tls.deviceCa", pki.deviceCaFile.toString())
            .set("tls.reloadCheckMs", "100")
            .start();
    for (String id : List.of("dtls-ca", "dtls-libcoap", "dtls-other-ca", "dtls-revoked")) {
      node.register(device(id));
    }
    node.register(device("dtls-psk").put("psk", "dtls-psk-0123456789abcdef"));
  }

  @AfterAll
  static void stopNode() throws Exception {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void deviceCertificateFromTheDeviceCaIsStored() {
    CoapClient client =
        client(pki.deviceCa.issueDevice("dtls-ca", Duration.ofDays(1)), pki.serverCa);
    try {
      long ts = System.currentTimeMillis() - 30_000;
      CoapResponse response =
          post(client, "/telemetry", lanternJson(ts), MediaTypeRegistry.APPLICATION_JSON);
      assertEquals(ResponseCode.CHANGED, response.getCode(), response.getResponseText());
      awaitStored("dtls-ca", ts);
    } finally {
      CoapTestClients.close(client);
    }
  }

  @Test
  void pinnedCertificateFromAnyIssuerIsStored() {
    CertificateAuthority.Issued issued = pki.rogueCa.issueDevice("dtls-pinned", Duration.ofDays(1));
    node.register(device("dtls-pinned").put("certSha256", issued.sha256()));
    CoapClient client = client(issued, pki.serverCa);
    try {
      long ts = System.currentTimeMillis() - 29_000;
      CoapResponse response =
          post(client, "/telemetry", lanternJson(ts), MediaTypeRegistry.APPLICATION_JSON);
      assertEquals(ResponseCode.CHANGED, response.getCode(), response.getResponseText());
      awaitStored("dtls-pinned", ts);
    } finally {
      CoapTestClients.close(client);
    }
  }

  @Test
  void pskStillWorksNextToCertificates() {
    CoapClient client = CoapTestClients.dtls(coapsUri(), "dtls-psk", "dtls-psk-0123456789abcdef");
    try {
      long ts = System.currentTimeMillis() - 28_000;
      CoapResponse response =
          post(client, "/telemetry", lanternJson(ts), MediaTypeRegistry.APPLICATION_JSON);
      assertEquals(ResponseCode.CHANGED, response.getCode(), response.getResponseText());
      awaitStored("dtls-psk", ts);
    } finally {
      CoapTestClients.close(client);
    }
  }

  @Test
  void badCertificatesFailTheHandshakeAndAreCounted() {
    double before = refusals();
    List<CertificateAuthority.Issued> refused =
        List.of(
            pki.deviceCa.issueDevice(
                "dtls-ca",
                Instant.now().minus(Duration.ofDays(3)),
                Instant.now().minus(Duration.ofDays(1))),
            pki.rogueCa.issueDevice("dtls-other-ca", Duration.ofDays(1)),
            pki.deviceCa.issueDevice("dtls-no-such-device", Duration.ofDays(1)));
    for (CertificateAuthority.Issued certificate : refused) {
      CoapClient client = client(certificate, pki.serverCa);
      try {
        assertNull(
            CoapTestClients.tryPost(
                client,
                "/telemetry",
                lanternJson(System.currentTimeMillis()),
                MediaTypeRegistry.APPLICATION_JSON,
                NO_ANSWER_MS),
            certificate.certificate().getSubjectX500Principal() + " was accepted");
      } finally {
        CoapTestClients.close(client);
      }
    }
    assertEquals(before + refused.size(), refusals(), 0.0);
  }

  @Test
  void aClientTrustingAnotherCaRefusesTheNode() {
    CoapClient client =
        client(pki.deviceCa.issueDevice("dtls-ca", Duration.ofDays(1)), pki.rogueCa);
    try {
      assertNull(
          CoapTestClients.tryPost(
              client,
              "/telemetry",
              lanternJson(System.currentTimeMillis()),
              MediaTypeRegistry.APPLICATION_JSON,
              NO_ANSWER_MS));
    } finally {
      CoapTestClients.close(client);
    }
  }

  @Test
  void libcoapClientWithADeviceCertificateIsStored() throws Exception {
    TestPki.Files cert =
        pki.write(pki.deviceCa.issueDevice("dtls-libcoap", Duration.ofDays(1)), "libcoap");
    long ts = System.currentTimeMillis() - 27_000;
    CoapTestClients.Run run =
        CoapTestClients.libcoapPost(
            "coap-client-openssl",
            50,
            15,
            new String(lanternJson(ts), StandardCharsets.UTF_8),
            coapsUri() + "/telemetry",
            "-c",
            cert.cert().toString(),
            "-j",
            cert.key().toString(),
            "-C",
            pki.serverCaFile.toString());
    assertEquals(0, run.exit(), run.output());
    awaitStored("dtls-libcoap", ts);
  }

  @Test
  void libcoapClientWithACertificateFromAnotherCaIsRefused() throws Exception {
    TestPki.Files cert =
        pki.write(pki.rogueCa.issueDevice("dtls-libcoap", Duration.ofDays(1)), "libcoap-rogue");
    double before = refusals();
    CoapTestClients.Run run =
        CoapTestClients.libcoapPost(
            "coap-client-openssl",
            50,
            5,
            new String(lanternJson(System.currentTimeMillis()), StandardCharsets.UTF_8),
            coapsUri() + "/telemetry",
            "-c",
            cert.cert().toString(),
            "-j",
            cert.key().toString(),
            "-C",
            pki.serverCaFile.toString());
    // coap-client exits 0 after a failed handshake; it reports the node's alert
    assertTrue(run.output().contains("alert read:fatal:bad certificate"), run.output());
    assertEquals(before + 1, refusals(), 0.0);
  }

  @Test
  void disablingTheDeviceDropsItsDtlsSessionAndRefusesItsCertificate() {
    CertificateAuthority.Issued issued =
        pki.deviceCa.issueDevice("dtls-revoked", Duration.ofDays(1));
    long ts = System.currentTimeMillis() - 26_000;
    CoapClient client = client(issued, pki.serverCa);
    try {
      assertEquals(
          ResponseCode.CHANGED,
          post(client, "/telemetry", lanternJson(ts), MediaTypeRegistry.APPLICATION_JSON)
              .getCode());
      awaitStored("dtls-revoked", ts);

      TestNode.Response disabled =
          node.http(
              "PUT",
              TestNode.devicePath("dtls-revoked"),
              device("dtls-revoked").put("disabled", true));
      assertEquals(200, disabled.status(), disabled.body());

      // The node forgot the session: the open client's next request gets no answer.
      assertNull(
          CoapTestClients.tryPost(
              client,
              "/telemetry",
              lanternJson(ts + 1),
              MediaTypeRegistry.APPLICATION_JSON,
              NO_ANSWER_MS));
    } finally {
      CoapTestClients.close(client);
    }
    double before = refusals();
    CoapClient again = client(issued, pki.serverCa);
    try {
      assertNull(
          CoapTestClients.tryPost(
              again,
              "/telemetry",
              lanternJson(System.currentTimeMillis()),
              MediaTypeRegistry.APPLICATION_JSON,
              NO_ANSWER_MS));
    } finally {
      CoapTestClients.close(again);
    }
    assertEquals(before + 1, refusals(), 0.0);
    assertTrue(
        influx
            .query("SELECT * FROM energy WHERE device = 'dtls-revoked' AND time > " + ts + "ms")
            .isEmpty(),
        "a reading sent after the revocation was stored");
  }

  @Test
  @Order(Integer.MAX_VALUE) // it replaces the certificate the other tests trust
  void renewedServerCertificateIsPresentedWithoutRestart() throws Exception {
    CertificateAuthority renewedCa =
        CertificateAuthority.create("Lantern renewed server CA", Duration.ofDays(2));
    Path cert = dir.resolve("renewed-server.pem");
    Path key = dir.resolve("renewed-server.key");
    renewedCa.issueServer(List.of("127.0.0.1"), Duration.ofDays(1)).write(cert, key);
    Files.move(key, pki.serverKey, StandardCopyOption.REPLACE_EXISTING);
    Files.move(cert, pki.serverCert, StandardCopyOption.REPLACE_EXISTING);

    CertificateAuthority.Issued device = pki.deviceCa.issueDevice("dtls-ca", Duration.ofDays(1));
    long ts = System.currentTimeMillis() - 25_000;
    long deadline = System.nanoTime() + AWAIT.toNanos();
    CoapResponse response;
    do {
      Thread.sleep(100);
      CoapClient client = client(device, renewedCa);
      try {
        response =
            CoapTestClients.tryPost(
                client, "/telemetry", lanternJson(ts), MediaTypeRegistry.APPLICATION_JSON, 5_000);
      } finally {
        CoapTestClients.close(client);
      }
    } while (response == null && System.nanoTime() < deadline);
    assertNotNull(response, "no handshake with the renewed certificate");
    assertEquals(ResponseCode.CHANGED, response.getCode(), response.getResponseText());
    awaitStored("dtls-ca", ts);
  }

  private static CoapClient client(
      CertificateAuthority.Issued device, CertificateAuthority trustedServerCa) {
    return CoapTestClients.dtls(coapsUri(), device, trustedServerCa.certificate());
  }

  private static String coapsUri() {
    return "coaps://127.0.0.1:" + node.node().ingest().coapsPort();
  }

  private static JsonObject device(String id) {
    return new JsonObject().put("id", id).put("type", "energy").put("zone", ZONE).put("site", id);
  }

  private static byte[] lanternJson(long ts) {
    return ("{\"ts\":" + ts + ",\"m\":{\"power_kw\":1.5}}").getBytes(StandardCharsets.UTF_8);
  }

  private static double refusals() {
    return node.metrics().value("lantern_ingest_tls_refused_total", "protocol", "coap");
  }

  private static void awaitStored(String device, long ts) {
    influx.awaitRows(
        "SELECT * FROM energy WHERE device = '" + device + "' AND time = " + ts + "ms", 1, AWAIT);
  }
}
