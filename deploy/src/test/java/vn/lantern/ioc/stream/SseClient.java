package vn.lantern.ioc.stream;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import vn.lantern.deploy.testing.TestNode;

/** A minimal Server-Sent Events client for tests: parses frames into a queue. */
final class SseClient implements AutoCloseable {
  record Event(String id, String type, String data) {}

  final int status;
  private final HttpClient client;
  private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
  private final StringBuilder pending = new StringBuilder();

  private SseClient(HttpClient client, HttpClientResponse response) {
    this.client = client;
    this.status = response.statusCode();
    if (status != 200) {
      return;
    }
    response.handler(
        chunk -> {
          synchronized (pending) {
            pending.append(chunk.toString());
            int end;
            while ((end = pending.indexOf("\n\n")) >= 0) {
              parse(pending.substring(0, end));
              pending.delete(0, end + 2);
            }
          }
        });
  }

  static SseClient open(Vertx vertx, int port, String path, Map<String, String> headers)
      throws Exception {
    HttpClient client = vertx.createHttpClient();
    RequestOptions options =
        new RequestOptions()
            .setMethod(HttpMethod.GET)
            .setHost("127.0.0.1")
            .setPort(port)
            .setURI(path);
    headers.forEach(options::addHeader);
    // The frame handler is set as the response head arrives, before any of its body.
    return TestNode.await(
        client.request(options).compose(r -> r.send()).map(r -> new SseClient(client, r)));
  }

  private void parse(String frame) {
    String id = null;
    String type = "message";
    StringBuilder data = new StringBuilder();
    for (String line : frame.split("\n")) {
      if (line.startsWith("id: ")) {
        id = line.substring(4);
      } else if (line.startsWith("event: ")) {
        type = line.substring(7);
      } else if (line.startsWith("data: ")) {
        data.append(line.substring(6));
      }
    }
    if (id != null || data.length() > 0) {
      events.add(new Event(id, type, data.toString()));
    }
  }

  /** The next event, failing after {@code timeout}. */
  Event next(Duration timeout) throws InterruptedException {
    Event e = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (e == null) {
      throw new AssertionError("no event within " + timeout);
    }
    return e;
  }

  /** An event if one arrives within {@code timeout}, else null. */
  Event poll(Duration timeout) throws InterruptedException {
    return events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() throws Exception {
    TestNode.await(client.close());
  }
}
