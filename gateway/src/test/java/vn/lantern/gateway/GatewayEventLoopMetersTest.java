package vn.lantern.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.VertxOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.lantern.gateway.config.GatewayConfig;

/**
 * The gateway measures the scheduling delay of every event loop of its Vert.x, as the nodes do, and
 * its metrics endpoint shows one meter per loop. The endpoint answers the JDK client's HTTP/2
 * upgrade request in HTTP/1.1, as the nodes' API does.
 */
class GatewayEventLoopMetersTest {
  private static final Pattern LOOP =
      Pattern.compile("(?m)^lantern_vertx_event_loop_delay_seconds_max\\{[^}]*loop=\"([^\"]+)\"");

  @Test
  void theMetricsEndpointShowsADelayMeterPerEventLoop(@TempDir Path dir) throws Exception {
    // A port nobody answers MQTT on: the uplink stays down, which the meters do not need.
    String uplink = "tcp://127.0.0.1:" + GatewayResilienceTest.unusedPort();
    GatewayConfig config =
        TestGateways.config("gw-loops", dir.resolve("gateway"), uplink, List.of(), null, 1000);
    try (Gateway gateway = Gateway.start(config, readings -> {})) {
      Set<String> expected = new TreeSet<>();
      IntStream.range(0, new VertxOptions().getEventLoopPoolSize())
          .forEach(i -> expected.add(String.valueOf(i)));
      GatewayEndToEndTest.await(() -> loopsOnMetrics(gateway).equals(expected));

      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + gateway.httpPort() + "/metrics"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertEquals(HttpClient.Version.HTTP_1_1, response.version());
      assertEquals(
          expected, loops(response.body()), "one delay meter per event loop: " + response.body());
    }
  }

  private static Set<String> loopsOnMetrics(Gateway gateway) {
    return loops(GatewayResilienceTest.scrape(gateway, "/metrics"));
  }

  private static Set<String> loops(String scrape) {
    Set<String> loops = new TreeSet<>();
    Matcher m = LOOP.matcher(scrape);
    while (m.find()) {
      loops.add(m.group(1));
    }
    return loops;
  }
}
