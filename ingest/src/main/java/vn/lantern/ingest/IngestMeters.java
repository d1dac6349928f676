package vn.lantern.ingest;

/**
 * Names of the meters of the ingest node: endpoints, pipeline, device authentication and the
 * telemetry store, as they appear on {@code /metrics}: {@code lantern_<area>_<what>_<unit>},
 * counters ending in {@code _total}.
 */
public final class IngestMeters {
  /** Open device connections, per protocol. */
  public static final String CONNECTIONS = "lantern_ingest_connections";

  /** Connections refused by a connection limit. */
  public static final String CONNECTIONS_REFUSED = "lantern_ingest_connections_refused_total";

  /** Persistent MQTT sessions kept. */
  public static final String MQTT_SESSIONS = "lantern_mqtt_sessions";

  /** Refused payloads, per reason. */
  public static final String PAYLOAD_REFUSALS = "lantern_ingest_payload_refusals_total";

  /** Failed device authentications, per protocol. */
  public static final String AUTH_FAILURES = "lantern_ingest_auth_failures_total";

  /** Readings accepted, per protocol. */
  public static final String READINGS_ACCEPTED = "lantern_ingest_readings_accepted_total";

  /** Time from receipt to acknowledgement, per protocol. */
  public static final String ACK_DURATION = "lantern_ingest_ack_duration_seconds";

  /** Messages, per protocol and outcome. */
  public static final String MESSAGES = "lantern_ingest_messages_total";

  /** CoAP requests answered 5.03 because the store was too slow. */
  public static final String RESPONSE_DEADLINE_MISSED =
      "lantern_ingest_response_deadline_missed_total";

  /**
   * CoAP requests that reused a message id the node remembered from the same peer, with another
   * token or payload: taken as new requests, not answered from memory.
   */
  public static final String COAP_REUSED_MESSAGE_IDS = "lantern_coap_reused_message_ids_total";

  /** Device authentications refused by the throttle or a busy hashing pool. */
  public static final String AUTH_THROTTLED = "lantern_ingest_auth_throttled_total";

  /** Password hashes computed for device authentication. */
  public static final String AUTH_HASHES = "lantern_ingest_auth_hashes_total";

  /** Device certificates refused, per protocol and reason. */
  public static final String TLS_REFUSED = "lantern_ingest_tls_refused_total";

  /** Points written to InfluxDB. */
  public static final String STORE_POINTS_WRITTEN = "lantern_store_points_written_total";

  /** Readings written to InfluxDB. */
  public static final String STORE_READINGS_WRITTEN = "lantern_store_readings_written_total";

  /** Failed InfluxDB writes, per kind (retryable, rejected). */
  public static final String STORE_WRITE_FAILURES = "lantern_store_write_failures_total";

  /** Duration of one InfluxDB write. */
  public static final String STORE_WRITE_DURATION = "lantern_store_write_duration_seconds";

  /** Points per InfluxDB write. */
  public static final String STORE_BATCH_POINTS = "lantern_store_batch_points";

  /** Readings waiting to be written. */
  public static final String STORE_BUFFERED_READINGS = "lantern_store_buffered_readings";

  /** 1 while the last InfluxDB write succeeded. */
  public static final String STORE_INFLUX_UP = "lantern_store_influx_up";

  private IngestMeters() {}
}
