package vn.lantern.ingest.tls;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.lantern.ingest.IngestMeters;
import vn.lantern.ingest.registry.Device;
import vn.lantern.ingest.registry.DeviceRegistry;

/**
 * Decides which device a client certificate belongs to. A certificate names its device by its CN
 * and is accepted when it is within its validity and either
 *
 * <ul>
 *   <li>its SHA-256 fingerprint is the device's pinned {@code certSha256} (a pin, when set, is
 *       always required, so changing it revokes the old certificate), or
 *   <li>the device has no pin and the certificate chains to a CA of {@code LANTERN_DEVICE_CA}.
 * </ul>
 *
 * The device must be registered and not disabled. The check runs in the TLS handshake (so a bad,
 * expired or unknown certificate never gets a connection) and again when the client says who it is.
 * Refusals are counted as {@code lantern_ingest_tls_refused{protocol,reason}}.
 */
public final class DeviceCertificates {
  private static final Logger LOG = LoggerFactory.getLogger(DeviceCertificates.class);

  private final DeviceRegistry registry;
  private final X509TrustManager caTrust;
  private final MeterRegistry metrics;
  private final Map<String, Counter> refusals = new ConcurrentHashMap<>();

  /** Why a certificate was refused; the metric's {@code reason} tag. */
  public enum Refusal {
    EXPIRED,
    UNKNOWN_DEVICE,
    PIN_MISMATCH,
    UNTRUSTED,
    NO_COMMON_NAME,
    DISABLED,
    NAME_MISMATCH;

    String tag() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** A certificate that does not authenticate a device, with the reason. */
  public static final class RefusedCertificateException extends CertificateException {
    private static final long serialVersionUID = 1L;
    private final transient Refusal reason;

    RefusedCertificateException(Refusal reason, String message) {
      super(message);
      this.reason = reason;
    }

    public Refusal reason() {
      return reason;
    }
  }

  /**
   * @param caBundle PEM file of the CAs that sign device certificates, or {@code null} when devices
   *     may only use pinned certificates
   */
  public DeviceCertificates(DeviceRegistry registry, Path caBundle, MeterRegistry metrics) {
    this.registry = registry;
    this.caTrust = caBundle == null ? null : pkixTrust(caBundle);
    this.metrics = metrics;
  }

  /** Whether devices may present CA-signed certificates (not only pinned ones). */
  public boolean hasDeviceCa() {
    return caTrust != null;
  }

  /**
   * The device a client's certificate chain (leaf first) authenticates.
   *
   * @throws RefusedCertificateException when it authenticates none
   */
  public Device verify(X509Certificate[] chain) throws RefusedCertificateException {
    if (chain == null || chain.length == 0) {
      throw new RefusedCertificateException(Refusal.UNTRUSTED, "no client certificate");
    }
    X509Certificate leaf = chain[0];
    try {
      leaf.checkValidity();
    } catch (CertificateExpiredException | CertificateNotYetValidException e) {
      throw new RefusedCertificateException(Refusal.EXPIRED, "certificate outside its validity");
    }
    String id =
        CertificateFingerprint.commonName(leaf)
            .orElseThrow(
                () ->
                    new RefusedCertificateException(
                        Refusal.NO_COMMON_NAME, "certificate has no CN"));
    Device device =
        registry
            .device(id)
            .orElseThrow(
                () ->
                    new RefusedCertificateException(
                        Refusal.UNKNOWN_DEVICE, "no device '" + id + "' is registered"));
    if (device.disabled()) {
      throw new RefusedCertificateException(Refusal.DISABLED, "device " + id + " is disabled");
    }
    if (device.certSha256() != null) {
      byte[] pinned = device.certSha256().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      byte[] actual =
          CertificateFingerprint.sha256(leaf).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      if (!MessageDigest.isEqual(pinned, actual)) {
        throw new RefusedCertificateException(
            Refusal.PIN_MISMATCH, "certificate is not the one pinned for " + id);
      }
      return device;
    }
    if (caTrust == null) {
      throw new RefusedCertificateException(
          Refusal.UNTRUSTED, "device " + id + " pins no certificate and no device CA is set");
    }
    try {
      caTrust.checkClientTrusted(chain, leaf.getPublicKey().getAlgorithm());
    } catch (CertificateException e) {
      throw new RefusedCertificateException(
          Refusal.UNTRUSTED, "certificate not signed by a device CA");
    }
    return device;
  }

  /**
   * The device a certificate authenticates when the client also sent MQTT-style credentials:
   * username and password must each be empty or name the same device.
   */
  public Optional<Device> authenticate(
      String protocol, X509Certificate[] chain, String username, String password) {
    try {
      Device device = verify(chain);
      if (!emptyOrId(username, device.id()) || !emptyOrId(password, device.id())) {
        throw new RefusedCertificateException(
            Refusal.NAME_MISMATCH, "credentials name another device than the certificate");
      }
      return Optional.of(device);
    } catch (RefusedCertificateException e) {
      refused(protocol, e, chain);
      return Optional.empty();
    }
  }

  /**
   * {@link #verify} for a handshake on a listener of {@code protocol}: a refusal is also counted
   * and logged.
   */
  public Device check(String protocol, X509Certificate[] chain) throws RefusedCertificateException {
    try {
      return verify(chain);
    } catch (RefusedCertificateException e) {
      refused(protocol, e, chain);
      throw e;
    }
  }

  /** The trust manager a TLS listener of {@code protocol} uses to check client certificates. */
  public TrustManager trustManager(String protocol) {
    return new X509TrustManager() {
      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType)
          throws CertificateException {
        check(protocol, chain);
      }

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType)
          throws CertificateException {
        throw new CertificateException("a device trust manager checks clients only");
      }

      @Override
      public X509Certificate[] getAcceptedIssuers() {
        // No issuer list in the certificate request: pinned devices may hold self-signed
        // certificates, which a client would otherwise not send.
        return new X509Certificate[0];
      }
    };
  }

  private void refused(String protocol, RefusedCertificateException e, X509Certificate[] chain) {
    refusals
        .computeIfAbsent(
            protocol + '/' + e.reason().tag(),
            key ->
                Counter.builder(IngestMeters.TLS_REFUSED)
                    .description("client certificates refused, by protocol and reason")
                    .tag("protocol", protocol)
                    .tag("reason", e.reason().tag())
                    .register(metrics))
        .increment();
    String subject =
        chain == null || chain.length == 0
            ? ""
            : chain[0].getSubjectX500Principal().getName().replace('"', '\'');
    LOG.warn(
        "event=client_certificate_refused protocol={} reason={} subject=\"{}\"",
        protocol,
        e.reason().tag(),
        subject);
  }

  private static boolean emptyOrId(String value, String id) {
    return value == null || value.isEmpty() || value.equals(id);
  }

  private static X509TrustManager pkixTrust(Path caBundle) {
    List<X509Certificate> cas = CertificateAuthority.Pem.certificates(caBundle);
    if (cas.isEmpty()) {
      throw new IllegalArgumentException("device CA bundle " + caBundle + " holds no certificate");
    }
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      for (int i = 0; i < cas.size(); i++) {
        store.setCertificateEntry("device-ca-" + i, cas.get(i));
      }
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      for (TrustManager manager : factory.getTrustManagers()) {
        if (manager instanceof X509TrustManager x509) {
          return x509;
        }
      }
      throw new IllegalStateException("no X.509 trust manager");
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalArgumentException("cannot use device CA bundle " + caBundle + ": " + e, e);
    }
  }
}
