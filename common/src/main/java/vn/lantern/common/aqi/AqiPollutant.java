package vn.lantern.common.aqi;

import java.util.List;
import java.util.Optional;

/**
 * The pollutants of VN_AQI with their breakpoints (µg/m³) from Decision 1459/QD-TCMT (2019). The
 * index breakpoints are 0, 50, 100, 150, 200, 300, 400, 500; O3 8-hour has none above 300, where
 * the 1-hour value governs.
 */
public enum AqiPollutant {
  O3_1H("o3", "O3", 0, 160, 200, 300, 400, 800, 1000, 1200),
  O3_8H("o3_8h", "O3", 0, 100, 120, 170, 210, 400),
  CO("co", "CO", 0, 10000, 30000, 45000, 60000, 90000, 120000, 150000),
  SO2("so2", "SO2", 0, 125, 350, 550, 800, 1600, 2100, 2630),
  NO2("no2", "NO2", 0, 100, 200, 700, 1200, 2350, 3100, 3850),
  PM10("pm10", "PM10", 0, 50, 150, 250, 350, 420, 500, 600),
  PM25("pm25", "PM2.5", 0, 25, 50, 80, 150, 250, 350, 500);

  static final int[] INDEX = {0, 50, 100, 150, 200, 300, 400, 500};

  /** The pollutants read from telemetry, each from its own metric (O3 by its 1-hour mean). */
  public static final List<AqiPollutant> MEASURED = List.of(PM25, PM10, O3_1H, NO2, SO2, CO);

  private final String metric;
  private final String displayName;
  private final double[] breakpoints;

  AqiPollutant(String metric, String displayName, double... breakpoints) {
    this.metric = metric;
    this.displayName = displayName;
    this.breakpoints = breakpoints;
  }

  /** Its name as the Decision and the public write it, e.g. {@code PM2.5}. */
  public String displayName() {
    return displayName;
  }

  /** The telemetry metric this pollutant is read from, e.g. {@code pm25}. */
  public String metric() {
    return metric;
  }

  /** The measured pollutant read from {@code metric}, if any. */
  public static Optional<AqiPollutant> ofMetric(String metric) {
    for (AqiPollutant p : MEASURED) {
      if (p.metric.equals(metric)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /** Whether its hourly value is a NowCast of hourly means (the particulates). */
  public boolean usesNowCast() {
    return this == PM10 || this == PM25;
  }

  double[] breakpoints() {
    return breakpoints;
  }
}
