package vn.lantern.ioc.kpi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CounterIncreaseTest {

  @Test
  void sumsStepsOfAMonotonicCounter() {
    CounterIncrease kwh = new CounterIncrease();
    for (double v : new double[] {1200.0, 1200.5, 1203.0, 1210.25}) {
      kwh.add(v);
    }
    assertEquals(10.25, kwh.total(), 1e-9);
  }

  @Test
  void aResetCountsFromZero() {
    CounterIncrease kwh = new CounterIncrease();
    for (double v : new double[] {1200.0, 1204.0, 3.0, 5.5}) {
      kwh.add(v);
    }
    // 4 kWh before the reset, 3 kWh up to the first sample after it, then 2.5.
    assertEquals(9.5, kwh.total(), 1e-9);
  }

  @Test
  void aStrayLowerSampleIsIgnoredNotCountedAsAReset() {
    CounterIncrease kwh = new CounterIncrease();
    // 1500 is a late or replayed sample, not a reset: counting it as one would add 1500 kWh.
    for (double v : new double[] {2000.0, 2004.0, 1500.0, 2006.0, 2010.0}) {
      kwh.add(v);
    }
    assertEquals(10, kwh.total(), 1e-9);
  }

  @Test
  void oneSampleOrNoneIsZero() {
    CounterIncrease kwh = new CounterIncrease();
    assertEquals(0, kwh.total());
    kwh.add(42);
    kwh.add(Double.NaN);
    assertEquals(0, kwh.total());
  }
}
