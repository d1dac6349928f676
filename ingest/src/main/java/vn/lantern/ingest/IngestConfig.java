package vn.lantern.ingest;

import io.vertx.core.http.HttpServerOptions;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import vn.lantern.common.influx.InfluxSettings;
import vn.lantern.common.store.DatabaseSettings;
import vn.lantern.common.telemetry.TelemetryLimits;
import vn.lantern.ingest.registry.DeviceAuthSettings;
import vn.lantern.ingest.store.RetentionSettings;

/**
 * The ingest node's typed configuration: defaults below, overridden by a YAML file, overridden by
 * the {@code LANTERN_*} environment variables in {@link #ENV}. Every key is documented in {@code
 * docs/configuration.md}.
 *
 * @param dataDir where the node keeps its state (the embedded relational store, key files)
 * @param db the relational store: embedded H2 in {@code dataDir} unless a URL is set
 * @param http the HTTP API
 * @param mqtt the MQTT endpoint
 * @param influx InfluxDB and write batching
 * @param limits payload limits
 * @param registry device registry settings
 * @param coap the plain-UDP CoAP endpoint (off unless {@code insecure})
 * @param coaps the CoAP-over-DTLS endpoint
 * @param tls the server certificate of the TLS listeners and the CAs of device certificates
 * @param retention how long InfluxDB keeps raw and downsampled history
 * @param deviceAuth bounds on device credential checks
 * @param connections bounds on MQTT connections
 */
