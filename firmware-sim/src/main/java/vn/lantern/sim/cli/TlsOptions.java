package vn.lantern.sim.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;
import vn.lantern.sim.device.DeviceTls;

/** The TLS options of commands that connect simulated devices to a node. */
final class TlsOptions {
  @Option(
      names = "--tls-ca",
      paramLabel = "FILE",
      description =
          "PEM CA bundle that signs the node's certificate (ssl:// MQTT, DTLS with certificates);"
              + " default: the JVM's CAs")
  Path caFile;

  @Option(
      names = "--tls-certs",
      paramLabel = "DIR",
      description =
          "directory of device certificates, <id>.pem and <id>.key (./lantern ca issue <id>):"
              + " devices log in with them instead of secrets (MQTT over ssl://) or PSKs (CoAP)")
  Path certDir;

  /** The devices' TLS settings, or {@code null} when no option is given. */
  DeviceTls deviceTls() {
    return caFile == null && certDir == null ? null : new DeviceTls(caFile, certDir);
  }
}
