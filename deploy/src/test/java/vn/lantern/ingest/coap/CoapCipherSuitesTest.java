package vn.lantern.ingest.coap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.elements.DtlsEndpointContext;
import org.eclipse.californium.scandium.dtls.cipher.CipherSuite;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import vn.lantern.testing.InfluxDbExtension;
import vn.lantern.testing.TestInflux;

/**
 * The DTLS cipher suites docs/protocols.md lists: a Californium client handshakes with each,
 * OpenSSL (libcoap) with the node's defaults, and a node narrowed with {@code coaps.cipherSuites}
 * to CoAP's mandatory {@code TLS_PSK_WITH_AES_128_CCM_8} still serves both clients with that suite.
 */
@ExtendWith(InfluxDbExtension.class)
class CoapCipherSuitesTest {
  /** The PSK suites of docs/protocols.md, "DTLS cipher suites". */
  private static final List<CipherSuite> DOCUMENTED =
      List.of(
          CipherSuite.TLS_ECDHE_PSK_WITH_AES_128_GCM_SHA256,
          CipherSuite.TLS_ECDHE_PSK_WITH_AES_256_GCM_SHA378,
          CipherSuite.TLS_ECDHE_PSK_WITH_AES_128_CCM_8_SHA256,
          CipherSuite.TLS_ECDHE_PSK_WITH_AES_128_CCM_SHA256,
          CipherSuite.TLS_PSK_WITH_AES_128_GCM_SHA256,
          CipherSuite.TLS_PSK_WITH_AES_256_GCM_SHA378,
          CipherSuite.TLS_PSK_WITH_AES_128_CCM_8,
          CipherSuite.TLS_PSK_WITH_AES_256_CCM_8,
          CipherSuite.TLS_PSK_WITH_AES_128_CCM,
          CipherSuite.TLS_PSK_WITH_AES_256_CCM);

  private static final String DEVICE = "tamky-wl-03";
  private static final String PSK = "wl03-psk-0123456789abcdef";

  @Test
  void eachDocumentedSuiteHandshakesAndNoOther(@TempDir Path dataDir, TestInflux influx)
      throws Exception {
    try (CoapTestNode node = node(dataDir, influx, Map.of())) {
      for (CipherSuite suite : DOCUMENTED) {
        assertEquals(suite, negotiated(node, List.of(suite)), "offering only " + suite);
      }
      CoapClient cbc =
          CoapTestClients.dtls(
              node.coapsUri("/telemetry"),
              DEVICE,
              PSK,
              List.of(CipherSuite.TLS_PSK_WITH_AES_128_CBC_SHA256));
      try {
        assertNull(
            CoapTestClients.tryPost(cbc, "/telemetry", reading(), 50, 5_000),
            "a CBC suite is not accepted");
      } finally {
        CoapTestClients.close(cbc);
      }
      assertOpensslPostAccepted(node);
    }
  }

  @Test
  void nodeNarrowedToCcm8ServesCaliforniumAndOpenssl(@TempDir Path dataDir, TestInflux influx)
      throws Exception {
    try (CoapTestNode node =
        node(dataDir, influx, Map.of("coaps.cipherSuites", "TLS_PSK_WITH_AES_128_CCM_8"))) {
      // Californium's default offer puts ECDHE and GCM first: the node picks CCM_8 from it
      assertEquals(CipherSuite.TLS_PSK_WITH_AES_128_CCM_8, negotiated(node, List.of()));
      assertOpensslPostAccepted(node);
    }
  }

  private static CoapTestNode node(Path dataDir, TestInflux influx, Map<String, String> settings)
      throws Exception {
    CoapTestNode node =
        CoapTestNode.start(dataDir, influx.url(), influx.database(), 30_000, settings);
    node.register(
        new JsonObject()
            .put("id", DEVICE)
            .put("type", "water_level")
            .put("zone", "hoi-an")
            .put("site", "Cau Tam Ky")
            .put("psk", PSK));
    return node;
  }

  /** Posts a reading with a client offering {@code suites}; the suite its session uses. */
  private static CipherSuite negotiated(CoapTestNode node, List<CipherSuite> suites) {
    CoapClient client = CoapTestClients.dtls(node.coapsUri("/telemetry"), DEVICE, PSK, suites);
    try {
      CoapResponse response = CoapTestClients.post(client, "/telemetry", reading(), 50);
      assertEquals(ResponseCode.CHANGED, response.getCode(), response.getResponseText());
      return CipherSuite.getTypeByName(
          response.advanced().getSourceContext().getString(DtlsEndpointContext.KEY_CIPHER));
    } finally {
      CoapTestClients.close(client);
    }
  }

  /** coap-client-openssl posts a reading, and the node accepts it (after storing it). */
  private static void assertOpensslPostAccepted(CoapTestNode node) throws Exception {
    double accepted = node.messages("accepted");
    CoapTestClients.Run run =
        CoapTestClients.libcoapPost(
            "coap-client-openssl",
            50,
            15,
            new String(reading(), StandardCharsets.UTF_8),
            node.coapsUri("/telemetry"),
            "-u",
            DEVICE,
            "-k",
            PSK);
    assertEquals(0, run.exit(), run.output());
    assertEquals(accepted + 1, node.messages("accepted"), run.output());
  }

  private static byte[] reading() {
    return "{\"m\": {\"level\": 1.5}}".getBytes(StandardCharsets.UTF_8);
  }
}
