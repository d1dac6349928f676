package vn.lantern.gateway.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The durable queue: order, acknowledgement, rejection, bounds and reopening. */
class ReadingQueueTest {

  private static List<NewReading> readings(String device, long fromTs, int n) {
    List<NewReading> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new NewReading(device, "ph", 7 + i / 1000.0, "pH", fromTs + i));
    }
    return out;
  }

  @Test
  void keepsOrderDeletesAcknowledgedAndSurvivesReopen(@TempDir Path dir) {
    try (ReadingQueue queue = ReadingQueue.open(dir, 1L << 30, 0, new SimpleMeterRegistry())) {
      queue.append(readings("a", 1000, 10));
      queue.append(readings("b", 2000, 5));
      List<QueuedReading> head = queue.peek(0, 12);
      assertEquals(12, head.size());
      assertEquals(1000, head.get(0).timestampMs());
      assertEquals("b", head.get(11).device());
      queue.delete(head.subList(0, 4));
      queue.reject(head.subList(4, 6), 0x99);
      assertEquals(9, queue.depth());
      assertEquals(1006, queue.oldestTimestampMs());
    }
    try (ReadingQueue queue = ReadingQueue.open(dir, 1L << 30, 0, new SimpleMeterRegistry())) {
      assertEquals(9, queue.depth());
      List<QueuedReading> rest = queue.peek(0, 100);
      assertEquals(1006, rest.get(0).timestampMs());
      assertEquals(2004, rest.get(8).timestampMs());
    }
  }

  @Test
  void dropsTheOldestAtTheRowBound(@TempDir Path dir) {
    try (ReadingQueue queue = ReadingQueue.open(dir, 1L << 30, 100, new SimpleMeterRegistry())) {
      for (int i = 0; i < 25; i++) {
        queue.append(readings("a", i * 10L, 10));
      }
      assertEquals(100, queue.depth());
      assertEquals(150, queue.droppedCount());
      assertEquals(150, queue.peek(0, 1).get(0).timestampMs(), "the newest are kept");
    }
  }

  @Test
  void staysWithinTheByteBound(@TempDir Path dir) {
    long bound = 256 * 1024;
    SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    try (ReadingQueue queue = ReadingQueue.open(dir, bound, 0, metrics)) {
      for (int i = 0; i < 200; i++) {
        queue.append(readings("a-device-with-a-long-name", i * 100L, 100));
      }
      assertTrue(queue.droppedCount() > 0, "dropped some");
      assertTrue(
          metrics.get("gateway_queue_bytes").gauge().value() <= bound,
          "used bytes within the bound");
      List<QueuedReading> newest = queue.peek(0, Integer.MAX_VALUE);
      assertEquals(199 * 100L + 99, newest.get(newest.size() - 1).timestampMs());
    }
  }

  @Test
  void refusedReadingsAreBoundedApartAndNeverPushOutGoodOnes(@TempDir Path dir) {
    long bound = 256 * 1024;
    SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    try (ReadingQueue queue = ReadingQueue.open(dir, bound, 0, 1_000, metrics)) {
      queue.append(readings("good", 0, 1_000));
      // a sensor sending values the node refuses, for a long time: 20,000 refusals
      for (int round = 0; round < 100; round++) {
        queue.append(readings("bad", 1_000_000L + round * 200L, 200));
        List<QueuedReading> bad =
            queue.peek(0, Integer.MAX_VALUE).stream()
                .filter(r -> r.device().equals("bad"))
                .toList();
        queue.reject(bad, 0x99);
      }
      assertEquals(0, queue.droppedCount(), "no good reading was pushed out");
      assertEquals(1_000, queue.depth());
      assertEquals(1_000, metrics.get("gateway_queue_rejected_rows").gauge().value());
      assertEquals(19_000, metrics.get("gateway_queue_rejected_dropped").counter().count());
    }
  }
}
