package vn.lantern.ingest.store;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.zip.GZIPOutputStream;
import org.influxdb.InfluxDBException;
import org.influxdb.InfluxDBIOException;
import vn.lantern.common.influx.InfluxSettings;

/**
 * Posts line protocol to InfluxDB's v1 {@code /write} with Vert.x's HTTP client (Netty, pooled
 * keep-alive connections), for the telemetry writer's threads, which wait for the answer.
 *
 * <p>Why not influxdb-java's {@code write}: it goes through Retrofit and OkHttp, which the profile
 * of a node storing one-reading messages put at a third of the node's CPU, most of it per request
 * overhead. Failures are still reported as influxdb-java's exceptions, classified by the same
 * {@link InfluxDBException#buildExceptionForErrorState(String)} from InfluxDB's error body, so the
 * writer tells refused data from outages exactly as before.
 */
final class InfluxWriteClient implements AutoCloseable {
  private static final int CONNECT_TIMEOUT_MS = 2_000;
  private static final int IO_TIMEOUT_MS = 30_000;

  private final HttpClient http;
  private final RequestOptions request;
  private final boolean gzip;

  InfluxWriteClient(Vertx vertx, InfluxSettings settings, int connections) {
    URI url = URI.create(settings.url());
    boolean tls = "https".equalsIgnoreCase(url.getScheme());
    int port = url.getPort() > 0 ? url.getPort() : tls ? 443 : 80;
    this.http =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setSsl(tls)
                .setConnectTimeout(CONNECT_TIMEOUT_MS)
                .setKeepAlive(true),
            new PoolOptions().setHttp1MaxSize(connections));
    String base = url.getRawPath() == null ? "" : url.getRawPath().replaceAll("/+$", "");
    String uri =
        base
            + "/write?db="
            + URLEncoder.encode(settings.database(), StandardCharsets.UTF_8)
            + "&precision=ms";
    this.gzip = settings.compress();
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    headers.add(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8");
    if (gzip) {
      headers.add(HttpHeaders.CONTENT_ENCODING, "gzip");
    }
    if (!settings.username().isEmpty()) {
      String credentials = settings.username() + ":" + settings.password();
      headers.add(
          HttpHeaders.AUTHORIZATION,
          "Basic "
              + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
    }
    this.request =
        new RequestOptions()
            .setMethod(HttpMethod.POST)
            .setHost(url.getHost())
            .setPort(port)
            .setURI(uri)
            .setHeaders(headers)
            .setIdleTimeout(IO_TIMEOUT_MS);
  }

  /**
   * Writes the lines and waits for InfluxDB's answer. Call off the event loop.
   *
   * @throws InfluxDBException as influxdb-java would classify InfluxDB's refusal; {@link
   *     InfluxDBIOException} when InfluxDB could not be reached or did not answer in time
   */
  void write(CharSequence lines) throws InterruptedException {
    byte[] body = lines.toString().getBytes(StandardCharsets.UTF_8);
    Buffer payload = Buffer.buffer(gzip ? gzip(body) : body);
    Future<Void> written =
        http.request(request)
            .compose(req -> req.send(payload))
            .compose(
                response ->
                    response
                        .body()
                        .compose(
                            answer ->
                                response.statusCode() / 100 == 2
                                    ? Future.succeededFuture()
                                    : Future.failedFuture(
                                        InfluxDBException.buildExceptionForErrorState(
                                            answer.toString(StandardCharsets.UTF_8)))));
    try {
      written
          .toCompletionStage()
          .toCompletableFuture()
          .get(CONNECT_TIMEOUT_MS + 2L * IO_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw asInfluxException(e.getCause());
    } catch (TimeoutException e) {
      throw new InfluxDBIOException(new IOException("no answer from InfluxDB in time", e));
    }
  }

  private static InfluxDBException asInfluxException(Throwable cause) {
    if (cause instanceof InfluxDBException influx) {
      return influx;
    }
    if (cause instanceof IOException io) {
      return new InfluxDBIOException(io);
    }
    return new InfluxDBIOException(new IOException(String.valueOf(cause.getMessage()), cause));
  }

  private static byte[] gzip(byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length / 4 + 64);
    try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
      zip.write(body);
    } catch (IOException e) {
      throw new IllegalStateException("gzip into memory failed", e);
    }
    return out.toByteArray();
  }

  @Override
  public void close() {
    http.close();
  }
}
