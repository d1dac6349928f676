package vn.lantern.sim.load;

import java.time.Duration;
import vn.lantern.sim.device.DeviceTls;

/**
 * What {@code bench ingest} does.
 *
 * @param mqttUri {@code tcp://host:port} or {@code ssl://host:port} of the node (or of any MQTT
 *     broker, for a reference run), or {@code null} for a CoAP run
 * @param coapUri {@code coaps://host:port} of the node's DTLS endpoint for a CoAP run, or {@code
 *     null}
 * @param apiUrl the node's HTTP API, to register the bench devices; {@code null} skips it
 * @param apiToken bearer token for the API, or {@code null}
 * @param influxUrl InfluxDB to check afterwards, or {@code null} to skip the check
 * @param influxDb its database
 * @param devices connections, one bench device each
 * @param duration how long to publish
 * @param rate target readings/s over all devices, or {@code null} for as fast as acknowledged
 * @param qos 0 or 1
 * @param window most unacknowledged publishes per connection
 * @param eventLoops Vert.x event loops of the generator
 * @param zone zone of the bench devices (must exist in the registry)
 * @param ingestPid process id of the ingest node for CPU accounting, or {@code null}
 * @param influxPid process id of influxd for CPU accounting, or {@code null}
 * @param tls TLS of the bench devices ({@code ssl://}, DTLS with certificates), or {@code null}
 * @param warmup how long to run the same load untimed before {@code duration} is measured; zero
 *     skips it
 */
public record BenchOptions(
    String mqttUri,
    String coapUri,
    String apiUrl,
    String apiToken,
    String influxUrl,
    String influxDb,
    int devices,
    Duration duration,
    Double rate,
    int qos,
    int window,
    int eventLoops,
    String zone,
    Long ingestPid,
    Long influxPid,
    DeviceTls tls,
    Duration warmup) {

  /** Options without TLS client files and without a warm-up. */
  public BenchOptions(
      String mqttUri,
      String coapUri,
      String apiUrl,
      String apiToken,
      String influxUrl,
      String influxDb,
      int devices,
      Duration duration,
      Double rate,
      int qos,
      int window,
      int eventLoops,
      String zone,
      Long ingestPid,
      Long influxPid) {
    this(
        mqttUri,
        coapUri,
        apiUrl,
        apiToken,
        influxUrl,
        influxDb,
        devices,
        duration,
        rate,
        qos,
        window,
        eventLoops,
        zone,
        ingestPid,
        influxPid,
        null,
        Duration.ZERO);
  }

  public BenchOptions {
    if ((mqttUri == null) == (coapUri == null)) {
      throw new IllegalArgumentException("give either --mqtt or --coap");
    }
    if (tls != null && tls.certDir() != null && mqttUri != null && !mqttUri.startsWith("ssl://")) {
      throw new IllegalArgumentException("--tls-certs needs an ssl:// MQTT endpoint");
    }
    if (coapUri != null && qos != 1) {
      throw new IllegalArgumentException("CoAP runs use confirmable requests: --qos 1 only");
    }
    if (devices < 1) {
      throw new IllegalArgumentException("--devices must be at least 1");
    }
    if (qos != 0 && qos != 1) {
      throw new IllegalArgumentException("--qos must be 0 or 1");
    }
    if (window < 1) {
      throw new IllegalArgumentException("--window must be at least 1");
    }
    if (rate != null && !(rate > 0)) {
      throw new IllegalArgumentException("--rate must be positive");
    }
    if (warmup == null || warmup.isNegative()) {
      throw new IllegalArgumentException("--warmup must be zero or more");
    }
  }

  /** Whether the run uses CoAP/DTLS instead of MQTT. */
  public boolean coap() {
    return coapUri != null;
  }
}
