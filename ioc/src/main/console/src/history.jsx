import { useEffect, useRef, useState } from "preact/hooks";
import uPlot from "uplot";
import { api, download } from "./api.js";
import { KPI_INFO, METRICS, kpiInfo, metricInfo, typeName } from "./i18n.js";

const WINDOWS = [["last1d", 24], ["last7d", 168]];
const LEVEL_COLORS = ["#ffd54f", "#ff9800", "#ff2e88"];

/** Date labels in the chosen language and Vietnam's time zone. */
function timeLabels(lang, spanHours) {
  const format = new Intl.DateTimeFormat(lang === "vi" ? "vi-VN" : "en-GB", spanHours > 48
    ? { day: "2-digit", month: "2-digit", hour: "2-digit", minute: "2-digit", timeZone: "Asia/Ho_Chi_Minh" }
    : { hour: "2-digit", minute: "2-digit", timeZone: "Asia/Ho_Chi_Minh" });
  return (u, splits) => splits.map((s) => format.format(new Date(s * 1000)));
}

/** Horizontal lines at the alarm levels, drawn over the plot. */
function levelLines(levels) {
  return (u) => {
    const { ctx } = u;
    levels.forEach(({ value, label }, i) => {
      const y = u.valToPos(value, "y", true);
      if (y < u.bbox.top || y > u.bbox.top + u.bbox.height) return;
      ctx.save();
      ctx.strokeStyle = LEVEL_COLORS[Math.min(i, LEVEL_COLORS.length - 1)];
      ctx.setLineDash([8, 6]);
      ctx.lineWidth = 2;
      ctx.beginPath();
      ctx.moveTo(u.bbox.left, y);
      ctx.lineTo(u.bbox.left + u.bbox.width, y);
      ctx.stroke();
      ctx.fillStyle = ctx.strokeStyle;
      ctx.font = `${Math.round(12 * devicePixelRatio)}px sans-serif`;
      ctx.fillText(label, u.bbox.left + 6, y - 4);
      ctx.restore();
    });
  };
}

/**
 * A dark chart whose time axis is the chosen window (not the data's extent), with units and alarm
 * levels, resized with its box (phones, rotating screens).
 */
