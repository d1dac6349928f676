package vn.lantern.common.influx;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBFactory;

/**
 * The one way a node reaches InfluxDB: a v1 HTTP API client from {@link InfluxSettings}, with the
 * same timeouts, credentials, compression and default database for every user. The parts of one
 * node (the telemetry writer, the KPI and alert-event writers, the history readers) {@link
 * #acquire} one shared client, closed when the last of them closes it at node stop.
 */
public final class InfluxClients implements AutoCloseable {
  private static final long CONNECT_TIMEOUT_S = 2;
  private static final long IO_TIMEOUT_S = 30;

  // Clients handed out by acquire(), by settings, as RelationalStore shares its pool.
  private static final Map<InfluxSettings, InfluxClients> SHARED = new HashMap<>();

  private final InfluxSettings settings;
  private final InfluxDB client;
  private int references = 1;

  private InfluxClients(InfluxSettings settings) {
    this.settings = settings;
    this.client = connect(settings);
  }

  /**
   * The node's client for these settings: created by the first caller, shared with later callers in
   * the same process until each has closed it. Does not connect until first used.
   */
  public static InfluxClients acquire(InfluxSettings settings) {
    synchronized (SHARED) {
      InfluxClients shared = SHARED.get(settings);
      if (shared != null) {
        shared.references++;
        return shared;
      }
      shared = new InfluxClients(settings);
      SHARED.put(settings, shared);
      return shared;
    }
  }

  /** The shared client; its users never close it themselves. */
  public InfluxDB client() {
    return client;
  }

  /** Closes the client once every user has closed it. */
  @Override
  public void close() {
    synchronized (SHARED) {
      if (--references > 0) {
        return;
      }
      SHARED.remove(settings);
    }
    client.close();
  }

  /** A new client of its own for one caller (tools and tests); close it when done. */
  public static InfluxDB connect(InfluxSettings settings) {
    OkHttpClient.Builder http = httpClient();
    InfluxDB influx =
        settings.username().isEmpty()
            ? InfluxDBFactory.connect(settings.url(), http)
            : InfluxDBFactory.connect(
                settings.url(), settings.username(), settings.password(), http);
    if (settings.compress()) {
      influx.enableGzip();
    }
    return influx.setDatabase(settings.database());
  }

  /** The HTTP client settings every InfluxDB client gets. */
  static OkHttpClient.Builder httpClient() {
    return new OkHttpClient.Builder()
        .connectTimeout(CONNECT_TIMEOUT_S, TimeUnit.SECONDS)
        .readTimeout(IO_TIMEOUT_S, TimeUnit.SECONDS)
        .writeTimeout(IO_TIMEOUT_S, TimeUnit.SECONDS)
        .socketFactory(new NoDelaySocketFactory());
  }
}
