import { useEffect, useRef, useState } from "preact/hooks";
import uPlot from "uplot";
import { api } from "./api.js";

const KPIS = [
  "aqi", "aqi_hours_above_100", "river_level_max", "rain_1h", "rain_24h",
  "wastewater_compliance_pct", "wastewater_exceedances_today", "energy_kwh_today",
  "power_peak_kw", "pf_avg", "devices_online_pct", "data_completeness_pct",
  "alerts_open_critical", "alerts_open_warning",
];

function Chart({ points, label }) {
  const box = useRef(null);
  useEffect(() => {
    if (!box.current || points.length === 0) return undefined;
    const data = [points.map((p) => p.ts / 1000), points.map((p) => p.value)];
    const plot = new uPlot(
      {
        width: Math.max(320, box.current.clientWidth - 8),
        height: 320,
        series: [{}, { label, stroke: "#1e88e5", width: 2, fill: "rgba(30,136,229,0.12)" }],
        axes: [{ stroke: "#ccc" }, { stroke: "#ccc" }],
      },
      data,
      box.current,
    );
    return () => plot.destroy();
  }, [points, label]);
  return <div class="chart" ref={box} />;
}

export function History({ zones, t, names }) {
  const [mode, setMode] = useState("kpi");
  const [zone, setZone] = useState(zones[0]?.id ?? "");
  const [kpi, setKpi] = useState("aqi");
  const [device, setDevice] = useState("");
  const [metric, setMetric] = useState("");
  const [range, setRange] = useState(24);
  const [points, setPoints] = useState(null);
  const [error, setError] = useState(null);

  async function load(e) {
    e?.preventDefault();
    const to = Date.now();
    const params = new URLSearchParams({ from: to - range * 3600_000, to });
    if (mode === "kpi") {
      params.set("zone", zone);
      params.set("kpi", kpi);
    } else {
      params.set("device", device);
      params.set("metric", metric);
    }
    try {
      setError(null);
      setPoints((await api(`/api/v1/kpis/history?${params}`)).points);
    } catch (err) {
      setError(err.message);
      setPoints(null);
    }
  }

  return (
    <section class="panel history">
      <form class="row" onSubmit={load}>
        <select name="mode" value={mode} onChange={(e) => setMode(e.target.value)}>
          <option value="kpi">{t("kpi")}</option>
          <option value="device">{t("device")}</option>
        </select>
        {mode === "kpi" ? (
          <>
            <select value={zone} onChange={(e) => setZone(e.target.value)} aria-label={t("zone")}>
              {zones.map((z) => <option value={z.id}>{names(z)}</option>)}
            </select>
            <select value={kpi} onChange={(e) => setKpi(e.target.value)} aria-label={t("kpi")}>
              {KPIS.map((k) => <option value={k}>{k}</option>)}
            </select>
          </>
        ) : (
          <>
            <input name="device" placeholder={t("device")} value={device} onInput={(e) => setDevice(e.target.value)} />
            <input name="metric" placeholder={t("metric")} value={metric} onInput={(e) => setMetric(e.target.value)} />
          </>
        )}
        <select value={range} onChange={(e) => setRange(Number(e.target.value))}>
          <option value={24}>{t("last24h")}</option>
          <option value={168}>{t("last7d")}</option>
        </select>
        <button type="submit">{t("show")}</button>
      </form>
      {error && <p class="error">{error}</p>}
      {points && points.length === 0 && <p class="no-data">{t("noData")}</p>}
      {points && points.length > 0 && <Chart points={points} label={mode === "kpi" ? kpi : metric} />}
    </section>
  );
}
