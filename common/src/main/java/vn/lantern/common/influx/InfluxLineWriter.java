package vn.lantern.common.influx;

import java.io.IOException;
import okhttp3.Credentials;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSink;
import okio.GzipSink;
import okio.Okio;
import org.influxdb.InfluxDBException;
import org.influxdb.InfluxDBIOException;

/**
 * Posts line protocol to InfluxDB's v1 {@code /write} endpoint (precision ms) straight through
 * OkHttp, for the telemetry writer's hot path.
 *
 * <p>It bypasses influxdb-java's {@code write}, which builds a Retrofit call, runs it through its
 * interceptors, and takes the body as a {@code String} that it encodes to UTF-8 again on every
 * write: that path was a third of the node's CPU with 8 publishers (docs/benchmarks.md, "Where the
 * rest goes"). Here the URL and the credentials header are built once and the body is the caller's
 * bytes as they are. It uses the same OkHttp settings as the node's influxdb-java client ({@link
 * InfluxClients}: timeouts, {@code TCP_NODELAY}), and failures surface as influxdb-java's own
 * exceptions, classified from InfluxDB's error body by {@link
 * InfluxDBException#buildExceptionForErrorState(String)} exactly as its client does, so callers
 * tell refused data from outages as before.
 */
public final class InfluxLineWriter implements AutoCloseable {
  private static final MediaType LINE_PROTOCOL = MediaType.get("text/plain; charset=utf-8");

  private final OkHttpClient http;
  private final HttpUrl writeUrl;
  private final String authorization;
  private final boolean gzip;

  /** A writer to the database and server in {@code settings}; connects on first write. */
  public InfluxLineWriter(InfluxSettings settings) {
    this.http = InfluxClients.httpClient().build();
    this.writeUrl =
        HttpUrl.get(settings.url())
            .newBuilder()
            .addPathSegment("write")
            .addQueryParameter("db", settings.database())
            .addQueryParameter("precision", "ms")
            .build();
    this.authorization =
        settings.username().isEmpty()
            ? null
            : Credentials.basic(settings.username(), settings.password());
    this.gzip = settings.compress();
  }

  /**
   * Writes {@code length} bytes of UTF-8 line protocol (timestamps in milliseconds) from {@code
   * body}, blocking until InfluxDB answers. The bytes are not copied: leave them unchanged until
   * this returns.
   *
   * @throws InfluxDBException what influxdb-java would throw for InfluxDB's answer, or {@link
   *     InfluxDBIOException} when InfluxDB could not be reached or did not answer in time
   */
  public void write(byte[] body, int offset, int length) {
    Request.Builder request =
        new Request.Builder().url(writeUrl).post(new Body(body, offset, length, gzip));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    if (gzip) {
      request.header("Content-Encoding", "gzip");
    }
    try (Response response = http.newCall(request.build()).execute()) {
      if (!response.isSuccessful()) {
        ResponseBody error = response.body();
        throw InfluxDBException.buildExceptionForErrorState(error == null ? "" : error.string());
      }
    } catch (IOException e) {
      throw new InfluxDBIOException(e);
    }
  }

  @Override
  public void close() {
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }

  /** The caller's bytes as a request body, gzip-compressed on the way out when asked. */
  private static final class Body extends RequestBody {
    private final byte[] bytes;
    private final int offset;
    private final int length;
    private final boolean gzip;

    Body(byte[] bytes, int offset, int length, boolean gzip) {
      this.bytes = bytes;
      this.offset = offset;
      this.length = length;
      this.gzip = gzip;
    }

    @Override
    public MediaType contentType() {
      return LINE_PROTOCOL;
    }

    @Override
    public long contentLength() {
      return gzip ? -1 : length;
    }

    @Override
    public void writeTo(BufferedSink sink) throws IOException {
      if (!gzip) {
        sink.write(bytes, offset, length);
        return;
      }
      try (BufferedSink zipped = Okio.buffer(new GzipSink(sink))) {
        zipped.write(bytes, offset, length);
      }
    }
  }
}
