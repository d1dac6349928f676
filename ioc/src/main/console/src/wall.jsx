import { formatClock, formatNumber } from "./i18n.js";

/** The zone states from worst to best: tiles are ordered by it, then by name. */
export const STATES = ["critical", "warning", "watch", "normal", "unknown"];

/** The zone's worst state, for its map marker and tile border. */
export function worstState(get) {
  const aqi = get("aqi")?.value ?? -1;
  const alarm = get("river_level_max")?.alarmLevel ?? 0;
  if ((get("alerts_open_critical")?.value ?? 0) > 0 || alarm >= 3 || aqi > 200) return "critical";
  if ((get("alerts_open_warning")?.value ?? 0) > 0 || alarm === 2 || aqi > 150) return "warning";
  if (alarm === 1 || aqi > 100 || (get("wastewater_exceedances_today")?.value ?? 0) > 0) return "watch";
  return get("devices_online_pct") || get("aqi") ? "normal" : "unknown";
}

function textColor(hex) {
  const n = parseInt(hex.slice(1), 16);
  const luminance = 0.299 * (n >> 16) + 0.587 * ((n >> 8) & 255) + 0.114 * (n & 255);
  return luminance > 150 ? "#111" : "#fff";
}

function Metric({ kpi, item, label, unit, lang, digits = 1, children }) {
  if (!item) return null;
  return (
    <div class="metric" data-kpi={kpi} data-value={item.value}>
      <span class="label">{label}</span>
      <span class="value">{formatNumber(lang, item.value, digits)}<small>{unit}</small></span>
      {children}
    </div>
  );
}

/** Today's daily AQI, marked provisional with its hours of data while the day is in progress. */
function DailyAqi({ daily, t }) {
  return (
    <span data-kpi="aqi_daily" data-value={daily.value} data-provisional={daily.provisional ? "true" : "false"}
      data-hours={daily.hours}>
      {" · "}{t("aqiDaily")} {daily.value}
      {daily.provisional && ` (${t("aqiDailyProvisional").replace("{hours}", daily.hours)})`}
    </span>
  );
}

