import { render } from "preact";
import { useEffect, useMemo, useState } from "preact/hooks";
import "uplot/dist/uPlot.min.css";
import "./styles.css";
import { api, follow, login, setToken, token } from "./api.js";
import { formatNumber, formatTime, translator } from "./i18n.js";
import { ProvinceMap } from "./map.jsx";
import { History } from "./history.jsx";
import { RuleEditor } from "./rules.jsx";

const key = (item) => `${item.zone}|${item.site ?? ""}|${item.kpi}`;

function Login({ t, onDone }) {
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [failed, setFailed] = useState(false);
  async function submit(e) {
    e.preventDefault();
    try {
      await login(username, password);
      onDone();
    } catch {
      setFailed(true);
    }
  }
  return (
    <form class="login panel" onSubmit={submit}>
      <h2>{t("login")}</h2>
      <label>{t("username")}<input id="username" autocomplete="username" value={username}
        onInput={(e) => setUsername(e.target.value)} /></label>
      <label>{t("password")}<input id="password" type="password" autocomplete="current-password"
        value={password} onInput={(e) => setPassword(e.target.value)} /></label>
      {failed && <p class="error">{t("loginFailed")}</p>}
      <button type="submit">{t("login")}</button>
    </form>
  );
}

/** The zone's worst state, for its map marker and tile border. */
function worstState(get) {
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

function Tile({ zone, get, t, lang, names }) {
  const aqi = get("aqi");
  const river = get("river_level_max");
  const compliance = get("wastewater_compliance_pct");
  const state = worstState(get);
  return (
    <article class={`tile state-${state}`} data-zone={zone.id} data-state={state}>
      <h2>{names(zone)}</h2>
      {aqi && (
        <div class="aqi" data-kpi="aqi" data-value={aqi.value}
          style={{ background: aqi.color, color: textColor(aqi.color) }}>
          <span class="label">{t("aqi")}</span>
          <span class="big">{aqi.value}</span>
          <span>{t(`band_${aqi.band}`)} · {t("dominant")} {aqi.dominant}</span>
          {get("aqi_hours_above_100") && (
            <small>{get("aqi_hours_above_100").value} {t("hoursAbove100")}</small>
          )}
        </div>
      )}
      {river && (
        <div class={`river alarm-${river.alarmLevel ?? 0}`} data-kpi="river_level_max"
          data-value={river.value}>
          <span class="label">{t("river")}{river.station ? ` · ${river.station}` : ""}</span>
          <span class="value">{formatNumber(lang, river.value, 2)}<small> m</small></span>
          <span class="alarm">
            {river.alarmLevel ? `${t("alarm")} ${river.alarmLevel}` : t("noAlarm")}
            {river.alarm1 !== undefined &&
              ` (${formatNumber(lang, river.alarm1)} / ${formatNumber(lang, river.alarm2)} / ${formatNumber(lang, river.alarm3)})`}
          </span>
        </div>
      )}
      <div class="metrics">
        <Metric kpi="rain_1h" item={get("rain_1h")} label={t("rain1h")} unit=" mm" lang={lang} />
        <Metric kpi="rain_24h" item={get("rain_24h")} label={t("rain24h")} unit=" mm" lang={lang} />
        <Metric kpi="wastewater_compliance_pct" item={compliance} label={t("compliance")} unit=" %" lang={lang}>
          {get("wastewater_exceedances_today") && (
            <small>{get("wastewater_exceedances_today").value} {t("exceedances")}</small>
          )}
        </Metric>
        <Metric kpi="energy_kwh_today" item={get("energy_kwh_today")} label={t("energy")} unit=" kWh" lang={lang} digits={0} />
        <Metric kpi="power_peak_kw" item={get("power_peak_kw")} label={t("peak")} unit=" kW" lang={lang} />
        <Metric kpi="pf_avg" item={get("pf_avg")} label={t("pf")} unit="" lang={lang} digits={2} />
        <Metric kpi="devices_online_pct" item={get("devices_online_pct")} label={t("online")} unit=" %" lang={lang} digits={0} />
        <Metric kpi="data_completeness_pct" item={get("data_completeness_pct")} label={t("completeness")} unit=" %" lang={lang} digits={0} />
      </div>
      {(get("alerts_open_critical") || get("alerts_open_warning")) && (
        <div class="alert-counts">
          <span class="sev sev-critical" data-kpi="alerts_open_critical">
            {get("alerts_open_critical")?.value ?? 0} {t("critical")}</span>
          <span class="sev sev-warning" data-kpi="alerts_open_warning">
            {get("alerts_open_warning")?.value ?? 0} {t("warning")}</span>
        </div>
      )}
    </article>
  );
}

function AlertItem({ alert, t, lang, onAck }) {
  const [commenting, setCommenting] = useState(false);
  const [comment, setComment] = useState("");
  return (
    <li class={`alert sev-${alert.severity}`} data-alert-id={alert.id} data-state={alert.state}>
      <div class="alert-head">
        <span class={`sev sev-${alert.severity}`}>{t(alert.severity)}</span>
        <strong>{alert.ruleName}</strong>
      </div>
      <div class="alert-body">
        {alert.zone} · {alert.site} · {alert.device}
        {alert.value !== null && alert.value !== undefined && ` · ${formatNumber(lang, alert.value, 2)}`}
        <br /><small>{formatTime(lang, alert.since)} · {t(alert.state)}
          {alert.ackedBy && ` · ${alert.ackedBy}${alert.ackComment ? `: ${alert.ackComment}` : ""}`}</small>
      </div>
      {alert.state === "firing" && !commenting && (
        <button class="ack" onClick={() => setCommenting(true)}>{t("ack")}</button>
      )}
      {commenting && (
        <form class="row" onSubmit={async (e) => {
          e.preventDefault();
          await onAck(alert.id, comment);
          setCommenting(false);
        }}>
          <input class="ack-comment" placeholder={t("comment")} value={comment}
            onInput={(e) => setComment(e.target.value)} />
          <button class="ack-send" type="submit">{t("send")}</button>
          <button type="button" onClick={() => setCommenting(false)}>{t("cancel")}</button>
        </form>
      )}
    </li>
  );
}

function App() {
  const [lang, setLang] = useState(localStorage.getItem("lantern.lang") ?? "vi");
  const [signedIn, setSignedIn] = useState(Boolean(token()));
  const [view, setView] = useState("wall");
  const [zones, setZones] = useState([]);
  const [kpis, setKpis] = useState(new Map());
  const [alerts, setAlerts] = useState(new Map());
  const [live, setLive] = useState(false);
  const [generation, setGeneration] = useState(0);
  const t = useMemo(() => translator(lang), [lang]);
  const names = (zone) => zone.name ?? zone.id;

  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = `Lantern · ${t("title")}`;
    localStorage.setItem("lantern.lang", lang);
  }, [lang]);

  useEffect(() => {
    if (!signedIn) return undefined;
    let source;
    let cancelled = false;
    (async () => {
      try {
        const [zoneList, current, firing, acked] = await Promise.all([
          api("/api/v1/zones"),
          api("/api/v1/kpis"),
          api("/api/v1/alerts?state=firing&limit=200"),
          api("/api/v1/alerts?state=acknowledged&limit=200"),
        ]);
        if (cancelled) return;
        setZones(zoneList.items);
        setKpis(new Map(current.items.map((i) => [key(i), i])));
        setAlerts(new Map([...firing.items, ...acked.items].map((a) => [a.id, a])));
        source = follow(current.lastEventId, {
          onKpi: (item) => setKpis((m) => new Map(m).set(key(item), item)),
          onAlert: (event) => setAlerts((m) => {
            const next = new Map(m);
            if (event.alert.state === "resolved") next.delete(event.alert.id);
            else next.set(event.alert.id, event.alert);
            return next;
          }),
          onReset: () => setGeneration((g) => g + 1),
          onStatus: setLive,
        });
      } catch (err) {
        if (err.status === 401) setSignedIn(false);
      }
    })();
    return () => {
      cancelled = true;
      source?.close();
    };
  }, [signedIn, generation]);

  const getter = (zoneId) => (kpi) => kpis.get(`${zoneId}||${kpi}`);
  const shownZones = zones.filter((z) => [...kpis.values()].some((i) => i.zone === z.id));
  const alertList = [...alerts.values()].sort((a, b) => b.since - a.since);

  async function acknowledge(id, comment) {
    const updated = await api(`/api/v1/alerts/${encodeURIComponent(id)}/ack`, {
      method: "POST",
      body: comment ? { comment } : {},
    });
    setAlerts((m) => new Map(m).set(updated.id, updated));
  }

  return (
    <div class="shell">
      <header>
        <h1>Lantern · <span id="title">{t("title")}</span></h1>
        {signedIn && (
          <nav>
            {["wall", "history", "rules"].map((v) => (
              <button class={view === v ? "active" : ""} data-view={v} onClick={() => setView(v)}>{t(v)}</button>
            ))}
          </nav>
        )}
        <div class="right">
          {signedIn && <span class={`status ${live ? "live" : "down"}`} id="live">{live ? t("live") : t("offline")}</span>}
          <button id="lang" onClick={() => setLang(lang === "vi" ? "en" : "vi")}>
            {lang === "vi" ? "English" : "Tiếng Việt"}
          </button>
          {signedIn && <button onClick={() => { setToken(null); setSignedIn(false); }}>{t("logout")}</button>}
        </div>
      </header>
      {!signedIn && <Login t={t} onDone={() => setSignedIn(true)} />}
      {signedIn && view === "wall" && (
        <main class="wall">
          <section class="tiles">
            {shownZones.map((z) => <Tile zone={z} get={getter(z.id)} t={t} lang={lang} names={names} />)}
          </section>
          <aside>
            <section class="panel">
              <h3>{t("map")}</h3>
              <ProvinceMap zones={zones} names={names} t={t}
                stateOf={(id) => worstState(getter(id))} />
            </section>
            <section class="panel">
              <h3>{t("alerts")} <small>({alertList.length})</small></h3>
              {alertList.length === 0 && <p id="no-alerts">{t("noAlerts")}</p>}
              <ul class="alerts">
                {alertList.map((a) => <AlertItem key={a.id} alert={a} t={t} lang={lang} onAck={acknowledge} />)}
              </ul>
            </section>
          </aside>
        </main>
      )}
      {signedIn && view === "history" && <History zones={zones} t={t} names={names} />}
      {signedIn && view === "rules" && <RuleEditor zones={zones} t={t} names={names} />}
    </div>
  );
}

render(<App />, document.getElementById("app"));