public record IngestConfig(
    String dataDir,
    DatabaseSettings db,
    Http http,
    Mqtt mqtt,
    InfluxSettings influx,
    Limits limits,
    Registry registry,
    Coap coap,
    Coaps coaps,
    Tls tls,
    RetentionSettings retention,
    DeviceAuthSettings deviceAuth,
    Connections connections) {

  /** Environment variable → config key. */
  public static final Map<String, String> ENV =
      Map.ofEntries(
          Map.entry("LANTERN_DATA_DIR", "dataDir"),
          Map.entry("LANTERN_DB_URL", "db.url"),
          Map.entry("LANTERN_DB_USER", "db.user"),
          Map.entry("LANTERN_DB_PASSWORD", "db.password"),
          Map.entry("LANTERN_HTTP_HOST", "http.host"),
          Map.entry("LANTERN_HTTP_PORT", "http.port"),
          Map.entry("LANTERN_HTTPS_PORT", "http.tlsPort"),
          Map.entry("LANTERN_CORS_ORIGINS", "http.corsOrigins"),
          Map.entry("LANTERN_MQTT_HOST", "mqtt.host"),
          Map.entry("LANTERN_MQTT_PORT", "mqtt.port"),
          Map.entry("LANTERN_MQTTS_PORT", "mqtt.tlsPort"),
          Map.entry("LANTERN_TLS_CERT", "tls.cert"),
          Map.entry("LANTERN_TLS_KEY", "tls.key"),
          Map.entry("LANTERN_DEVICE_CA", "tls.deviceCa"),
          Map.entry("LANTERN_INFLUX_URL", "influx.url"),
          Map.entry("LANTERN_INFLUX_DB", "influx.database"),
          Map.entry("LANTERN_INFLUX_USER", "influx.username"),
          Map.entry("LANTERN_INFLUX_PASSWORD", "influx.password"),
          Map.entry("LANTERN_INFLUX_GZIP", "influx.gzip"),
          Map.entry("LANTERN_RETENTION_RAW", "retention.raw"),
          Map.entry("LANTERN_RETENTION_5M", "retention.fiveMinutes"),
          Map.entry("LANTERN_RETENTION_1H", "retention.hourly"),
          Map.entry("LANTERN_PSK_KEY", "registry.pskKey"),
          Map.entry("LANTERN_COAP_HOST", "coap.host"),
          Map.entry("LANTERN_COAP_PORT", "coap.port"),
          Map.entry("LANTERN_COAP_INSECURE", "coap.insecure"),
          Map.entry("LANTERN_COAPS_HOST", "coaps.host"),
          Map.entry("LANTERN_COAPS_PORT", "coaps.port"),
          Map.entry("LANTERN_COAPS_CIPHER_SUITES", "coaps.cipherSuites"),
          Map.entry("LANTERN_COAPS_MAX_CONNECTIONS", "coaps.maxConnections"),
          Map.entry("LANTERN_MAX_MQTT_PER_ADDRESS", "connections.maxMqttPerAddress"),
          Map.entry("LANTERN_MAX_MQTT_PER_DEVICE", "connections.maxMqttPerDevice"));

  /** The documented defaults: they run out of the box against a local InfluxDB. */
  public static IngestConfig defaults() {
    return new IngestConfig(
        "var",
        DatabaseSettings.defaults(),
        new Http("0.0.0.0", 8080, 8443, 60, ""),
        new Mqtt("0.0.0.0", 1883, 8883),
        InfluxSettings.defaults(),
        new Limits(65_536, 500, 7 * 24, 300),
        new Registry(10_000, ""),
        new Coap("0.0.0.0", 5683, false, 30_000),
        new Coaps("0.0.0.0", 5684, "", 150_000),
        new Tls("", "", "", 5_000),
        RetentionSettings.defaults(),
        DeviceAuthSettings.defaults(),
        new Connections(100, 2));
  }

  /**
   * @param host bind address of both listeners
   * @param port plain HTTP port; see {@link Tls#plainPort} for 0
   * @param tlsPort HTTPS port (only with a certificate); 0 binds a free one
   * @param idleTimeoutSeconds a connection that sends and receives nothing for this long is closed,
   *     so slow or stalled clients (slowloris) cannot hold sockets forever
   * @param corsOrigins origins (comma-separated, e.g. {@code https://ops.example}) whose pages may
   *     call the API from a browser; empty (the default): no CORS at all
   */
  public record Http(
      String host, int port, int tlsPort, int idleTimeoutSeconds, String corsOrigins) {

    /**
     * The options of the node's HTTP API servers. They speak HTTP/1.1 only: an {@code Upgrade: h2c}
     * request (sent by default by the JDK's HTTP client) is answered in HTTP/1.1, because Vert.x's
     * upgrade path sometimes interleaves an upgraded response with HTTP/1.1 bytes, which the client
     * reads as a broken HTTP/2 connection or an early end of stream.
     */
    public HttpServerOptions serverOptions() {
      return new HttpServerOptions()
          .setHost(host)
          .setPort(port)
          .setHttp2ClearTextEnabled(false)
          .setIdleTimeout(idleTimeoutSeconds)
          .setIdleTimeoutUnit(TimeUnit.SECONDS);
    }
  }

  /**
   * @param host bind address of both listeners
   * @param port plain MQTT port; see {@link Tls#plainPort} for 0
   * @param tlsPort MQTT over TLS port (only with a certificate); 0 binds a free one
   */
  public record Mqtt(String host, int port, int tlsPort) {}

  /**
   * @param maxPayloadBytes largest accepted payload
   * @param maxReadingsPerMessage most readings in one message
   * @param maxAgeHours oldest accepted timestamp, in hours before now
   * @param maxFutureSeconds newest accepted timestamp, in seconds after now
   */
  public record Limits(
      int maxPayloadBytes, int maxReadingsPerMessage, int maxAgeHours, int maxFutureSeconds) {

    public TelemetryLimits toTelemetryLimits() {
      return new TelemetryLimits(
          maxPayloadBytes,
          maxReadingsPerMessage,
          Duration.ofHours(maxAgeHours),
          Duration.ofSeconds(maxFutureSeconds));
    }
  }

  /**
   * @param pbkdf2Iterations PBKDF2-HMAC-SHA256 iterations for new device secrets. Device secrets
   *     are machine-generated (at least 16 characters), so their strength comes from entropy; the
   *     iterations are defence in depth and kept moderate so a fleet can reconnect quickly.
   * @param pskKey base64 of the 32-byte AES key that encrypts device PSKs in the registry; empty to
   *     use the key file {@code psk.key} in the data directory (created on first start)
   */
  public record Registry(int pbkdf2Iterations, String pskKey) {}

  /**
   * @param host bind address of the plain-UDP endpoint
   * @param port its port; 0 binds a free one
   * @param insecure serve CoAP without DTLS on {@code port}, devices identifying with {@code
   *     ?d=<id>&s=<secret>} in clear text: for lab use only, off by default
   * @param responseDeadlineMs how long a request (on either endpoint) waits for its readings to
   *     become durable before it is answered 5.03 with Max-Age; the readings are still written, and
   *     the device's retry overwrites them
   */
  public record Coap(String host, int port, boolean insecure, int responseDeadlineMs) {}

  /**
   * @param maxMqttPerAddress open MQTT connections one client address may hold (a gateway LAN
   *     behind NAT counts as one address)
   * @param maxMqttPerDevice open MQTT connections one device id may hold (a reconnect may overlap
   *     the connection it replaces)
   */
  public record Connections(int maxMqttPerAddress, int maxMqttPerDevice) {}

  /**
   * @param host bind address of the DTLS endpoint (pre-shared keys, identity = device id)
   * @param port its port; 0 binds a free one
   * @param cipherSuites the DTLS cipher suites accepted (comma-separated Scandium names, e.g.
   *     {@code TLS_PSK_WITH_AES_128_CCM_8}); empty (the default): the suites listed in
   *     docs/protocols.md
   * @param maxConnections DTLS connections (each a peer address with its session) the node holds; a
   *     new handshake beyond them is dropped unless the least recently used one is stale
   */
  public record Coaps(String host, int port, String cipherSuites, int maxConnections) {}

  /**
   * @param cert PEM file of the server certificate chain (leaf first); empty runs plain listeners
   *     only
   * @param key PEM file of its private key (unencrypted PKCS#8 or traditional)
   * @param deviceCa PEM bundle of the CAs that sign device certificates (CN = device id); empty
   *     accepts only certificates pinned in a device's registration ({@code certSha256})
   * @param reloadCheckMs how often the certificate and key files are checked for a change (a
   *     renewed certificate is used from the next handshake on); 0 never
   */
  public record Tls(String cert, String key, String deviceCa, long reloadCheckMs) {
    /** Whether a server certificate is configured. */
    public boolean enabled() {
      return !cert.isBlank();
    }

    /**
     * The port a plain listener binds (0: a free one), or -1 when it is off. With a certificate,
     * port 0 turns the plain listener off (the TLS one serves); without one, the plain listener is
     * the only one and 0 binds a free port. -1 always binds a free port (tests).
     */
    public int plainPort(int configured) {
      if (configured < 0) {
        return 0;
      }
      return enabled() && configured == 0 ? -1 : configured;
    }
  }
}
