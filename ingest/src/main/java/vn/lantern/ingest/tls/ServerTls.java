package vn.lantern.ingest.tls;

import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.TrustOptions;
import java.util.List;

/**
 * The TLS side of a node's listeners: the server certificate every TLS listener presents, and the
 * device certificates device-facing listeners ask for (optional: a device may still log in with its
 * secret over TLS).
 */
public final class ServerTls {
  /** TLS 1.2 and 1.3 only: older versions are broken or deprecated (RFC 8996). */
  public static final List<String> PROTOCOLS = List.of("TLSv1.2", "TLSv1.3");

  private final ServerCertificate certificate;
  private final DeviceCertificates devices;

  public ServerTls(ServerCertificate certificate, DeviceCertificates devices) {
    this.certificate = certificate;
    this.devices = devices;
  }

  /** The server certificate (also for the DTLS endpoint). */
  public ServerCertificate certificate() {
    return certificate;
  }

  /** How device certificates are checked. */
  public DeviceCertificates devices() {
    return devices;
  }

  /** Turns {@code options} into those of a TLS listener for people and services (HTTPS). */
  public <T extends NetServerOptions> T server(T options) {
    options.setSsl(true).setKeyCertOptions(certificate.keyCertOptions());
    options.setEnabledSecureTransportProtocols(new java.util.HashSet<>(PROTOCOLS));
    return options;
  }

  /**
   * Turns {@code options} into those of a device-facing TLS listener of {@code protocol}: it also
   * asks for a client certificate and checks one when sent.
   */
  public <T extends NetServerOptions> T deviceServer(T options, String protocol) {
    server(options);
    options
        .setTrustOptions(TrustOptions.wrap(devices.trustManager(protocol)))
        .setClientAuth(ClientAuth.REQUEST);
    return options;
  }
}
