package vn.lantern.ingest.coap;

import java.net.InetSocketAddress;
import java.security.cert.CertPath;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.eclipse.californium.scandium.dtls.AlertMessage;
import org.eclipse.californium.scandium.dtls.AlertMessage.AlertDescription;
import org.eclipse.californium.scandium.dtls.AlertMessage.AlertLevel;
import org.eclipse.californium.scandium.dtls.CertificateMessage;
import org.eclipse.californium.scandium.dtls.CertificateType;
import org.eclipse.californium.scandium.dtls.CertificateVerificationResult;
import org.eclipse.californium.scandium.dtls.ConnectionId;
import org.eclipse.californium.scandium.dtls.HandshakeException;
import org.eclipse.californium.scandium.dtls.HandshakeResultHandler;
import org.eclipse.californium.scandium.dtls.x509.NewAdvancedCertificateVerifier;
import org.eclipse.californium.scandium.util.ServerNames;
import vn.lantern.ingest.tls.DeviceCertificates;
import vn.lantern.ingest.tls.DeviceCertificates.RefusedCertificateException;

/**
 * Checks a device's DTLS client certificate with the same rules as MQTT over TLS ({@link
 * DeviceCertificates}: CN = a registered, enabled device, and its pinned fingerprint or a device
 * CA); a refusal fails the handshake with an alert and is counted under protocol {@code coap}.
 * Answers synchronously from the registry's memory.
 */
final class DeviceCertificateVerifier implements NewAdvancedCertificateVerifier {
  private final DeviceCertificates devices;

  DeviceCertificateVerifier(DeviceCertificates devices) {
    this.devices = devices;
  }

  @Override
  public List<CertificateType> getSupportedCertificateTypes() {
    return List.of(CertificateType.X_509);
  }

  @Override
  public CertificateVerificationResult verifyCertificate(
      ConnectionId cid,
      ServerNames serverName,
      InetSocketAddress remotePeer,
      boolean clientUsage,
      boolean verifySubject,
      boolean truncateCertificatePath,
      CertificateMessage message) {
    CertPath path = message.getCertificateChain();
    X509Certificate[] chain =
        path == null
            ? new X509Certificate[0]
            : path.getCertificates().stream()
                .map(X509Certificate.class::cast)
                .toArray(X509Certificate[]::new);
    try {
      devices.check(CoapEndpoint.PROTOCOL, chain);
      return new CertificateVerificationResult(cid, path, null);
    } catch (RefusedCertificateException e) {
      AlertDescription alert =
          e.reason() == DeviceCertificates.Refusal.EXPIRED
              ? AlertDescription.CERTIFICATE_EXPIRED
              : AlertDescription.BAD_CERTIFICATE;
      return new CertificateVerificationResult(
          cid,
          new HandshakeException(e.getMessage(), new AlertMessage(AlertLevel.FATAL, alert)),
          null);
    }
  }

  /**
   * No issuer list in the certificate request: pinned devices may hold self-signed certificates,
   * which a client would otherwise not send.
   */
  @Override
  public List<X500Principal> getAcceptedIssuers() {
    return List.of();
  }

  /** Not needed: every answer is given synchronously. */
  @Override
  public void setResultHandler(HandshakeResultHandler resultHandler) {}
}
