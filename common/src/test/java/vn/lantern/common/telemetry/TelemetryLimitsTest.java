package vn.lantern.common.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TelemetryLimitsTest {

  @Test
  void defaultsMatchTheDesign() {
    TelemetryLimits limits = TelemetryLimits.defaults();
    assertEquals(65536, limits.maxPayloadBytes());
    assertEquals(500, limits.maxReadingsPerMessage());
    assertEquals(Duration.ofDays(7), limits.maxAge());
    assertEquals(Duration.ofMinutes(5), limits.maxFuture());
  }

  @Test
  void rejectsNonsensicalLimits() {
    Duration day = Duration.ofDays(1);
    assertThrows(IllegalArgumentException.class, () -> new TelemetryLimits(0, 1, day, day));
    assertThrows(IllegalArgumentException.class, () -> new TelemetryLimits(1, 0, day, day));
    assertThrows(
        IllegalArgumentException.class, () -> new TelemetryLimits(1, 1, day.negated(), day));
    assertThrows(NullPointerException.class, () -> new TelemetryLimits(1, 1, day, null));
  }
}
