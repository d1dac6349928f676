package vn.lantern.ingest.pipeline;

/**
 * What became of one telemetry message. Each endpoint maps it to its protocol: an MQTT reason code,
 * a CoAP response code or an HTTP status.
 */
public enum Outcome {
  /** Stored durably; acknowledge. */
  ACCEPTED,
  /** The client may not publish for the target device. */
  NOT_AUTHORIZED,
  /** The topic or resource does not name a telemetry destination. */
  INVALID_TOPIC,
  /** The payload or its reading count is over the limit. */
  TOO_LARGE,
  /** The declared content format is not one we decode. */
  UNSUPPORTED_FORMAT,
  /** The payload could not be decoded or failed validation. */
  INVALID_PAYLOAD,
  /** InfluxDB refused the readings as invalid. */
  STORAGE_REJECTED,
  /** The node cannot take the readings now (write buffer full); the client should retry later. */
  UNAVAILABLE;

  /** The lower-case name used as a metric tag and in logs. */
  public String tag() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
