package vn.lantern.deploy.kafka;

import java.util.HashMap;
import java.util.Map;

/**
 * Where the scaled-out telemetry bus lives.
 *
 * @param bootstrap Kafka bootstrap servers, {@code host:port[,host:port...]}
 * @param topic the readings topic, keyed by zone
 * @param group the consumer group of the rules nodes: each zone's partition is read by exactly one
 *     member
 * @param writerGroup the consumer group of the ingest nodes' InfluxDB writers, which drain the
 *     topic into InfluxDB
 * @param security TLS and SASL of every Kafka client the node builds
 * @param eventsTopic the cluster-wide events topic: the alert transitions and KPI values each rules
 *     node computes for its own zones, read by every rules node
 */
public record KafkaSettings(
    String bootstrap,
    String topic,
    String group,
    String writerGroup,
    KafkaSecurity security,
    String eventsTopic) {
  private static final String WRITER_GROUP = "lantern-writers";
  private static final String EVENTS_TOPIC = "lantern.events";

  public KafkaSettings {
    writerGroup = writerGroup == null || writerGroup.isBlank() ? WRITER_GROUP : writerGroup;
    security = security == null ? KafkaSecurity.none() : security;
    eventsTopic = eventsTopic == null || eventsTopic.isBlank() ? EVENTS_TOPIC : eventsTopic;
  }

  /** Settings with the default events topic. */
  public KafkaSettings(
      String bootstrap, String topic, String group, String writerGroup, KafkaSecurity security) {
    this(bootstrap, topic, group, writerGroup, security, EVENTS_TOPIC);
  }

  /** Settings of a bus without TLS or SASL. */
  public KafkaSettings(String bootstrap, String topic, String group) {
    this(bootstrap, topic, group, WRITER_GROUP, KafkaSecurity.none());
  }

  /** Settings of a bus without TLS or SASL, with its own writer group. */
  public KafkaSettings(String bootstrap, String topic, String group, String writerGroup) {
    this(bootstrap, topic, group, writerGroup, KafkaSecurity.none());
  }

  /** Settings of a bus with the default writer group. */
  public KafkaSettings(String bootstrap, String topic, String group, KafkaSecurity security) {
    this(bootstrap, topic, group, WRITER_GROUP, security);
  }

  /**
   * The documented defaults: no bootstrap servers, topics {@code lantern.readings} and {@code
   * lantern.events}.
   */
  public static KafkaSettings defaults() {
    return new KafkaSettings(
        "", "lantern.readings", "lantern-rules", WRITER_GROUP, KafkaSecurity.none(), EVENTS_TOPIC);
  }

  /**
   * What every Kafka client of the node starts from (producer, consumers, admin): the bootstrap
   * servers and the security settings; each client adds its own.
   */
  public Map<String, Object> clientProperties() {
    Map<String, Object> properties = new HashMap<>(security.clientProperties());
    properties.put("bootstrap.servers", bootstrap);
    return properties;
  }
}
