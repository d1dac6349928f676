package vn.lantern.common.influx;

/**
 * How the node reaches InfluxDB and batches its writes.
 *
 * @param url InfluxDB base URL (v1 HTTP API)
 * @param database database name; created if missing
 * @param username user, empty for none
 * @param password password, empty for none
 * @param batchSize most readings in one write (a message's readings are never split)
 * @param writesInFlight writes that may be in flight at once; each write takes everything pending
 *     when it starts (group commit), so there is no timer to wait out
 * @param maxBufferedReadings readings held in memory while InfluxDB is slow or down; beyond this
 *     the node answers "unavailable" instead of acknowledging
 * @param maxRetryDelayMs cap of the exponential backoff between failed writes
 * @param gzip compress write bodies: {@code true}, {@code false}, or {@code auto} (only when
 *     InfluxDB is not on this host: on loopback, compressing costs CPU and saves nothing)
 */
public record InfluxSettings(
    String url,
    String database,
    String username,
    String password,
    int batchSize,
    int writesInFlight,
    int maxBufferedReadings,
    int maxRetryDelayMs,
    String gzip) {

  /** The documented defaults. */
  public static InfluxSettings defaults() {
    return new InfluxSettings(
        "http://127.0.0.1:8086", "lantern", "", "", 5000, 2, 200_000, 5000, "auto");
  }

  /** These settings for another server and database (e.g. a test's InfluxDB). */
  public InfluxSettings withServer(String url, String database) {
    return new InfluxSettings(
        url,
        database,
        username,
        password,
        batchSize,
        writesInFlight,
        maxBufferedReadings,
        maxRetryDelayMs,
        gzip);
  }

  /** Whether write bodies are gzip-compressed, resolving {@code auto} by the URL's host. */
  public boolean compress() {
    return switch (gzip) {
      case "true" -> true;
      case "false" -> false;
      case "auto" -> !isLoopback(url);
      default ->
          throw new IllegalArgumentException("influx.gzip must be auto, true or false: " + gzip);
    };
  }

  private static boolean isLoopback(String url) {
    String host = java.net.URI.create(url).getHost();
    return host != null
        && (host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]"));
  }
}
