package vn.lantern.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** With {@link IsolationBTest}: two test classes get different databases. */
@ExtendWith(InfluxDbExtension.class)
class IsolationATest {

  @Test
  void seesOnlyItsOwnDatabase(TestInflux influx) {
    assertTrue(influx.database().startsWith("t_IsolationATest_"), influx.database());
    IsolationTestSupport.checkIsolated(influx, "A");
  }

  @AfterAll
  static void afterAll(TestInflux influx) {
    IsolationTestSupport.finished(influx);
  }
}
