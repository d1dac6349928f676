package vn.lantern.deploy;

import java.util.Map;
import vn.lantern.deploy.kafka.KafkaSettings;

/**
 * Settings of the scaled-out roles ({@code ./lantern run --role ingest|rules}); the standalone role
 * ignores them. Loaded from the {@code scaleOut:} section of the node's file and the {@code
 * LANTERN_*} variables in {@link #ENV}.
 *
 * @param kafka the Kafka telemetry bus
 * @param apiToken the static service token: it guards the ingest node's API and is how the rules
 *     nodes read the device registry from it
 * @param ingestApi base URL of an ingest node's HTTP API, read by the rules role, e.g. {@code
 *     http://ingest-1:8080}
 * @param directoryRefreshMs how often the rules role re-reads devices and zones from {@code
 *     ingestApi}
 */
public record ScaleOutConfig(
    KafkaSettings kafka, String apiToken, String ingestApi, long directoryRefreshMs) {

  /** Environment variable → config key. */
  public static final Map<String, String> ENV =
      Map.ofEntries(
          Map.entry("LANTERN_KAFKA_BOOTSTRAP", "kafka.bootstrap"),
          Map.entry("LANTERN_KAFKA_TOPIC", "kafka.topic"),
          Map.entry("LANTERN_KAFKA_GROUP", "kafka.group"),
          Map.entry("LANTERN_KAFKA_WRITER_GROUP", "kafka.writerGroup"),
          Map.entry("LANTERN_KAFKA_EVENTS_TOPIC", "kafka.eventsTopic"),
          Map.entry("LANTERN_KAFKA_SECURITY_PROTOCOL", "kafka.security.protocol"),
          Map.entry("LANTERN_KAFKA_CA_FILE", "kafka.security.caFile"),
          Map.entry("LANTERN_KAFKA_CERT_FILE", "kafka.security.certFile"),
          Map.entry("LANTERN_KAFKA_KEY_FILE", "kafka.security.keyFile"),
          Map.entry("LANTERN_KAFKA_SASL_MECHANISM", "kafka.security.saslMechanism"),
          Map.entry("LANTERN_KAFKA_USERNAME", "kafka.security.username"),
          Map.entry("LANTERN_KAFKA_PASSWORD", "kafka.security.password"),
          Map.entry("LANTERN_API_TOKEN", "apiToken"),
          Map.entry("LANTERN_INGEST_API", "ingestApi"),
          Map.entry("LANTERN_DIRECTORY_REFRESH_MS", "directoryRefreshMs"));

  /** The documented defaults. */
  public static ScaleOutConfig defaults() {
    return builder().build();
  }

  /** A builder starting from the documented defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this configuration. */
  public Builder toBuilder() {
    return new Builder()
        .kafka(kafka)
        .apiToken(apiToken)
        .ingestApi(ingestApi)
        .directoryRefreshMs(directoryRefreshMs);
  }

  /** Builds a {@link ScaleOutConfig} by naming what differs from the defaults. */
  public static final class Builder {
    private KafkaSettings kafka = KafkaSettings.defaults();
    private String apiToken = "";
    private String ingestApi = "";
    private long directoryRefreshMs = 30_000;

    private Builder() {}

    public Builder kafka(KafkaSettings value) {
      kafka = value;
      return this;
    }

    public Builder apiToken(String value) {
      apiToken = value;
      return this;
    }

    public Builder ingestApi(String value) {
      ingestApi = value;
      return this;
    }

    public Builder directoryRefreshMs(long value) {
      directoryRefreshMs = value;
      return this;
    }

    public ScaleOutConfig build() {
      return new ScaleOutConfig(kafka, apiToken, ingestApi, directoryRefreshMs);
    }
  }
}
