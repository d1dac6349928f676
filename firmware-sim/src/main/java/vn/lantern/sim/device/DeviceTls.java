package vn.lantern.sim.device;

import java.nio.file.Files;
import java.nio.file.Path;
import javax.net.ssl.SSLSocketFactory;
import vn.lantern.common.tls.ClientTls;

/**
 * TLS for simulated devices: the CA bundle that signs the node's certificate, and optionally a
 * directory of device certificates, {@code <id>.pem} and {@code <id>.key} for each device (what
 * {@code ./lantern ca issue <id>} writes). A device with a certificate logs in with it instead of
 * its secret (MQTT over {@code ssl://}) or PSK (CoAP over DTLS with X.509).
 *
 * @param caFile PEM CA bundle for the node's certificate, or {@code null} for the JVM's CAs
 * @param certDir directory of device certificates, or {@code null} when devices use secrets/PSKs
 */
public record DeviceTls(Path caFile, Path certDir) {

  /** The TLS client settings of device {@code id}. */
  public ClientTls forDevice(String id) {
    if (certDir == null) {
      return new ClientTls(caFile, null, null);
    }
    Path cert = certDir.resolve(id + ".pem");
    Path key = certDir.resolve(id + ".key");
    if (!Files.isRegularFile(cert) || !Files.isRegularFile(key)) {
      throw new IllegalArgumentException(
          "no certificate for device "
              + id
              + ": "
              + cert
              + " and "
              + key
              + " are needed (./lantern ca issue "
              + id
              + ")");
    }
    return new ClientTls(caFile, cert, key);
  }

  /**
   * The socket factory of an MQTT uplink to {@code serverUri}: TLS for {@code ssl://} (with the
   * JVM's defaults when {@code tls} is null), none for {@code tcp://}.
   *
   * @throws IllegalArgumentException for a client certificate over plain {@code tcp://}
   */
  static SSLSocketFactory mqttSocketFactory(String serverUri, ClientTls tls) {
    if (tls == null) {
      return null;
    }
    if (!serverUri.startsWith("ssl://")) {
      if (tls.hasClientCertificate()) {
        throw new IllegalArgumentException(
            "device certificates need an ssl:// MQTT endpoint, not " + serverUri);
      }
      return null;
    }
    return tls.sslContext().getSocketFactory();
  }
}
