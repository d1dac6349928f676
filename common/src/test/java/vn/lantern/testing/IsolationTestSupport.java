package vn.lantern.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.influxdb.dto.Point;

/**
 * Shared checks of {@link IsolationATest} and {@link IsolationBTest}. Class order is not fixed, so
 * each class checks against whatever ran before it: the second one verifies that it got another
 * database and that the first one's database was dropped once that class finished.
 */
final class IsolationTestSupport {

  /** Database name of each class that ran, to whether that class has finished. */
  private static final Map<String, Boolean> databases = new ConcurrentHashMap<>();

  private IsolationTestSupport() {}

  static void checkIsolated(TestInflux influx, String classTag) {
    databases.putIfAbsent(influx.database(), false);
    influx
        .client()
        .write(Point.measurement("marker").tag("class", classTag).addField("v", 1).build());

    // Only this class's own point is visible, whatever the other class wrote.
    assertEquals(1, influx.count("marker"));
    assertEquals(classTag, influx.query("SELECT * FROM marker").get(0).get("class"));

    databases.forEach(
        (other, finished) -> {
          if (!other.equals(influx.database()) && finished) {
            // The extension drops a class's database right after its @AfterAll.
            assertTrue(awaitDropped(influx, other), other + " was not dropped");
          }
        });
  }

  static void finished(TestInflux influx) {
    databases.put(influx.database(), true);
  }

  private static boolean awaitDropped(TestInflux influx, String database) {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (influx.query("SHOW DATABASES").stream().noneMatch(row -> row.containsValue(database))) {
        return true;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return false;
  }
}
