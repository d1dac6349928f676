package vn.lantern.ingest.coap;

import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.californium.elements.config.CertificateAuthenticationMode;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.config.DtlsConfig.DtlsRole;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.scandium.dtls.CertificateType;
import org.eclipse.californium.scandium.dtls.cipher.CipherSuite;
import org.eclipse.californium.scandium.dtls.x509.KeyManagerCertificateProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.lantern.ingest.pipeline.Pipeline;
import vn.lantern.ingest.registry.DeviceRegistry;
import vn.lantern.ingest.tls.ServerTls;

/**
 * The credentials of the CoAP DTLS endpoint: per-device pre-shared keys always, and X.509 next to
 * them when the node has a server certificate. With X.509 the node presents {@code
 * LANTERN_TLS_CERT} through the same reloading key manager as MQTT and HTTPS (a renewed certificate
 * is used from the next handshake), and a client on a certificate cipher suite must present a
 * device certificate ({@link DeviceCertificateVerifier}).
 */
final class DtlsSettings {
  private static final Logger LOG = LoggerFactory.getLogger(DtlsSettings.class);

  private static final int CONNECTOR_THREADS =
      Math.max(1, Runtime.getRuntime().availableProcessors());

  private DtlsSettings() {}

  /**
   * @param cipherSuites the suites to accept (comma-separated names), or empty for Scandium's
   *     recommended suites for the node's credentials (docs/protocols.md lists them)
   * @param maxConnections the connections the connector holds (Scandium's connection store)
   * @param tls the node's TLS, or {@code null} without a server certificate (PSK only)
   */
  static DtlsConnectorConfig build(
      Configuration config,
      InetSocketAddress address,
      String cipherSuites,
      int maxConnections,
      DeviceRegistry registry,
      Pipeline pipeline,
      ServerTls tls) {
    DtlsConnectorConfig.Builder builder =
        DtlsConnectorConfig.builder(config)
            .set(DtlsConfig.DTLS_ROLE, DtlsRole.SERVER_ONLY)
            // Scandium decrypts and encrypts every record on its connector threads, one by
            // default: that one thread bounded the node's DTLS request rate, so one per core.
            .set(DtlsConfig.DTLS_CONNECTOR_THREAD_COUNT, CONNECTOR_THREADS)
            .set(DtlsConfig.DTLS_MAX_CONNECTIONS, maxConnections)
            .setAddress(address)
            .setAdvancedPskStore(new RegistryPskStore(registry, pipeline));
    List<CipherSuite> suites = cipherSuites(cipherSuites);
    if (!suites.isEmpty()) {
      builder.set(DtlsConfig.DTLS_CIPHER_SUITES, suites);
    }
    if (tls != null && supportsX509(tls)) {
      builder
          .setCertificateIdentityProvider(
              new KeyManagerCertificateProvider(
                  tls.certificate().keyManager(), CertificateType.X_509))
          .setAdvancedCertificateVerifier(new DeviceCertificateVerifier(tls.devices()))
          // a certificate handshake without a device certificate has no identity to ingest for
          .set(DtlsConfig.DTLS_CLIENT_AUTHENTICATION_MODE, CertificateAuthenticationMode.NEEDED);
    }
    return builder.build();
  }

  /**
   * The configured suites. Their order does not matter: Scandium's server takes the first suite of
   * the client's list that it accepts.
   */
  static List<CipherSuite> cipherSuites(String names) {
    List<CipherSuite> suites = new ArrayList<>();
    for (String name : names.split(",")) {
      String trimmed = name.trim();
      if (trimmed.isEmpty()) {
        continue;
      }
      CipherSuite suite = CipherSuite.getTypeByName(trimmed);
      if (suite == null || !suite.isSupported()) {
        throw new IllegalArgumentException(
            "coaps.cipherSuites: " + trimmed + " is not a DTLS cipher suite this node supports");
      }
      suites.add(suite);
    }
    return suites;
  }

  /**
   * Whether the server certificate can serve DTLS: Scandium's certificate suites are ECDSA only.
   */
  private static boolean supportsX509(ServerTls tls) {
    X509Certificate leaf = tls.certificate().chain().get(0);
    String algorithm = leaf.getPublicKey().getAlgorithm();
    if ("EC".equals(algorithm)) {
      return true;
    }
    LOG.warn(
        "event=dtls_x509_off key_algorithm={} reason=\"DTLS certificate cipher suites need an EC"
            + " server key; CoAP over DTLS stays PSK only\"",
        algorithm);
    return false;
  }
}
