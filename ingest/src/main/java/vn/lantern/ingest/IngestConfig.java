package vn.lantern.ingest;

import java.time.Duration;
import java.util.Map;
import vn.lantern.common.telemetry.TelemetryLimits;
import vn.lantern.ingest.store.InfluxSettings;

/**
 * The ingest node's typed configuration: defaults below, overridden by a YAML file, overridden by
 * the {@code LANTERN_*} environment variables in {@link #ENV}. Every key is documented in {@code
 * docs/configuration.md}.
 *
 * @param dataDir where the node keeps its state (the registry database)
 * @param http the HTTP API
 * @param mqtt the MQTT endpoint
 * @param influx InfluxDB and write batching
 * @param limits payload limits
 * @param registry device registry settings
 */
public record IngestConfig(
    String dataDir, Http http, Mqtt mqtt, InfluxSettings influx, Limits limits, Registry registry) {

  /** Environment variable → config key. */
  public static final Map<String, String> ENV =
      Map.ofEntries(
          Map.entry("LANTERN_DATA_DIR", "dataDir"),
          Map.entry("LANTERN_HTTP_HOST", "http.host"),
          Map.entry("LANTERN_HTTP_PORT", "http.port"),
          Map.entry("LANTERN_API_TOKEN", "http.apiToken"),
          Map.entry("LANTERN_MQTT_HOST", "mqtt.host"),
          Map.entry("LANTERN_MQTT_PORT", "mqtt.port"),
          Map.entry("LANTERN_INFLUX_URL", "influx.url"),
          Map.entry("LANTERN_INFLUX_DB", "influx.database"),
          Map.entry("LANTERN_INFLUX_USER", "influx.username"),
          Map.entry("LANTERN_INFLUX_PASSWORD", "influx.password"));

  /** The documented defaults: they run out of the box against a local InfluxDB. */
  public static IngestConfig defaults() {
    return new IngestConfig(
        "var",
        new Http("0.0.0.0", 8080, ""),
        new Mqtt("0.0.0.0", 1883),
        InfluxSettings.defaults(),
        new Limits(65_536, 500, 7 * 24, 300),
        new Registry(10_000));
  }

  /**
   * @param host bind address
   * @param port port; 0 binds a free one
   * @param apiToken when set, {@code /api/*} requires {@code Authorization: Bearer <token>}
   */
  public record Http(String host, int port, String apiToken) {}

  /**
   * @param host bind address
   * @param port port; 0 binds a free one
   */
  public record Mqtt(String host, int port) {}

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
   */
  public record Registry(int pbkdf2Iterations) {}
}
