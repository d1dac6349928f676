package vn.lantern.ioc.kpi;

import java.util.List;

/** The KPI names of the built-in catalogue, as stored in InfluxDB and served by the API. */
public final class KpiNames {
  public static final String AQI = "aqi";
  public static final String AQI_DAILY = "aqi_daily";
  public static final String AQI_HOURS_ABOVE_100 = "aqi_hours_above_100";
  public static final String RIVER_LEVEL_MAX = "river_level_max";
  public static final String RAIN_1H = "rain_1h";
  public static final String RAIN_24H = "rain_24h";
  public static final String DISASTER_RISK_LEVEL = "disaster_risk_level";
  public static final String WASTEWATER_COMPLIANCE_PCT = "wastewater_compliance_pct";
  public static final String WASTEWATER_EXCEEDANCES_TODAY = "wastewater_exceedances_today";
  public static final String ENERGY_KWH_TODAY = "energy_kwh_today";
  public static final String POWER_PEAK_KW = "power_peak_kw";
  public static final String PF_AVG = "pf_avg";
  public static final String STREET_LIGHT_FAULTS = "street_light_faults";
  public static final String DEVICES_ONLINE_PCT = "devices_online_pct";
  public static final String DATA_COMPLETENESS_PCT = "data_completeness_pct";
  public static final String ALERTS_OPEN_CRITICAL = "alerts_open_critical";
  public static final String ALERTS_OPEN_WARNING = "alerts_open_warning";

  /** Every built-in KPI. */
  public static final List<String> ALL =
      List.of(
          AQI,
          AQI_DAILY,
          AQI_HOURS_ABOVE_100,
          RIVER_LEVEL_MAX,
          RAIN_1H,
          RAIN_24H,
          DISASTER_RISK_LEVEL,
          WASTEWATER_COMPLIANCE_PCT,
          WASTEWATER_EXCEEDANCES_TODAY,
          ENERGY_KWH_TODAY,
          POWER_PEAK_KW,
          PF_AVG,
          STREET_LIGHT_FAULTS,
          DEVICES_ONLINE_PCT,
          DATA_COMPLETENESS_PCT,
          ALERTS_OPEN_CRITICAL,
          ALERTS_OPEN_WARNING);

  private KpiNames() {}
}
