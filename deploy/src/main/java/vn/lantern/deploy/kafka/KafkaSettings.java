package vn.lantern.deploy.kafka;

/**
 * Where the scaled-out telemetry bus lives.
 *
 * @param bootstrap Kafka bootstrap servers, {@code host:port[,host:port...]}
 * @param topic the readings topic, keyed by zone
 * @param group the consumer group of the rules nodes: each zone's partition is read by exactly one
 *     member
 * @param writerGroup the consumer group of the ingest nodes' InfluxDB writers, which drain the
 *     topic into InfluxDB
 */
public record KafkaSettings(String bootstrap, String topic, String group, String writerGroup) {

  /** The documented defaults: no bootstrap servers, topic {@code lantern.readings}. */
  public static KafkaSettings defaults() {
    return new KafkaSettings("", "lantern.readings", "lantern-rules", "lantern-writers");
  }
}
