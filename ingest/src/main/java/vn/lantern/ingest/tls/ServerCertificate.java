package vn.lantern.ingest.tls;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.PemKeyCertOptions;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's TLS server certificate and key, read from PEM files and re-read when they change, for
 * every TLS listener (MQTT, HTTPS, DTLS). The listeners are given one key manager that delegates to
 * the current pair: a renewed certificate is used by the next handshake, and connections already
 * open keep theirs. Hand-written because Vert.x's MQTT server has no {@code updateSSLOptions}, and
 * one mechanism for every listener is simpler than one per server type.
 */
public final class ServerCertificate {
  private static final Logger LOG = LoggerFactory.getLogger(ServerCertificate.class);

  private final Vertx vertx;
  private final Path certFile;
  private final Path keyFile;
  private final SwitchingKeyManager keyManager = new SwitchingKeyManager();
  private volatile FileStamp stamp;
  private volatile List<X509Certificate> chain;
  private volatile PrivateKey key;
  private long timer = -1;

  private record FileStamp(long certModified, long certSize, long keyModified, long keySize) {
    static FileStamp of(Path cert, Path key) throws IOException {
      return new FileStamp(
          Files.getLastModifiedTime(cert).toMillis(),
          Files.size(cert),
          Files.getLastModifiedTime(key).toMillis(),
          Files.size(key));
    }
  }

  private ServerCertificate(Vertx vertx, Path certFile, Path keyFile) {
    this.vertx = vertx;
    this.certFile = certFile;
    this.keyFile = keyFile;
  }

  /**
   * Loads the certificate chain and key (blocking: call from a worker or at start) and checks the
   * files for changes every {@code reloadCheckMs} (0 never).
   *
   * @throws IllegalArgumentException when the files cannot be read or do not form a pair
   */
  public static ServerCertificate load(
      Vertx vertx, Path certFile, Path keyFile, long reloadCheckMs) {
    ServerCertificate certificate = new ServerCertificate(vertx, certFile, keyFile);
    certificate.reload();
    if (reloadCheckMs > 0) {
      certificate.timer = vertx.setPeriodic(reloadCheckMs, id -> certificate.checkForChange());
    }
    return certificate;
  }

  /** The key material for a Vert.x server's options; it follows reloads. */
  public KeyCertOptions keyCertOptions() {
    return KeyCertOptions.wrap(keyManager);
  }

  /**
   * The key manager behind {@link #keyCertOptions}, for listeners outside Vert.x (the DTLS
   * endpoint): it always hands out the current pair.
   */
  public X509ExtendedKeyManager keyManager() {
    return keyManager;
  }

  /** The current certificate chain, leaf first. */
  public List<X509Certificate> chain() {
    return chain;
  }

  /** The current private key. */
  public PrivateKey privateKey() {
    return key;
  }

  /** Stops watching the files. */
  public void close() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  private void checkForChange() {
    vertx
        .executeBlocking(
            () -> {
              reloadIfChanged();
              return null;
            },
            false)
        .onFailure(
            e ->
                LOG.warn(
                    "event=tls_certificate_reload_failed cert={} error=\"{}\" keeping=current",
                    certFile,
                    e.getMessage()));
  }

  private synchronized void reloadIfChanged() throws IOException {
    if (!FileStamp.of(certFile, keyFile).equals(stamp)) {
      reload();
    }
  }

  private synchronized void reload() {
    try {
      FileStamp before = FileStamp.of(certFile, keyFile);
      List<X509Certificate> newChain = CertificateAuthority.Pem.certificates(certFile);
      if (newChain.isEmpty()) {
        throw new IllegalArgumentException(certFile + " holds no certificate");
      }
      PemKeyCertOptions pem =
          new PemKeyCertOptions()
              .setCertValue(Buffer.buffer(Files.readAllBytes(certFile)))
              .setKeyValue(Buffer.buffer(Files.readAllBytes(keyFile)));
      X509ExtendedKeyManager next = null;
      for (KeyManager manager : pem.getKeyManagerFactory(vertx).getKeyManagers()) {
        if (manager instanceof X509ExtendedKeyManager extended) {
          next = extended;
        }
      }
      if (next == null) {
        throw new IllegalArgumentException("no usable key in " + keyFile);
      }
      keyManager.delegate = next;
      chain = newChain;
      key = CertificateAuthority.Pem.privateKey(keyFile);
      boolean first = stamp == null;
      stamp = before;
      X509Certificate leaf = newChain.get(0);
      LOG.info(
          "event={} subject=\"{}\" not_after={} sha256={}",
          first ? "tls_certificate_loaded" : "tls_certificate_reloaded",
          leaf.getSubjectX500Principal().getName(),
          leaf.getNotAfter().toInstant(),
          CertificateFingerprint.sha256(leaf));
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read TLS certificate " + certFile + " / key " + keyFile + ": " + e, e);
    } catch (Exception e) {
      if (e instanceof IllegalArgumentException) {
        throw (IllegalArgumentException) e;
      }
      throw new IllegalArgumentException(
          "bad TLS certificate " + certFile + " / key " + keyFile + ": " + e.getMessage(), e);
    }
  }

  /** Hands every call to the key manager of the current pair. */
  private static final class SwitchingKeyManager extends X509ExtendedKeyManager {
    private volatile X509ExtendedKeyManager delegate;

    private X509ExtendedKeyManager current() {
      return Objects.requireNonNull(delegate, "no TLS certificate loaded");
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
      return current().getClientAliases(keyType, issuers);
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
      return current().chooseClientAlias(keyType, issuers, socket);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
      return current().getServerAliases(keyType, issuers);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
      return current().chooseServerAlias(keyType, issuers, socket);
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
      return current().chooseEngineServerAlias(keyType, issuers, engine);
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
      return current().chooseEngineClientAlias(keyType, issuers, engine);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
      return current().getCertificateChain(alias);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
      return current().getPrivateKey(alias);
    }
  }
}
