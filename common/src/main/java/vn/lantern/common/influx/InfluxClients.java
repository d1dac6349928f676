package vn.lantern.common.influx;

import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBFactory;

/**
 * The one way a node reaches InfluxDB: a v1 HTTP API client from {@link InfluxSettings}, with the
 * same timeouts, credentials, compression and default database for every user (the telemetry
 * writer, the KPI and alert-event writers, the history readers).
 */
public final class InfluxClients {
  private static final long CONNECT_TIMEOUT_S = 2;
  private static final long IO_TIMEOUT_S = 30;

  private InfluxClients() {}

  /** A new client; close it when done. Does not connect until first used. */
  public static InfluxDB connect(InfluxSettings settings) {
    OkHttpClient.Builder http =
        new OkHttpClient.Builder()
            .connectTimeout(CONNECT_TIMEOUT_S, TimeUnit.SECONDS)
            .readTimeout(IO_TIMEOUT_S, TimeUnit.SECONDS)
            .writeTimeout(IO_TIMEOUT_S, TimeUnit.SECONDS);
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
}
