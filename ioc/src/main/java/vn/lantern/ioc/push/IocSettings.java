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
    return builder().build();
  }

  /** A builder starting from the documented defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Whether any endpoint is configured. */
  public boolean enabled() {
    return !webhookUrl.isEmpty() || !mqttHost.isEmpty();
  }

  /** Builds {@link IocSettings} by naming what differs from the defaults. */
  public static final class Builder {
    private String webhookUrl = "";
    private String webhookSecret = "";
    private String mqttHost = "";
    private int mqttPort = 1883;
    private String mqttTopic = "lantern/kpi";
    private String mqttUsername = "";
    private String mqttPassword = "";
    private int maxAttempts = 6;
    private long initialBackoffMs = 1000;
    private long maxBackoffMs = 60_000;
    private long timeoutMs = 5000;
    private int deadLetterCapacity = 500;

    private Builder() {}

    public Builder webhookUrl(String value) {
      webhookUrl = value;
      return this;
    }

    public Builder webhookSecret(String value) {
      webhookSecret = value;
      return this;
    }

    public Builder mqttHost(String value) {
      mqttHost = value;
      return this;
    }

    public Builder mqttPort(int value) {
      mqttPort = value;
      return this;
    }

    public Builder mqttTopic(String value) {
      mqttTopic = value;
      return this;
    }

    public Builder mqttUsername(String value) {
      mqttUsername = value;
      return this;
    }

    public Builder mqttPassword(String value) {
      mqttPassword = value;
      return this;
    }

    public Builder maxAttempts(int value) {
      maxAttempts = value;
      return this;
    }

    public Builder initialBackoffMs(long value) {
      initialBackoffMs = value;
      return this;
    }

    public Builder maxBackoffMs(long value) {
      maxBackoffMs = value;
      return this;
    }

    public Builder timeoutMs(long value) {
      timeoutMs = value;
      return this;
    }

    public Builder deadLetterCapacity(int value) {
      deadLetterCapacity = value;
      return this;
    }

    public IocSettings build() {
      return new IocSettings(
          webhookUrl,
          webhookSecret,
          mqttHost,
          mqttPort,
          mqttTopic,
          mqttUsername,
          mqttPassword,
          maxAttempts,
          initialBackoffMs,
          maxBackoffMs,
          timeoutMs,
          deadLetterCapacity);
    }
  }
}
