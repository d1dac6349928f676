package vn.lantern.rules.notify;

/**
 * How notifications are delivered.
 *
 * @param maxAttempts attempts per notification before it becomes a dead letter
 * @param initialBackoffMs delay before the first retry; doubled after each failure
 * @param maxBackoffMs cap of the delay between retries
 * @param timeoutMs timeout of one webhook request
 * @param mqttHost MQTT broker for {@code mqtt} channels, empty for none
 * @param mqttPort its port
 * @param mqttUsername user name, empty for none
 * @param mqttPassword password, empty for none
 * @param allowedHosts comma-separated webhook hosts allowed although they are internal addresses
 *     (loopback, private, link-local); empty: rule webhooks reach only public addresses
 */
public record NotifySettings(
    int maxAttempts,
    long initialBackoffMs,
    long maxBackoffMs,
    long timeoutMs,
    String mqttHost,
    int mqttPort,
    String mqttUsername,
    String mqttPassword,
    String allowedHosts) {

  public static NotifySettings defaults() {
    return new NotifySettings(6, 1000, 60_000, 5000, "", 1883, "", "", "");
  }
}