function Chart({ points, label, unit, from, to, levels, lang }) {
  const box = useRef(null);
  const [range, setRange] = useState(null);
  useEffect(() => {
    if (!box.current) return undefined;
    const data = [points.map((p) => p.ts / 1000), points.map((p) => p.value)];
    const values = points.map((p) => p.value).concat(levels.map((l) => l.value));
    const low = Math.min(...values);
    const high = Math.max(...values);
    const pad = (high - low) * 0.1 || Math.abs(high) * 0.1 || 1;
    const axis = { stroke: "#c9d6e2", grid: { stroke: "#2a3a4a" }, ticks: { stroke: "#2a3a4a" } };
    const plot = new uPlot(
      {
        width: Math.max(280, box.current.clientWidth - 8),
        height: Math.max(220, Math.min(360, Math.round(box.current.clientWidth * 0.45))),
        series: [{}, { label: unit ? `${label} (${unit})` : label, stroke: "#4fc3f7", width: 2,
          fill: "rgba(79,195,247,0.15)", points: { show: points.length < 3 } }],
        scales: { x: { time: true, auto: false, range: () => [from / 1000, to / 1000] },
          y: { auto: false, range: () => [low - pad, high + pad] } },
        axes: [{ ...axis, values: timeLabels(lang, (to - from) / 3_600_000) },
          { ...axis, label: unit, size: 60 }],
        hooks: {
          draw: [
            levelLines(levels),
            // The axis actually drawn, for people's eyes and the browser tests.
            (u) => setRange((r) => (r && r[0] === u.scales.x.min && r[1] === u.scales.x.max
              ? r : [u.scales.x.min, u.scales.x.max])),
          ],
        },
      },
      data,
      box.current,
    );
    const resize = new ResizeObserver(() => {
      if (box.current) plot.setSize({ width: Math.max(280, box.current.clientWidth - 8), height: plot.height });
    });
    resize.observe(box.current);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [points, label, unit, from, to, levels, lang]);
  return <div class="chart" ref={box} data-x-min={range?.[0]} data-x-max={range?.[1]} />;
}

/** Alarm levels for a chart: the zone's flood levels for water, the AQI limits for AQI. */
function levelsFor(kind, kpis, zone) {
  if (kind === "river_level_max" || kind === "level") {
    const river = kpis?.get(`${zone}||river_level_max`);
    if (river?.alarm1 !== undefined) {
      return [1, 2, 3].map((n) => ({ value: river[`alarm${n}`], label: `BĐ${n}` }));
    }
  }
  if (kind === "aqi") return [{ value: 100, label: "AQI 100" }, { value: 150, label: "AQI 150" }, { value: 200, label: "AQI 200" }];
  if (kind === "pm25") return [{ value: 50, label: "AQI 100" }, { value: 80, label: "AQI 150" }];
  return [];
}

export function History({ zones, t, lang, names, kpis }) {
  const [mode, setMode] = useState("kpi");
  const [zone, setZone] = useState(zones[0]?.id ?? "");
  const [kpi, setKpi] = useState("aqi");
  const [devices, setDevices] = useState(null);
  const [device, setDevice] = useState("");
  const [metric, setMetric] = useState("");
  const [hours, setHours] = useState(24);
  const [result, setResult] = useState(null);
  const [error, setError] = useState(null);

  useEffect(() => { if (!zone && zones[0]) setZone(zones[0].id); }, [zones]);
  // Admins pick a device from the registry; others type its id.
  useEffect(() => { api("/api/v1/devices").then((r) => setDevices(r.items)).catch(() => setDevices(null)); }, []);
  const zoneDevices = (devices ?? []).filter((d) => d.zone === zone);
  const chosen = zoneDevices.find((d) => d.id === device);
  const metrics = chosen ? METRICS[chosen.type] ?? [] : Object.values(METRICS).flat();

  /** The query of the chosen series over the chosen window ending now. */
  function query() {
    const to = Date.now();
    const from = to - hours * 3600_000;
    const params = new URLSearchParams({ from, to });
    if (mode === "kpi") {
      params.set("zone", zone);
      params.set("kpi", kpi);
    } else {
      params.set("device", device);
      params.set("metric", metric || metrics[0]?.[0] || "");
    }
    return { params, from, to };
  }

  async function exportCsv() {
    const { params } = query();
    params.set("format", "csv");
    try {
      setError(null);
      await download(`/api/v1/kpis/history?${params}`);
    } catch (err) {
      setError(err.message);
    }
  }

  async function load(e) {
    e?.preventDefault();
    const { params, from, to } = query();
    try {
      setError(null);
      const points = (await api(`/api/v1/kpis/history?${params}`)).points;
      const info = mode === "kpi" ? kpiInfo(lang, kpi) : metricInfo(lang, chosen?.type, params.get("metric"));
      setResult({ points, from, to, label: info.name, unit: info.unit,
        levels: levelsFor(mode === "kpi" ? kpi : params.get("metric"), kpis, zone) });
    } catch (err) {
      setError(err.message);
      setResult(null);
    }
  }

  return (
    <section class="panel history">
      <form class="row" onSubmit={load}>
        <select name="mode" value={mode} onChange={(e) => { setMode(e.target.value); setResult(null); }}>
          <option value="kpi">{t("kpi")}</option>
          <option value="device">{t("device")}</option>
        </select>
        <select name="zone" value={zone} onChange={(e) => { setZone(e.target.value); setDevice(""); }} aria-label={t("zone")}>
          {zones.map((z) => <option value={z.id}>{names(z)}</option>)}
        </select>
        {mode === "kpi" ? (
          <select name="kpi" value={kpi} onChange={(e) => setKpi(e.target.value)} aria-label={t("kpi")}>
            {Object.keys(KPI_INFO).map((k) => <option value={k}>{kpiInfo(lang, k).name}</option>)}
          </select>
        ) : (
          <>
            {devices && zoneDevices.length > 0 ? (
              <select name="device" value={device} onChange={(e) => { setDevice(e.target.value); setMetric(""); }} aria-label={t("device")}>
                <option value="" />
                {zoneDevices.map((d) => <option value={d.id}>{d.id} · {typeName(lang, d.type)}{d.site ? ` · ${d.site}` : ""}</option>)}
              </select>
            ) : (
              <input name="device" placeholder={t("device")} value={device} onInput={(e) => setDevice(e.target.value)} />
            )}
            <select name="metric" value={metric} onChange={(e) => setMetric(e.target.value)} aria-label={t("metric")}>
              {[...new Map(metrics.map((m) => [m[0], m])).values()].map(([id]) => {
                const m = metricInfo(lang, chosen?.type, id);
                return <option value={id}>{m.name}{m.unit ? ` (${m.unit})` : ""}</option>;
              })}
            </select>
          </>
        )}
        <select name="window" value={hours} onChange={(e) => setHours(Number(e.target.value))} aria-label={t("window")}>
          {WINDOWS.map(([label, h]) => <option value={h}>{t(label)}</option>)}
        </select>
        <button type="submit">{t("show")}</button>
        <button type="button" class="download" onClick={exportCsv}>{t("downloadCsv")}</button>
      </form>
      {error && <p class="error">{error}</p>}
      {result && result.points.length === 0 && <p class="no-data">{t("noData")}</p>}
      {result && result.points.length > 0 && (
        <Chart points={result.points} label={result.label} unit={result.unit} from={result.from} to={result.to}
          levels={result.levels} lang={lang} />
      )}
    </section>
  );
}
