package vn.lantern.ingest;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.lantern.common.logging.LogWindow;
import vn.lantern.ingest.pipeline.LogBudget;

/**
 * Logs the connections a limit of the node refuses, naming the limit and its setting, so that an
 * operator whose devices cannot connect sees why without reading metrics: at most one line per
 * limit and client address a minute, the next one counting the refusals in between, and at most
 * {@value #LINES_PER_MINUTE} lines a minute in all, so a reconnect storm or a scan from many
 * addresses costs the log a few lines. Metrics still count every refusal.
 */
public final class ConnectionRefusalLog {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectionRefusalLog.class);
  private static final long WINDOW_MS = 60_000;
  private static final int LINES_PER_MINUTE = 60;
  private static final int MAX_TRACKED = 10_000;

  /** A limit that refuses connections: its name in the log and its setting. */
  public enum Limit {
    /** Open MQTT connections of one client address. */
    PER_ADDRESS("per_address", "connections.maxMqttPerAddress"),
    /** Open MQTT connections of one device. */
    PER_DEVICE("per_device", "connections.maxMqttPerDevice"),
    /** DTLS connections the node holds, in all. */
    DTLS_CONNECTIONS("dtls_connections", "coaps.maxConnections"),
    /** Credential checks waiting for the hashing pool, in all or from one address. */
    AUTH_BUSY("auth_busy", "deviceAuth.maxPending"),
    /** Failed credential checks (and, per id, guesses in flight) of one device id in the window. */
    AUTH_FAILURES_PER_ID("auth_throttled", "deviceAuth.maxFailuresPerId"),
    /** Failed credential checks from one client address in the window. */
    AUTH_FAILURES_PER_ADDRESS("auth_throttled", "deviceAuth.maxFailuresPerAddress");

    private final String tag;
    private final String setting;

    Limit(String tag, String setting) {
      this.tag = tag;
      this.setting = setting;
    }

    /** The limit's name in the log line. */
    public String tag() {
      return tag;
    }

    /** The configuration key that sets the limit. */
    public String setting() {
      return setting;
    }
  }

  private final Cache<String, LogWindow> byKey =
      Caffeine.newBuilder()
          .maximumSize(MAX_TRACKED)
          .expireAfterAccess(Duration.ofMillis(2 * WINDOW_MS))
          .build();
  private final LogBudget budget = new LogBudget(LINES_PER_MINUTE);
  private final LongSupplier clockMs;

  public ConnectionRefusalLog() {
    this(System::currentTimeMillis);
  }

  /**
   * @param clockMs the time in milliseconds, for tests
   */
  ConnectionRefusalLog(LongSupplier clockMs) {
    this.clockMs = clockMs;
  }

  /**
   * Notes one refused connection and logs it unless a line for this limit and address went out in
   * the last minute.
   *
   * @param protocol {@code mqtt}, {@code coap}
   * @param address the client's IP address
   * @param device the device id the client gave, or {@code null}
   * @return the refusals the logged line counts (this one and those held back before it), or 0 when
   *     nothing was logged
   */
  public long refused(String protocol, Limit limit, String address, String device) {
    long now = clockMs.getAsLong();
    long refused =
        byKey
            .get(limit.name() + ' ' + address, k -> new LogWindow(WINDOW_MS))
            .take(now, () -> budget.take(now) >= 0);
    if (refused > 0) {
      LOG.warn(
          "event=connection_refused protocol={} limit={} setting={} address={} device={}"
              + " refused={}",
          protocol,
          limit.tag,
          limit.setting,
          LogBudget.clip(address),
          LogBudget.clip(device),
          refused);
    }
    return refused;
  }
}
