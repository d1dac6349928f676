package vn.lantern.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.lantern.common.modbus.RegisterMap;
import vn.lantern.gateway.config.GatewayConfig;
import vn.lantern.gateway.modbus.TestSlave;
import vn.lantern.gateway.store.NewReading;

/**
 * With the uplink unreachable, a small queue bound and two broken devices (one never answers, one
 * answers with Modbus exceptions): the oldest readings are dropped and counted, the broken devices
 * show up in {@code /metrics}, and the healthy device keeps being polled.
 */
class GatewayResilienceTest {

  @Test
  void dropsOldestAtTheBoundAndIsolatesFailingDevices(@TempDir Path dir) throws Exception {
    Path badMap = dir.resolve("beyond-image.yaml");
    Files.writeString(
        badMap,
        "name: beyond-image\nregisters:\n  - {metric: level, address: 1000, type: uint16}\n");
    Queue<NewReading> collected = new ConcurrentLinkedQueue<>();
    try (TestSlave good = TestSlave.start(1);
        TestSlave refusing = TestSlave.start(1);
        SilentServer silent = new SilentServer()) {
      good.serve(RegisterMap.load("wastewater-analyser"), GatewayEndToEndTest.WASTEWATER);
      // A port nobody answers MQTT on: the uplink stays down for the whole test.
      String uplink = "tcp://127.0.0.1:" + unusedPort();
      GatewayConfig config =
          TestGateways.config(
              "gw-res",
              dir.resolve("gateway"),
              uplink,
              List.of(
                  TestGateways.device("gw-res-good", good.endpoint(), 1, "wastewater-analyser"),
                  TestGateways.device("gw-res-silent", silent.endpoint(), 1, "energy-meter"),
                  TestGateways.device(
                      "gw-res-refusing", refusing.endpoint(), 1, badMap.toString())),
              null,
              40);
      try (Gateway gateway = Gateway.start(config, collected::addAll)) {
        GatewayEndToEndTest.await(
            () -> {
              String m = scrape(gateway, "/metrics");
              return value(m, "gateway_queue_dropped_total") > 0
                  && value(m, errors("gw-res-silent", "timeout")) > 0
                  && value(m, errors("gw-res-refusing", "exception")) > 0;
            });
        int before = GatewayEndToEndTest.polls(collected, "gw-res-good");
        GatewayEndToEndTest.await(
            () -> GatewayEndToEndTest.polls(collected, "gw-res-good") >= before + 3);
        String metrics = scrape(gateway, "/metrics");
        assertEquals(40, value(metrics, "gateway_queue_depth"), metrics);
        assertEquals(0, value(metrics, "gateway_uplink_connected"));
        assertTrue(value(metrics, "gateway_queue_oldest_unsent_age_seconds") >= 0);
        String health = scrape(gateway, "/health");
        assertTrue(health.contains("\"status\":\"UP\""), health);
        assertTrue(health.contains("\"queueDepth\":40"), health);
        // The queue holds the newest readings.
        long newest = collected.stream().mapToLong(NewReading::timestampMs).max().orElseThrow();
        long oldestKept = gateway.queue().oldestTimestampMs();
        assertTrue(newest - oldestKept < 5_000, "oldest kept is recent: " + oldestKept);
        assertTrue(gateway.queue().droppedCount() > 0);
      }
    }
  }

  /** A port that was free a moment ago, with nothing listening on it. */
  static int unusedPort() throws IOException {
    ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    int port = socket.getLocalPort();
    socket.close();
    return port;
  }

  static String errors(String device, String kind) {
    return "gateway_poll_errors_total{device=\"" + device + "\",kind=\"" + kind + "\"}";
  }

  static String scrape(Gateway gateway, String path) {
    try {
      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + gateway.httpPort() + path))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertEquals(200, response.statusCode(), response.body());
      return response.body();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The value of a Prometheus sample (name with labels exactly as exposed), 0 when absent. */
  static double value(String scrape, String sample) {
    Matcher m =
        Pattern.compile("(?m)^" + Pattern.quote(sample) + " ([0-9.eE+-]+)$").matcher(scrape);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  /** Accepts TCP connections and never answers: a device that times out. */
  static final class SilentServer implements AutoCloseable {
    private final ServerSocket server;
    private final List<Socket> held = new ArrayList<>();
    private final Thread acceptor;

    SilentServer() throws IOException {
      server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
      acceptor =
          new Thread(
              () -> {
                while (!server.isClosed()) {
                  try {
                    Socket s = server.accept();
                    synchronized (held) {
                      held.add(s);
                    }
                  } catch (IOException closed) {
                    return;
                  }
                }
              },
              "silent-modbus");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    String endpoint() {
      return "127.0.0.1:" + server.getLocalPort();
    }

    @Override
    public void close() throws IOException {
      server.close();
      synchronized (held) {
        for (Socket s : held) {
          s.close();
        }
      }
    }
  }
}
