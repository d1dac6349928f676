package vn.lantern.common.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The client side of a TLS or DTLS uplink (gateway, simulator), from PEM files: the CAs trusted for
 * the node's certificate, and optionally the client's own certificate and key (CN = device or
 * gateway id, e.g. from {@code ./lantern ca issue}). The JDK reads PEM certificates itself; the key
 * is read here because the JDK has no PEM key reader, and PKCS#8 (what {@code lantern ca issue}
 * writes) needs only its base64 decoded, which spares the uplinks a crypto library.
 *
 * @param caFile PEM bundle of the CAs that sign the node's certificate, or {@code null} for the
 *     JVM's default trust
 * @param certFile PEM client certificate (chain, leaf first), or {@code null} for none
 * @param keyFile its unencrypted PKCS#8 PEM key, or {@code null} when there is no certificate
 */
public record ClientTls(Path caFile, Path certFile, Path keyFile) {
  private static final String BEGIN_KEY = "-----BEGIN PRIVATE KEY-----";
  private static final String END_KEY = "-----END PRIVATE KEY-----";

  public ClientTls {
    if ((certFile == null) != (keyFile == null)) {
      throw new IllegalArgumentException("a client certificate needs both its file and its key");
    }
  }

  /** Whether the client logs in with a certificate (and then sends no secret). */
  public boolean hasClientCertificate() {
    return certFile != null;
  }

  /** The CAs of {@link #caFile}; empty when none is given. */
  public List<X509Certificate> trustedCas() {
    return caFile == null ? List.of() : certificates(caFile);
  }

  /** The client certificate chain, leaf first. */
  public X509Certificate[] certificateChain() {
    return certificates(certFile).toArray(X509Certificate[]::new);
  }

  /** The client certificate's private key. */
  public PrivateKey privateKey() {
    String pem;
    try {
      pem = Files.readString(keyFile, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + keyFile + ": " + e.getMessage(), e);
    }
    int begin = pem.indexOf(BEGIN_KEY);
    int end = pem.indexOf(END_KEY);
    if (begin < 0 || end < begin) {
      throw new IllegalArgumentException(
          keyFile
              + " is not an unencrypted PKCS#8 PEM key (openssl pkcs8 -topk8 -nocrypt converts)");
    }
    byte[] der = Base64.getMimeDecoder().decode(pem.substring(begin + BEGIN_KEY.length(), end));
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
    for (String algorithm : new String[] {"EC", "RSA", "Ed25519"}) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(spec);
      } catch (GeneralSecurityException notThisAlgorithm) {
        // try the next
      }
    }
    throw new IllegalArgumentException(keyFile + ": unsupported key algorithm");
  }

  /** A TLS context trusting {@link #caFile} (or the JVM's CAs) with the client certificate. */
  public SSLContext sslContext() {
    try {
      TrustManagerFactory trust = null;
      if (caFile != null) {
        KeyStore cas = emptyStore();
        int i = 0;
        for (X509Certificate ca : trustedCas()) {
          cas.setCertificateEntry("ca-" + i++, ca);
        }
        trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(cas);
      }
      KeyManagerFactory keys = null;
      if (hasClientCertificate()) {
        KeyStore own = emptyStore();
        own.setKeyEntry("client", privateKey(), new char[0], certificateChain());
        keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(own, new char[0]);
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(
          keys == null ? null : keys.getKeyManagers(),
          trust == null ? null : trust.getTrustManagers(),
          null);
      return context;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("TLS files unusable: " + e.getMessage(), e);
    }
  }

  private static KeyStore emptyStore() throws IOException, GeneralSecurityException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    return store;
  }

  private static List<X509Certificate> certificates(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      List<X509Certificate> certificates =
          CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
              .map(X509Certificate.class::cast)
              .toList();
      if (certificates.isEmpty()) {
        throw new IllegalArgumentException(file + " holds no certificate");
      }
      return certificates;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
