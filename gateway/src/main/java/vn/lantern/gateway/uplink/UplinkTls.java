package vn.lantern.gateway.uplink;

import java.nio.file.Path;
import javax.net.ssl.SSLSocketFactory;
import vn.lantern.common.tls.ClientTls;
import vn.lantern.gateway.config.GatewayConfig;

/**
 * The TLS client side of an {@code ssl://} uplink: the CAs it trusts for the node's certificate and
 * the gateway's own certificate, from the PEM files of the uplink's configuration.
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
      return new ClientTls(path(uplink.caFile()), path(uplink.certFile()), path(uplink.keyFile()))
          .sslContext()
          .getSocketFactory();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("uplink TLS files unusable: " + e.getMessage(), e);
    }
  }

  private static Path path(String file) {
    return file.isBlank() ? null : Path.of(file);
  }
}
