package vn.lantern.deploy.kafka;

/**
 * Names of the meters of the Kafka telemetry bus, as they appear on {@code /metrics}: {@code
 * lantern_<area>_<what>_<unit>}, counters ending in {@code _total}.
 */
public final class KafkaMeters {
  /** Batches published. */
  public static final String PUBLISHED = "lantern_bus_kafka_published_total";

  /** Batches that could not be published. */
  public static final String PUBLISH_FAILED = "lantern_bus_kafka_publish_failed_total";

  /** Batches consumed. */
  public static final String CONSUMED = "lantern_bus_kafka_consumed_total";

  /** Records skipped because they could not be decoded. */
  public static final String UNDECODABLE = "lantern_bus_kafka_undecodable_total";

  /** Consumer restarts after a failure. */
  public static final String CONSUMER_RESTARTS = "lantern_bus_kafka_consumer_restarts_total";

  /** Partitions assigned to this node. */
  public static final String ASSIGNED_PARTITIONS = "lantern_bus_kafka_assigned_partitions";

  private KafkaMeters() {}
}
