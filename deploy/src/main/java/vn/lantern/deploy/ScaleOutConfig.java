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
      Map.of(
          "LANTERN_KAFKA_BOOTSTRAP", "kafka.bootstrap",
          "LANTERN_KAFKA_TOPIC", "kafka.topic",
          "LANTERN_KAFKA_GROUP", "kafka.group",
          "LANTERN_KAFKA_WRITER_GROUP", "kafka.writerGroup",
          "LANTERN_API_TOKEN", "apiToken",
          "LANTERN_INGEST_API", "ingestApi",
          "LANTERN_DIRECTORY_REFRESH_MS", "directoryRefreshMs");

  /** The documented defaults. */
  public static ScaleOutConfig defaults() {
    return new ScaleOutConfig(KafkaSettings.defaults(), "", "", 30_000);
  }
}
