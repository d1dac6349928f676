package vn.lantern.sim.testing;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import vn.lantern.deploy.testing.TestNode;
import vn.lantern.ingest.tls.CertificateAuthority;
import vn.lantern.testing.TestInflux;

/**
 * A real node in the test's JVM, assembled as in production ({@link TestNode}), writing to the
 * test's InfluxDB, addressed the way the simulator's command line takes it.
 */
public final class InProcessNode implements AutoCloseable {
  private final TestNode node;
  private final Path serverCaFile;
  private final CertificateAuthority deviceCa;

  private InProcessNode(TestNode node, Path serverCaFile, CertificateAuthority deviceCa) {
    this.node = node;
    this.serverCaFile = serverCaFile;
    this.deviceCa = deviceCa;
  }

  /** Starts a node whose state lives under {@code dataDir}. */
  public static InProcessNode start(TestInflux influx, Path dataDir) throws Exception {
    return new InProcessNode(TestNode.builder(dataDir.resolve("node"), influx).start(), null, null);
  }

  /** Starts a node that also serves CoAP over plain UDP ({@link #coapUri}), as in a lab. */
  public static InProcessNode startWithPlainCoap(TestInflux influx, Path dataDir) throws Exception {
    return new InProcessNode(
        TestNode.builder(dataDir.resolve("node"), influx).set("coap.insecure", "true").start(),
        null,
        null);
  }

  /**
   * Starts a node with TLS on: MQTT over TLS and DTLS present a certificate for 127.0.0.1 from a CA
   * made for the test ({@link #serverCaFile}), and devices may log in with certificates from a
   * device CA ({@link #issueDeviceCertificate}).
   */
  public static InProcessNode startWithTls(TestInflux influx, Path dataDir) throws Exception {
    Path pki = dataDir.resolve("pki");
    CertificateAuthority serverCa =
        CertificateAuthority.create("Sim test server CA", Duration.ofDays(2));
    CertificateAuthority deviceCa =
        CertificateAuthority.create("Sim test device CA", Duration.ofDays(2));
    Path serverCaFile = pki.resolve("server-ca.pem");
    serverCa.asIssued().write(serverCaFile, pki.resolve("server-ca.key"));
    Path deviceCaFile = pki.resolve("device-ca.pem");
    deviceCa.asIssued().write(deviceCaFile, pki.resolve("device-ca.key"));
    Path cert = pki.resolve("server.pem");
    Path key = pki.resolve("server.key");
    serverCa.issueServer(List.of("127.0.0.1"), Duration.ofDays(1)).write(cert, key);
    TestNode node =
        TestNode.builder(dataDir.resolve("node"), influx)
            .set("tls.cert", cert.toString())
            .set("tls.key", key.toString())
            .set("tls.deviceCa", deviceCaFile.toString())
            .set("mqtt.tlsPort", 0)
            .set("http.tlsPort", 0)
            .set("http.port", -1) // plain HTTP for provisioning: port 0 would turn it off
            .start();
    return new InProcessNode(node, serverCaFile, deviceCa);
  }

  /** The CA file that signs the node's certificate (TLS nodes only). */
  public Path serverCaFile() {
    return serverCaFile;
  }

  /**
   * Writes a device certificate from the node's device CA (CN = {@code deviceId}) as {@code
   * dir/<id>.pem} and {@code dir/<id>.key}, the layout the simulator's {@code --tls-certs} reads.
   */
  public void issueDeviceCertificate(String deviceId, Path dir) {
    deviceCa
        .issueDevice(deviceId, Duration.ofDays(1))
        .write(dir.resolve(deviceId + ".pem"), dir.resolve(deviceId + ".key"));
  }

  public String apiUrl() {
    return node.apiUrl();
  }

  /** The token the node's API accepts for provisioning. */
  public String apiToken() {
    return TestNode.SERVICE_TOKEN;
  }

  public String mqttUri() {
    return node.mqttUri();
  }

  /** The Paho server URI of the MQTT-over-TLS endpoint. */
  public String mqttsUri() {
    return "ssl://127.0.0.1:" + node.node().ingest().mqttsPort();
  }

  public String coapsUri() {
    return "coaps://127.0.0.1:" + node.coapsPort();
  }

  /** The plain-UDP CoAP endpoint ({@link #startWithPlainCoap} nodes only). */
  public String coapUri() {
    return "coap://127.0.0.1:" + node.node().ingest().coapPort();
  }

  @Override
  public void close() throws Exception {
    node.close();
  }
}
