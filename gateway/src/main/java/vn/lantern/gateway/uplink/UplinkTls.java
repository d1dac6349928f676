package vn.lantern.gateway.uplink;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import vn.lantern.gateway.config.GatewayConfig;

/**
 * The TLS client side of an {@code ssl://} uplink: the CAs it trusts for the node's certificate and
 * the gateway's own certificate, from PEM files. The JDK reads PEM certificates itself; the key is
 * read here because the JDK has no PEM key reader, and PKCS#8 (what {@code lantern ca issue}
 * writes) needs only its base64 decoded.
 */
final class UplinkTls {
  private UplinkTls() {}

  /** Whether the uplink uses a client certificate (and then no secret). */
  static boolean hasClientCertificate(GatewayConfig.Uplink uplink) {
    return !uplink.certFile().isBlank();
  }

  /** The socket factory for {@code uplink}, or null to use the JVM's defaults. */
  static SSLSocketFactory socketFactory(GatewayConfig.Uplink uplink) {
    if (uplink.caFile().isBlank() && !hasClientCertificate(uplink)) {
      return null;
    }
    try {
      TrustManagerFactory trust = null;
      if (!uplink.caFile().isBlank()) {
        KeyStore cas = emptyStore();
        int i = 0;
        for (Certificate ca : certificates(Path.of(uplink.caFile()))) {
          cas.setCertificateEntry("ca-" + i++, ca);
        }
        trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(cas);
      }
      KeyManagerFactory keys = null;
      if (hasClientCertificate(uplink)) {
        KeyStore own = emptyStore();
        own.setKeyEntry(
            "gateway",
            privateKey(Path.of(uplink.keyFile())),
            new char[0],
            certificates(Path.of(uplink.certFile())).toArray(Certificate[]::new));
        keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(own, new char[0]);
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(
          keys == null ? null : keys.getKeyManagers(),
          trust == null ? null : trust.getTrustManagers(),
          null);
      return context.getSocketFactory();
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("uplink TLS files unusable: " + e.getMessage(), e);
    }
  }

  private static KeyStore emptyStore() throws IOException, GeneralSecurityException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    return store;
  }

  private static Collection<? extends Certificate> certificates(Path file)
      throws IOException, GeneralSecurityException {
    try (InputStream in = Files.newInputStream(file)) {
      Collection<? extends Certificate> certificates =
          CertificateFactory.getInstance("X.509").generateCertificates(in);
      if (certificates.isEmpty()) {
        throw new GeneralSecurityException(file + " holds no certificate");
      }
      return certificates;
    }
  }

  private static PrivateKey privateKey(Path file) throws IOException, GeneralSecurityException {
    String pem = Files.readString(file, StandardCharsets.US_ASCII);
    int begin = pem.indexOf("-----BEGIN PRIVATE KEY-----");
    int end = pem.indexOf("-----END PRIVATE KEY-----");
    if (begin < 0 || end < begin) {
      throw new GeneralSecurityException(
          file + " is not an unencrypted PKCS#8 PEM key (openssl pkcs8 -topk8 -nocrypt converts)");
    }
    byte[] der =
        Base64.getMimeDecoder()
            .decode(pem.substring(begin + "-----BEGIN PRIVATE KEY-----".length(), end));
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
    for (String algorithm : new String[] {"EC", "RSA", "Ed25519"}) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(spec);
      } catch (GeneralSecurityException notThisAlgorithm) {
        // try the next
      }
    }
    throw new GeneralSecurityException(file + ": unsupported key algorithm");
  }
}