function Tile({ zone, get, items, t, lang, names, selected, onSelect }) {
  const aqi = get("aqi");
  const river = get("river_level_max");
  const state = worstState(get);
  const critical = get("alerts_open_critical")?.value ?? 0;
  const warning = get("alerts_open_warning")?.value ?? 0;
  const updated = items.reduce((max, i) => Math.max(max, i.ts ?? 0), 0);
  return (
    <article class={`tile state-${state} ${selected ? "selected" : ""}`} data-zone={zone.id} data-state={state}
      id={`tile-${zone.id}`} onClick={() => onSelect?.(zone.id)}>
      <h2>{names(zone)}
        {/* Zero counts are noise on a wall: only the severities with open alerts show. */}
        <span class="alert-counts">
          {critical > 0 && <span class="sev sev-critical" data-kpi="alerts_open_critical">{critical} {t("critical")}</span>}
          {warning > 0 && <span class="sev sev-warning" data-kpi="alerts_open_warning">{warning} {t("warning")}</span>}
        </span>
      </h2>
      {aqi && (
        <div class="aqi" data-kpi="aqi" data-value={aqi.value}
          style={{ background: aqi.color, color: textColor(aqi.color) }}>
          <span class="big">{aqi.value}</span>
          <span class="label">{t("aqi")} · {t(`band_${aqi.band}`)}</span>
          <span>{t("dominant")} {aqi.dominant}
            {get("aqi_hours_above_100")?.value > 0 && ` · ${get("aqi_hours_above_100").value} ${t("hoursAbove100")}`}
            {get("aqi_daily") && <DailyAqi daily={get("aqi_daily")} t={t} />}</span>
          {aqi.advice && (
            <small class="advice" data-advice={aqi.band}
              title={`${t("adviceSensitive")}: ${aqi.advice.sensitive?.[lang] ?? ""}`}>
              {aqi.advice.normal?.[lang]}
            </small>
          )}
        </div>
      )}
      {river && (
        <div class={`river alarm-${river.alarmLevel ?? 0}`} data-kpi="river_level_max" data-value={river.value}
          title={river.bulletin ?? ""}>
          <span class="label">{t("river")}{river.station ? ` · ${river.station}` : ""}</span>
          <span class="value">{formatNumber(lang, river.value, 2)}<small> m</small></span>
          <span class="alarm">
            {river.alarmLevel ? `${t("alarm")} ${river.alarmLevel}` : t("noAlarm")}
            {river.alarm1 !== undefined &&
              ` (${formatNumber(lang, river.alarm1)} / ${formatNumber(lang, river.alarm2)} / ${formatNumber(lang, river.alarm3)})`}
          </span>
          {river.bulletin && river.alarmLevel > 0 && <small class="bulletin">{river.bulletin}</small>}
        </div>
      )}
      {get("disaster_risk_level")?.value > 0 && (
        <div class="risk" data-kpi="disaster_risk_level" data-value={get("disaster_risk_level").value}
          style={{ borderColor: get("disaster_risk_level").color }}>
          {t("riskLevel")} {get("disaster_risk_level").value}
          {get("disaster_risk_level").bulletin && <small class="bulletin">{get("disaster_risk_level").bulletin}</small>}
        </div>
      )}
      <div class="metrics">
        <Metric kpi="rain_1h" item={get("rain_1h")} label={t("rain1h")} unit=" mm" lang={lang} />
        <Metric kpi="rain_24h" item={get("rain_24h")} label={t("rain24h")} unit=" mm" lang={lang} />
        <Metric kpi="wastewater_compliance_pct" item={get("wastewater_compliance_pct")} label={t("compliance")} unit=" %" lang={lang}>
          {get("wastewater_exceedances_today")?.value > 0 && (
            <small>{get("wastewater_exceedances_today").value} {t("exceedances")}</small>
          )}
        </Metric>
        <Metric kpi="energy_kwh_today" item={get("energy_kwh_today")} label={t("energy")} unit=" kWh" lang={lang} digits={0} />
        <Metric kpi="power_peak_kw" item={get("power_peak_kw")} label={t("peak")} unit=" kW" lang={lang} />
        <Metric kpi="pf_avg" item={get("pf_avg")} label={t("pf")} unit="" lang={lang} digits={2} />
        {get("street_light_faults")?.value > 0 && (
          <Metric kpi="street_light_faults" item={get("street_light_faults")} label={t("lightFaults")} unit="" lang={lang} digits={0} />
        )}
        <Metric kpi="devices_online_pct" item={get("devices_online_pct")} label={t("online")} unit=" %" lang={lang} digits={0} />
        <Metric kpi="data_completeness_pct" item={get("data_completeness_pct")} label={t("completeness")} unit=" %" lang={lang} digits={0} />
      </div>
      <p class="updated" data-updated={updated || ""}>
        {updated ? `${t("updatedAt")} ${formatClock(lang, updated)}` : t("noDataYet")}
      </p>
    </article>
  );
}

/** Every zone of the registry as a tile, the worst first, then by name. */
export function Tiles({ zones, kpis, t, lang, names, selected, onSelect }) {
  const itemsOf = (id) => [...kpis.values()].filter((i) => i.zone === id && !i.site);
  const getter = (id) => (kpi) => kpis.get(`${id}||${kpi}`);
  const ordered = zones
    .map((z) => ({ zone: z, state: worstState(getter(z.id)) }))
    .sort((a, b) => STATES.indexOf(a.state) - STATES.indexOf(b.state)
      || names(a.zone).localeCompare(names(b.zone), lang));
  return (
    <section class="tiles" data-count={ordered.length}>
      {ordered.map(({ zone }) => (
        <Tile key={zone.id} zone={zone} get={getter(zone.id)} items={itemsOf(zone.id)} t={t} lang={lang}
          names={names} selected={selected === zone.id} onSelect={onSelect} />
      ))}
    </section>
  );
}
