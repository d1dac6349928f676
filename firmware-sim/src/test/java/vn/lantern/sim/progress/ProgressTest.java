package vn.lantern.sim.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressTest {

  @Test
  void plainModeWritesWholeLinesWithDoneTotalRateAndEta() throws Exception {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    AtomicLong done = new AtomicLong(250);
    PrintStream out = new PrintStream(captured, true, StandardCharsets.UTF_8);
    try (Progress progress =
        new Progress("backfill", "readings", done::get, () -> 1000, out, false, 20)) {
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (captured.size() == 0 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      done.set(1000);
    }
    String text = captured.toString(StandardCharsets.UTF_8);
    assertFalse(text.contains("\r"), text);
    String first = text.lines().findFirst().orElseThrow();
    assertTrue(
        first.matches(
            "backfill 250/1000 readings 25% \\d+ readings/s elapsed 0:\\d\\d ETA \\d+:\\d\\d"),
        first);
    String last = text.lines().reduce((a, b) -> b).orElseThrow();
    assertTrue(last.startsWith("backfill 1000/1000 readings 100% "), last);
    assertFalse(last.contains("ETA"), last);
  }

  @Test
  void liveModeRedrawsOneLine() {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(captured, true, StandardCharsets.UTF_8);
    new Progress("bench", "acks", () -> 5, () -> 0, out, true, 60_000).close();
    String text = captured.toString(StandardCharsets.UTF_8);
    assertTrue(text.startsWith("\rbench 5 acks "), text);
    assertTrue(text.endsWith("\033[K" + System.lineSeparator()), text);
  }

  @Test
  void clockShowsMinutesOrHours() {
    assertEquals("1:05", Progress.clock(Duration.ofSeconds(65)));
    assertEquals("2:00:01", Progress.clock(Duration.ofSeconds(7201)));
  }
}
