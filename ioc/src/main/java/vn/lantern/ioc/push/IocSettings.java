package vn.lantern.ioc.push;

/**
 * Where and how each window's KPI snapshot is pushed to the provincial IOC platform.
 *
 * @param webhookUrl endpoint receiving the snapshot as a signed JSON POST; empty for none
 * @param webhookSecret HMAC-SHA256 key of the {@code X-Lantern-Signature} header
 * @param mqttHost broker receiving the snapshot on {@code mqttTopic}; empty for none
 * @param mqttPort its port
 * @param mqttTopic the topic
 * @param mqttUsername user name, empty for none
 * @param mqttPassword password, empty for none
 * @param maxAttempts attempts per snapshot and endpoint before it becomes a dead letter
 * @param initialBackoffMs delay before the first retry, doubled after each failure
 * @param maxBackoffMs cap of the delay between retries
 * @param timeoutMs timeout of one delivery
 * @param deadLetterCapacity dead letters kept (the oldest are dropped)
 */
public record IocSettings(
    String webhookUrl,
    String webhookSecret,
    String mqttHost,
    int mqttPort,
    String mqttTopic,
    String mqttUsername,
    String mqttPassword,
    int maxAttempts,
    long initialBackoffMs,
    long maxBackoffMs,
    long timeoutMs,
    int deadLetterCapacity) {

  /** Pushing disabled; delivery defaults documented in docs/configuration.md. */
  public static IocSettings defaults() {
    return new IocSettings("", "", "", 1883, "lantern/kpi", "", "", 6, 1000, 60_000, 5000, 500);
  }

  /** Whether any endpoint is configured. */
  public boolean enabled() {
    return !webhookUrl.isEmpty() || !mqttHost.isEmpty();
  }
}
