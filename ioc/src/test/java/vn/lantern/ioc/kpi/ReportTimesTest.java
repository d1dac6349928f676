package vn.lantern.ioc.kpi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The completeness timeline answers exactly as the sorted set it replaced. */
class ReportTimesTest {
  @Test
  void countsDistinctInstantsInAPeriodWhateverTheArrivalOrder() {
    ReportTimes times = new ReportTimes();
    for (long t : new long[] {50, 10, 30, 30, 20, 60, 10, 40}) {
      times.add(t);
    }
    assertEquals(6, times.size());
    assertEquals(3, times.countIn(20, 50));
    assertEquals(0, times.countIn(61, 100));
    assertEquals(60, times.last());
  }

  @Test
  void pruningKeepsTheLastInstantBeforeTheCutoff() {
    ReportTimes times = new ReportTimes();
    for (long t = 0; t < 100; t += 10) {
      times.add(t);
    }
    times.pruneBefore(45);
    assertEquals(6, times.size()); // 40 stays as the baseline, then 50..90
    assertEquals(1, times.countIn(0, 45));
    times.pruneBefore(0);
    assertEquals(6, times.size());
  }

  @Test
  void aLateInstantArrivingWhenTheFullArraySlidesLandsInOrder() {
    // 8 instants fill the first array; pruning leaves 50, 60, 70 at its end, so making room for
    // the next one slides them to the front.
    ReportTimes times = fullArray();
    times.pruneBefore(55);
    times.add(65);
    assertEquals(4, times.size());
    assertEquals(1, times.countIn(61, 70));
    assertEquals(70, times.last());
  }

  @Test
  void aLateInstantArrivingWhenTheFullArrayGrowsLandsInOrder() {
    // Pruning only the first instant leaves too many to slide: the array grows, from 0 again.
    ReportTimes times = fullArray();
    times.pruneBefore(15);
    times.add(25);
    assertEquals(8, times.size());
    assertEquals(3, times.countIn(10, 30));
    assertEquals(1, times.countIn(21, 29));
    assertEquals(70, times.last());
  }

  private static ReportTimes fullArray() {
    ReportTimes times = new ReportTimes();
    for (long t = 0; t < 80; t += 10) {
      times.add(t);
    }
    return times;
  }

  @Test
  void agreesWithASortedSetOnRandomArrivalsAndPruning() {
    Random random = new Random(42);
    ReportTimes times = new ReportTimes();
    TreeSet<Long> expected = new TreeSet<>();
    long clock = 0;
    for (int i = 0; i < 20_000; i++) {
      clock += random.nextInt(3);
      // mostly in order, sometimes late, sometimes a repeat
      long t = random.nextInt(10) == 0 ? clock - random.nextInt(500) : clock;
      times.add(t);
      expected.add(t);
      if (i % 1000 == 999) {
        long cutoff = clock - 2_000;
        times.pruneBefore(cutoff);
        Long keep = expected.lower(cutoff);
        if (keep != null) {
          expected.headSet(keep, false).clear();
        }
      }
      long from = clock - random.nextInt(3_000);
      assertEquals(expected.subSet(from, true, clock, false).size(), times.countIn(from, clock));
    }
    assertEquals(expected.size(), times.size());
    assertEquals(expected.last(), times.last());
  }
}
