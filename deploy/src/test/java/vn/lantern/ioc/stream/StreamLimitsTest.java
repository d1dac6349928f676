package vn.lantern.ioc.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import vn.lantern.auth.ApiRoutes;
import vn.lantern.auth.AuthService;
import vn.lantern.auth.Caller;
import vn.lantern.auth.Role;

/**
 * The live stream's bounds over real sockets: streams per user and in all are capped (429 with
 * {@code Retry-After}), and a subscriber that stops reading is disconnected once its write queue is
 * full instead of buffering every event. Before, any caller could open streams without limit and a
 * stalled reader made the node buffer events for it without bound. The caller is set by a stand-in
 * for the API guard (the user named in a header): authentication is not under test here.
 */
class StreamLimitsTest {
  private static final int MAX = 3;
  private static final int PER_USER = 2;

  private Vertx vertx;
  private HttpServer server;
  private EventHub hub;
  private SimpleMeterRegistry metrics;
  private final List<Socket> sockets = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    metrics = new SimpleMeterRegistry();
    hub = new EventHub(100, metrics);
    Router router = Router.router(vertx);
    router
        .route("/api/v1/*")
        .handler(
            ctx -> {
              ctx.put(
                  AuthService.CALLER,
                  new Caller(ctx.request().getHeader("X-User"), Role.OPERATOR, Set.of()));
              ctx.next();
            });
    new StreamApi(vertx, hub, 60_000, MAX, PER_USER, metrics).mount(new ApiRoutes(router));
    server =
        vertx
            .createHttpServer()
            .requestHandler(router)
            .listen(0, "127.0.0.1")
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    for (Socket s : sockets) {
      s.close();
    }
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** Opens a stream as {@code user} and returns its socket after the status line was read. */
  private Socket open(String user, int receiveBuffer, String[] status) throws IOException {
    Socket socket = new Socket();
    sockets.add(socket);
    if (receiveBuffer > 0) {
      socket.setReceiveBufferSize(receiveBuffer);
    }
    socket.connect(new InetSocketAddress("127.0.0.1", server.actualPort()), 5_000);
    socket.setSoTimeout(10_000);
    socket
        .getOutputStream()
        .write(
            ("GET /api/v1/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nX-User: " + user + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
    BufferedReader in =
        new BufferedReader(
            new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII), 1);
    status[0] = in.readLine();
    String line;
    StringBuilder headers = new StringBuilder();
    while ((line = in.readLine()) != null && !line.isEmpty()) {
      headers.append(line).append('\n');
    }
    status[1] = headers.toString();
    return socket;
  }

  private String statusOf(String user) throws IOException {
    String[] status = new String[2];
    open(user, 0, status);
    return status[0] + "\n" + status[1];
  }

  @Test
  void streamsAreCappedPerUserAndInAll() throws Exception {
    assertTrue(statusOf("ana").startsWith("HTTP/1.1 200"));
    assertTrue(statusOf("ana").startsWith("HTTP/1.1 200"));
    String third = statusOf("ana");
    assertTrue(third.startsWith("HTTP/1.1 429"), third);
    assertTrue(third.contains("Retry-After: 10"), third);
    assertTrue(statusOf("binh").startsWith("HTTP/1.1 200"), "another user still gets a stream");
    String overall = statusOf("chi");
    assertTrue(overall.startsWith("HTTP/1.1 429"), overall);
    assertEquals(1.0, metrics.counter("lantern.stream.refused", "reason", "user").count());
    assertEquals(1.0, metrics.counter("lantern.stream.refused", "reason", "total").count());

    sockets.get(0).close(); // ana leaves one: her place, and one in all, come back
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!statusOf("ana").startsWith("HTTP/1.1 200")) {
      assertTrue(System.nanoTime() < deadline, "the closed stream's place never came back");
      Thread.sleep(50);
    }
  }

  /** Reads what is left; true once the node has closed the connection. */
  private static boolean closedByTheNode(Socket socket) throws IOException {
    byte[] drain = new byte[64 * 1024];
    try {
      while (socket.getInputStream().read(drain) >= 0) {
        // what was written before the subscriber stalled
      }
      return true;
    } catch (java.net.SocketException reset) {
      return true;
    } catch (java.net.SocketTimeoutException stillOpen) {
      return false;
    }
  }

  @Test
  void aSubscriberThatStopsReadingIsDisconnectedNotBufferedForever() throws Exception {
    String[] status = new String[2];
    Socket stalled = open("dung", 4096, status);
    assertTrue(status[0].startsWith("HTTP/1.1 200"), status[0]);
    String data = "x".repeat(1000);
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    // The socket never reads: kernel buffers fill, then the node's write queue, then it hangs up.
    while (metrics.counter("lantern.stream.slow.closed").count() == 0) {
      assertTrue(System.nanoTime() < deadline, "a reader that never reads was never dropped");
      for (int i = 0; i < 1_000; i++) {
        hub.publish("kpi", "hoi-an", data);
      }
      Thread.sleep(10);
    }
    assertTrue(closedByTheNode(stalled), "the node hung up");
    assertTrue(statusOf("dung").startsWith("HTTP/1.1 200"), "it may come back and resume");
  }
}
