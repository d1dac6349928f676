package vn.lantern.ingest.coap;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.exception.ConnectorException;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.config.DtlsConfig.DtlsRole;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.scandium.dtls.cipher.CipherSuite;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedSinglePskStore;
import org.eclipse.californium.scandium.dtls.x509.SingleCertificateProvider;
import org.eclipse.californium.scandium.dtls.x509.StaticNewAdvancedCertificateVerifier;
import vn.lantern.ingest.tls.CertificateAuthority;

/** Californium clients for the tests, and the outside libcoap command-line clients. */
final class CoapTestClients {
  static final long TIMEOUT_MS = 20_000;

  static {
    CoapConfig.register();
    DtlsConfig.register();
  }

  private CoapTestClients() {}

  /** A Californium client whose DTLS endpoint authenticates with a pre-shared key. */
  static CoapClient dtls(String uri, String identity, String psk) {
    return dtls(uri, identity, psk, List.of());
  }

  /**
   * A Californium PSK client that offers only {@code suites} (any suite Scandium supports, not only
   * its recommended ones), or Scandium's defaults when empty.
   */
  static CoapClient dtls(String uri, String identity, String psk, List<CipherSuite> suites) {
    Configuration config = Configuration.createStandardWithoutFile();
    // A failed handshake must show up quickly rather than after retransmissions.
    config.set(DtlsConfig.DTLS_MAX_RETRANSMISSIONS, 1);
    DtlsConnectorConfig.Builder builder =
        DtlsConnectorConfig.builder(config)
            .set(DtlsConfig.DTLS_ROLE, DtlsRole.CLIENT_ONLY)
            .setAdvancedPskStore(
                new AdvancedSinglePskStore(identity, psk.getBytes(StandardCharsets.US_ASCII)));
    if (!suites.isEmpty()) {
      builder
          .set(DtlsConfig.DTLS_RECOMMENDED_CIPHER_SUITES_ONLY, false)
          .set(DtlsConfig.DTLS_CIPHER_SUITES, suites);
    }
    DtlsConnectorConfig dtls = builder.build();
    CoapEndpoint endpoint =
        new CoapEndpoint.Builder()
            .setConfiguration(config)
            .setConnector(new DTLSConnector(dtls))
            .build();
    CoapClient client = new CoapClient(uri);
    client.setEndpoint(endpoint);
    client.setTimeout(TIMEOUT_MS);
    return client;
  }

  /**
   * A Californium client whose DTLS endpoint authenticates with a device certificate and checks the
   * node's certificate against {@code serverCa}.
   */
  static CoapClient dtls(String uri, CertificateAuthority.Issued device, X509Certificate serverCa) {
    Configuration config = Configuration.createStandardWithoutFile();
    config.set(DtlsConfig.DTLS_MAX_RETRANSMISSIONS, 1);
    DtlsConnectorConfig dtls =
        DtlsConnectorConfig.builder(config)
            .set(DtlsConfig.DTLS_ROLE, DtlsRole.CLIENT_ONLY)
            .setCertificateIdentityProvider(
                new SingleCertificateProvider(
                    device.key(), new X509Certificate[] {device.certificate()}))
            .setAdvancedCertificateVerifier(
                StaticNewAdvancedCertificateVerifier.builder()
                    .setTrustedCertificates(serverCa)
                    .build())
            .build();
    CoapEndpoint endpoint =
        new CoapEndpoint.Builder()
            .setConfiguration(config)
            .setConnector(new DTLSConnector(dtls))
            .build();
    CoapClient client = new CoapClient(uri);
    client.setEndpoint(endpoint);
    client.setTimeout(TIMEOUT_MS);
    return client;
  }

  /** A Californium client on plain UDP. */
  static CoapClient udp(String uri) {
    CoapClient client = new CoapClient(uri);
    client.setEndpoint(
        new CoapEndpoint.Builder()
            .setConfiguration(Configuration.createStandardWithoutFile())
            .build());
    client.setTimeout(TIMEOUT_MS);
    return client;
  }

  /** POSTs and returns the response, failing the test when none comes. */
  static CoapResponse post(CoapClient client, String path, byte[] payload, int contentFormat) {
    client.setURI(baseUri(client.getURI()) + path);
    try {
      CoapResponse response = client.post(payload, contentFormat);
      if (response == null) {
        throw new AssertionError("no CoAP response from " + client.getURI());
      }
      return response;
    } catch (ConnectorException | IOException e) {
      throw new AssertionError("CoAP POST to " + client.getURI() + " failed: " + e, e);
    }
  }

  /**
   * POSTs and returns the response, or {@code null} when none came within {@code timeoutMs} or the
   * DTLS handshake failed (e.g. the node refused the client's certificate).
   */
  static CoapResponse tryPost(
      CoapClient client, String path, byte[] payload, int contentFormat, long timeoutMs) {
    client.setURI(baseUri(client.getURI()) + path);
    client.setTimeout(timeoutMs);
    try {
      return client.post(payload, contentFormat);
    } catch (ConnectorException | IOException e) {
      return null;
    } finally {
      client.setTimeout(TIMEOUT_MS);
    }
  }

  static void close(CoapClient client) {
    client.getEndpoint().destroy();
    client.shutdown();
  }

  private static String baseUri(String uri) {
    int pathStart = uri.indexOf('/', uri.indexOf("//") + 2);
    return pathStart < 0 ? uri : uri.substring(0, pathStart);
  }

  /** Output and exit status of an outside command. */
  record Run(int exit, String output) {}

  /**
   * POSTs {@code payload} with a libcoap client, waiting at most {@code waitSeconds} for the
   * answer.
   *
   * @param credentials the client's own options, e.g. {@code -u id -k psk} or {@code -c cert -j key
   *     -C ca}; none on plain UDP
   */
  static Run libcoapPost(
      String binary,
      int contentFormat,
      int waitSeconds,
      String payload,
      String uri,
      String... credentials)
      throws IOException, InterruptedException {
    List<String> args = new ArrayList<>();
    args.addAll(
        List.of(
            "-m", "post", "-t", String.valueOf(contentFormat), "-B", String.valueOf(waitSeconds)));
    args.addAll(List.of(credentials));
    args.addAll(List.of("-e", payload, uri));
    return libcoap(binary, args.toArray(String[]::new));
  }

  /**
   * Runs a libcoap client (from Debian's libcoap3-bin). Missing binaries fail the test: the tests
   * prove interoperability with a client we did not write.
   */
  private static Run libcoap(String binary, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(binary);
    command.addAll(List.of(args));
    Process process;
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new AssertionError(
          binary + " is required (Debian/Ubuntu: apt-get install libcoap3-bin): " + e.getMessage(),
          e);
    }
    if (!process.waitFor(TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(binary + " did not finish within " + TIMEOUT_MS + " ms");
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Run(process.exitValue(), output);
  }
}
