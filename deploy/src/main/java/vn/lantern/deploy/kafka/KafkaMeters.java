package vn.lantern.deploy.kafka;

/**
 * Names of the meters of the Kafka telemetry bus and the InfluxDB writer group, as they appear on
 * {@code /metrics}: {@code lantern_<area>_<what>_<unit>}, counters ending in {@code _total}.
 */
public final class KafkaMeters {
  /** Batches the broker acknowledged. */
  public static final String PUBLISHED = "lantern_bus_kafka_published_total";

  /** Publish attempts that failed and are retried. */
  public static final String PUBLISH_FAILED = "lantern_bus_kafka_publish_failed_total";

  /** Batches refused because too many readings already wait for the broker. */
  public static final String PUBLISH_REFUSED = "lantern_bus_kafka_publish_refused_total";

  /** Readings waiting for the broker's acknowledgement. */
  public static final String BUFFERED_READINGS = "lantern_bus_kafka_buffered_readings";

  /** Cluster events (alert and KPI views) the broker acknowledged. */
  public static final String EVENTS_PUBLISHED = "lantern_bus_kafka_events_published_total";

  /** Cluster events dropped because too many already waited for the broker. */
  public static final String EVENTS_DROPPED = "lantern_bus_kafka_events_dropped_total";

  /** Cluster events of other nodes received from the events topic. */
  public static final String EVENTS_RECEIVED = "lantern_bus_kafka_events_received_total";

  /** Meters of the rules nodes' consumer group. */
  public static final ConsumerMeters BUS_CONSUMER =
      new ConsumerMeters(
          "lantern_bus_kafka_consumed_total",
          "lantern_bus_kafka_undecodable_total",
          "lantern_bus_kafka_consumer_restarts_total",
          "lantern_bus_kafka_assigned_partitions");

  /** Meters of the InfluxDB writers' consumer group. */
  public static final ConsumerMeters WRITER_CONSUMER =
      new ConsumerMeters(
          "lantern_store_kafka_consumed_total",
          "lantern_store_kafka_undecodable_total",
          "lantern_store_kafka_consumer_restarts_total",
          "lantern_store_kafka_assigned_partitions");

  /** Batches the writer group could not store because InfluxDB refused their data. */
  public static final String WRITER_REFUSED = "lantern_store_kafka_refused_total";

  /**
   * The meters of one consumer group.
   *
   * @param consumed batches consumed
   * @param undecodable records skipped because they could not be decoded
   * @param restarts consumer restarts after a failure
   * @param assignedPartitions partitions assigned to this node
   */
  public record ConsumerMeters(
      String consumed, String undecodable, String restarts, String assignedPartitions) {}

  private KafkaMeters() {}
}
