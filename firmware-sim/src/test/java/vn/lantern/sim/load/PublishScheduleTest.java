package vn.lantern.sim.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The devices' first publishes are spread evenly over one period instead of one burst. */
class PublishScheduleTest {

  @Test
  void periodGivesTheTargetRateOverAllDevices() {
    assertEquals(500, PublishSchedule.forRate(1000, 2000).periodMs());
    assertEquals(27, PublishSchedule.forRate(1000, 37_000).periodMs());
    assertEquals(1, PublishSchedule.forRate(1, 1_000_000).periodMs());
  }

  @Test
  void firstPublishesFillOnePeriodEvenly() {
    PublishSchedule schedule = new PublishSchedule(500, 1000);
    int[] perMillisecond = new int[501];
    for (int i = 0; i < 1000; i++) {
      long delay = schedule.firstDelayMs(i);
      assertTrue(delay >= 1 && delay <= 500, "device " + i + " starts at " + delay);
      perMillisecond[(int) delay]++;
    }
    // 1,000 devices over 500 ms: two start in each millisecond, none at the same instant as all.
    for (int ms = 1; ms <= 500; ms++) {
      assertEquals(2, perMillisecond[ms], "devices starting at " + ms + " ms");
    }
  }

  @Test
  void moreDevicesThanMillisecondsShareEachMillisecondEvenly() {
    PublishSchedule schedule = new PublishSchedule(27, 1000);
    int[] perMillisecond = new int[28];
    for (int i = 0; i < 1000; i++) {
      perMillisecond[(int) schedule.firstDelayMs(i)]++;
    }
    for (int ms = 1; ms <= 27; ms++) {
      assertTrue(
          perMillisecond[ms] == 37 || perMillisecond[ms] == 38,
          perMillisecond[ms] + " devices at " + ms + " ms");
    }
    assertEquals(0, perMillisecond[0]);
  }

  @Test
  void firstDelaysNeverDecreaseWithTheDeviceIndex() {
    PublishSchedule schedule = new PublishSchedule(100, 7);
    for (int i = 1; i < 7; i++) {
      assertTrue(schedule.firstDelayMs(i) >= schedule.firstDelayMs(i - 1));
    }
  }

  @Test
  void refusesAnEmptySchedule() {
    assertThrows(IllegalArgumentException.class, () -> new PublishSchedule(0, 10));
    assertThrows(IllegalArgumentException.class, () -> new PublishSchedule(10, 0));
  }
}
