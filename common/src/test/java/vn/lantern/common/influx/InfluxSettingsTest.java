package vn.lantern.common.influx;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class InfluxSettingsTest {

  private static InfluxSettings with(String url, String gzip) {
    InfluxSettings d = InfluxSettings.defaults();
    return new InfluxSettings(
        url,
        d.database(),
        d.username(),
        d.password(),
        d.batchSize(),
        d.writesInFlight(),
        d.maxBufferedReadings(),
        d.maxRetryDelayMs(),
        gzip);
  }

  @Test
  void autoCompressesOnlyAcrossTheNetwork() {
    assertFalse(with("http://127.0.0.1:8086", "auto").compress());
    assertFalse(with("http://localhost:8086", "auto").compress());
    assertFalse(with("http://[::1]:8086", "auto").compress());
    assertTrue(with("http://influxdb.internal:8086", "auto").compress());
  }

  @Test
  void explicitSettingsWin() {
    assertTrue(with("http://127.0.0.1:8086", "true").compress());
    assertFalse(with("http://influxdb.internal:8086", "false").compress());
    assertThrows(IllegalArgumentException.class, () -> with("http://x:1", "yes").compress());
  }
}
