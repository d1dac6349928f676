package vn.lantern.sim.device;

import io.vertx.mqtt.MqttConnectionException;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.lantern.common.logging.LogWindow;

/**
 * Logs failed connects at WARN with their reason, aggregated over a fleet: one line per reason
 * every {@value #WINDOW_MS} ms at most, counting the failures since the previous one, so a
 * reconnect storm of hundreds of devices costs a few lines. A refusal by one of the node's
 * connection limits is named as such, with the setting that raises it.
 */
public final class ConnectFailureLog {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectFailureLog.class);
  private static final long WINDOW_MS = 10_000;
  private static final int MAX_REASONS = 64;
  private static final String OTHER = "other";

  private final Map<String, LogWindow> byReason = new ConcurrentHashMap<>();
  private final LongSupplier clockMs;

  public ConnectFailureLog() {
    this(System::currentTimeMillis);
  }

  /**
   * @param clockMs the time in milliseconds, for tests
   */
  ConnectFailureLog(LongSupplier clockMs) {
    this.clockMs = clockMs;
  }

  /**
   * Notes one failed connect and logs it unless its reason was logged in the last window.
   *
   * @return the failures the logged line counts (this one and those held back), or 0 when nothing
   *     was logged
   */
  public long failed(String device, Throwable error) {
    Reason reason = Reason.of(error);
    String key =
        byReason.containsKey(reason.name()) || byReason.size() < MAX_REASONS
            ? reason.name()
            : OTHER;
    long failures =
        byReason.computeIfAbsent(key, k -> new LogWindow(WINDOW_MS)).take(clockMs.getAsLong());
    if (failures > 0) {
      LOG.warn(
          "event=connect_failed reason={} failures={} last_device={} detail=\"{}\"",
          reason.name(),
          failures,
          device,
          reason.detail());
    }
    return failures;
  }

  /**
   * Why a connect failed.
   *
   * @param name a short token, e.g. {@code quota_exceeded}
   * @param detail what it means, or the error's own text
   */
  record Reason(String name, String detail) {
    private static final String LIMIT =
        "a connection limit of the node, e.g. connections.maxMqttPerAddress when many devices"
            + " share one address (its log names the limit)";

    static Reason of(Throwable error) {
      Throwable e = error;
      while ((e instanceof CompletionException || e instanceof ExecutionException)
          && e.getCause() != null) {
        e = e.getCause();
      }
      if (e instanceof org.eclipse.paho.mqttv5.common.MqttException v5) {
        return ofMqtt5(v5.getReasonCode(), v5.getMessage());
      }
      if (e instanceof org.eclipse.paho.client.mqttv3.MqttException v3) {
        return ofMqtt3(v3.getReasonCode(), v3.getMessage());
      }
      if (e instanceof MqttConnectionException refused) {
        int code = refused.code().byteValue() & 0xff;
        return code <= 5 ? ofMqtt3(code, refused.getMessage()) : ofMqtt5(code, e.getMessage());
      }
      return new Reason(e.getClass().getSimpleName(), String.valueOf(e.getMessage()));
    }

    private static Reason ofMqtt5(int code, String message) {
      return switch (code) {
        case 0x97 -> new Reason("quota_exceeded", "CONNACK 0x97 quota exceeded: " + LIMIT);
        case 0x89 ->
            new Reason(
                "server_busy", "CONNACK 0x89 server busy: credential checks full (retry later)");
        case 0x86, 0x87 ->
            new Reason(
                "bad_credentials",
                String.format("CONNACK 0x%02x: wrong id or secret, or throttled guesses", code));
        default -> new Reason(String.format("mqtt5_0x%02x", code), String.valueOf(message));
      };
    }

    private static Reason ofMqtt3(int code, String message) {
      return switch (code) {
        case 3 ->
            new Reason(
                "server_unavailable",
                "CONNACK return code 3 server unavailable: "
                    + LIMIT
                    + ", or busy credential checks");
        case 4, 5 ->
            new Reason(
                "bad_credentials",
                "CONNACK return code " + code + ": wrong id or secret, or throttled guesses");
        default -> new Reason("mqtt_" + code, String.valueOf(message));
      };
    }
  }
}
