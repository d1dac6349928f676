package vn.lantern.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Context;
import io.vertx.core.VertxOptions;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import vn.lantern.deploy.testing.TestNode;
import vn.lantern.testing.InfluxDbExtension;
import vn.lantern.testing.TestInflux;

/**
 * A running node measures the scheduling delay of every event loop of its Vert.x, and a loop kept
 * busy shows on that loop's meter.
 */
@ExtendWith(InfluxDbExtension.class)
class EventLoopDelayTest {
  private static final String MAX = "lantern_vertx_event_loop_delay_seconds_max";
  private static final Pattern LOOP = Pattern.compile(MAX + "\\{[^}]*loop=\"([^\"]+)\"");
  private static final long BLOCKED_MS = 300;

  /** The probe's period: a block is seen at most this much shorter than it lasted. */
  private static final long TOLERANCE_MS = 100;

  @Test
  void everyLoopIsMeasuredAndABlockedLoopShowsItsDelay(@TempDir Path dir, TestInflux influx)
      throws Exception {
    try (TestNode node = TestNode.builder(dir, influx).start()) {
      int loops = new VertxOptions().getEventLoopPoolSize();
      Set<String> expected = new TreeSet<>();
      IntStream.range(0, loops).forEach(i -> expected.add(String.valueOf(i)));
      waitFor(() -> loopsOnMetrics(node).equals(expected));
      assertEquals(expected, loopsOnMetrics(node), "one delay meter per event loop");

      Context context = node.vertx().getOrCreateContext();
      CompletableFuture<String> thread = new CompletableFuture<>();
      context.runOnContext(v -> thread.complete(Thread.currentThread().getName()));
      String name = thread.get(10, TimeUnit.SECONDS);
      String loop = name.substring(name.lastIndexOf('-') + 1);

      context.runOnContext(v -> sleep(BLOCKED_MS));
      double wanted = (BLOCKED_MS - TOLERANCE_MS) / 1000.0;
      waitFor(() -> node.metrics().value(MAX, "loop", loop) >= wanted);
      double max = node.metrics().value(MAX, "loop", loop);
      assertTrue(max >= wanted, "loop " + loop + " of " + name + " blocked: max delay " + max);
    }
  }

  private static Set<String> loopsOnMetrics(TestNode node) {
    Set<String> loops = new TreeSet<>();
    Matcher m = LOOP.matcher(node.metrics().text());
    while (m.find()) {
      loops.add(m.group(1));
    }
    return loops;
  }

  /** Blocks the calling event loop on purpose. */
  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void waitFor(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
  }
}
