import { render } from "preact";
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import "uplot/dist/uPlot.min.css";
import "./styles.css";
import {
  adoptDisplayToken, api, displayToken, follow, login, logout, onSignedOut, setToken, signOut, token, tokenExpiry,
  tokenRole,
} from "./api.js";
import { formatClock, translator, zoneName } from "./i18n.js";
import { ZoneMap } from "./map.jsx";
import { History } from "./history.jsx";
import { RuleEditor } from "./rules.jsx";
import { AlertPanel, beep } from "./alerts.jsx";
import { Tiles, worstState } from "./wall.jsx";
import { Devices } from "./devices.jsx";
import { Users } from "./users.jsx";

const key = (item) => `${item.zone}|${item.site ?? ""}|${item.kpi}`;
/** Without a KPI update for this long the wall says its data is stale. */
const STALE_MS = 10 * 60_000;
const RESOLVED_SHOWN = 20;

/** Retry of a failed first load (the node restarting under a wall), in ms. */
const RELOAD_MS = 5000;

/**
 * `?kiosk` (no controls) and `?kiosk&cycle=20` (highlight each zone in turn, 20 s each). A wall
 * display opened once with `/#kiosk=<display token>` is a kiosk for good: it never signs in.
 */
adoptDisplayToken();
// The link opened in a tab already showing the console changes only the fragment: start over.
window.addEventListener("hashchange", () => { if (location.hash.startsWith("#kiosk=")) location.reload(); });
const DISPLAY = Boolean(displayToken());
const PARAMS = new URLSearchParams(location.search);
const KIOSK = PARAMS.has("kiosk") || DISPLAY;
/** Pages of the navigation, and the role each needs (none: anyone signed in). */
const VIEWS = [["wall"], ["history"], ["rules"], ["devices", "admin"], ["users", "admin"]];
const CYCLE_S = Number(PARAMS.get("cycle") ?? 0);

function Login({ t, reason, onDone }) {
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
      {reason && !failed && <p class="session-ended" role="alert">{t(reason)}</p>}
      <label>{t("username")}<input id="username" autocomplete="username" value={username}
        onInput={(e) => setUsername(e.target.value)} /></label>
      <label>{t("password")}<input id="password" type="password" autocomplete="current-password"
        value={password} onInput={(e) => setPassword(e.target.value)} /></label>
      {failed && <p class="error">{t("loginFailed")}</p>}
      <button type="submit">{t("login")}</button>
    </form>
  );
}

/** What a revoked (or expired) wall display shows instead of a login page. */
function Revoked({ t }) {
  return (
    <div id="display-revoked" class="revoked" role="alert">
      <h2>{t("displayRevoked")}</h2>
      <p>{t("displayRevokedHelp")}</p>
    </div>
  );
}

/** The full-width banner of a wall whose data may be out of date. */
function StreamBanner({ t, lang, live, lastUpdate, now }) {
  const stale = lastUpdate > 0 && now - lastUpdate > STALE_MS;
  if (live && !stale) return null;
  return (
    <div id="stream-banner" class="banner" role="alert" data-reason={live ? "stale" : "down"}>
      {live ? t("dataStale") : t("streamDown")}
      {lastUpdate > 0 && ` · ${t("lastUpdate")} ${formatClock(lang, lastUpdate)}`}
      {!live && ` · ${t("reconnecting")}`}
    </div>
  );
}

function App() {
  const [lang, setLang] = useState(localStorage.getItem("lantern.lang") ?? "vi");
  const [signedIn, setSignedIn] = useState(Boolean(token()));
  const [endReason, setEndReason] = useState(null);
  const [view, setView] = useState("wall");
  const [zones, setZones] = useState([]);
  const [geo, setGeo] = useState(null);
  const [kpis, setKpis] = useState(new Map());
  const [alerts, setAlerts] = useState(new Map());
  const [resolved, setResolved] = useState([]);
  const [live, setLive] = useState(null);
  const [lastUpdate, setLastUpdate] = useState(0);
  const [now, setNow] = useState(Date.now());
  const [generation, setGeneration] = useState(0);
  const [selected, setSelected] = useState(null);
  const [muted, setMuted] = useState(localStorage.getItem("lantern.muted") === "1");
  const mutedRef = useRef(muted);
  const t = useMemo(() => translator(lang), [lang]);
  const names = (zone) => zoneName(lang, zone);
  // The title names the zone at the top of the hierarchy (data, not code).
  const tops = zones.filter((z) => !z.parent);
  const title = tops.length === 1 ? t("title").replace("{place}", names(tops[0])) : t("titleNoPlace");

  useEffect(() => {
    document.documentElement.lang = lang;
    localStorage.setItem("lantern.lang", lang);
  }, [lang]);
  useEffect(() => {
    document.title = `Lantern · ${title}`;
  }, [title]);
  useEffect(() => {
    mutedRef.current = muted;
    localStorage.setItem("lantern.muted", muted ? "1" : "0");
  }, [muted]);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 5000);
    return () => clearInterval(timer);
  }, []);

  // A refused or expired token sends the user back to sign in, saying why.
  useEffect(() => onSignedOut((reason) => {
    setEndReason(reason);
    setSignedIn(false);
  }), []);
  // A sliding session: the token is renewed when 80 % of its life has passed, so a wall stays
  // signed in across shifts while its user exists; if renewal keeps failing, it ends at expiry.
  const [renewals, setRenewals] = useState(0);
  useEffect(() => {
    if (!signedIn || DISPLAY) return undefined;
    const exp = tokenExpiry();
    if (!exp) return undefined;
    const left = exp * 1000 - Date.now();
    const end = setTimeout(() => signOut("sessionExpired"), Math.max(0, left));
    const renew = setTimeout(async () => {
      try {
        setToken((await api("/api/v1/login/refresh", { method: "POST", body: {} })).token);
        setRenewals((n) => n + 1);
      } catch {
        // A refused token has signed out; a network failure leaves the expiry timer running.
      }
    }, Math.max(0, left * 0.8));
    return () => {
      clearTimeout(end);
      clearTimeout(renew);
    };
  }, [signedIn, renewals]);

  useEffect(() => {
    if (!signedIn) return undefined;
    let stream;
    let reload;
    let cancelled = false;
    (async () => {
      try {
        const [zoneList, boundaries, current, firing, acked, done] = await Promise.all([
          api("/api/v1/zones"),
          api("/api/v1/zones/geojson"),
          api("/api/v1/kpis"),
          api("/api/v1/alerts?state=firing&limit=200"),
          api("/api/v1/alerts?state=acknowledged&limit=200"),
          api(`/api/v1/alerts?state=resolved&limit=${RESOLVED_SHOWN}`),
        ]);
        if (cancelled) return;
        setZones(zoneList.items);
        setGeo(boundaries);
        setKpis(new Map(current.items.map((i) => [key(i), i])));
        setLastUpdate(current.items.reduce((m, i) => Math.max(m, i.ts ?? 0), 0));
        setAlerts(new Map([...firing.items, ...acked.items].map((a) => [a.id, a])));
        setResolved(done.items);
        stream = follow(current.lastEventId, {
          onKpi: (item) => {
            setKpis((m) => new Map(m).set(key(item), item));
            setLastUpdate(Date.now());
          },
          onAlert: (event) => {
            const alert = event.alert;
            if (alert.state === "resolved") {
              setResolved((list) => [alert, ...list.filter((a) => a.id !== alert.id)].slice(0, RESOLVED_SHOWN));
            }
            setAlerts((m) => {
              const next = new Map(m);
              if (alert.state === "resolved") next.delete(alert.id);
              else next.set(alert.id, alert);
              return next;
            });
            if (event.transition === "fired" && alert.severity === "critical" && !alert.late && !mutedRef.current) beep();
          },
          onReset: () => setGeneration((g) => g + 1),
          onStatus: setLive,
        });
      } catch (err) {
        // A 401 has signed out already; anything else shows as the stream being down, and the
        // page tries again by itself (a wall has nobody to press reload).
        setLive(false);
        if (err?.status !== 401 && !cancelled) reload = setTimeout(() => setGeneration((g) => g + 1), RELOAD_MS);
      }
    })();
    return () => {
      cancelled = true;
      clearTimeout(reload);
      stream?.close();
    };
  }, [signedIn, generation]);

  // Kiosk cycling: each zone highlighted in turn.
  useEffect(() => {
    if (!CYCLE_S || zones.length === 0) return undefined;
    let i = 0;
    const timer = setInterval(() => {
      setSelected(zones[i % zones.length].id);
      i++;
    }, CYCLE_S * 1000);
    return () => clearInterval(timer);
  }, [zones]);

  function select(zoneId) {
    setSelected(zoneId);
    setView("wall");
    setTimeout(() => document.getElementById(`tile-${zoneId}`)?.scrollIntoView({ block: "nearest", behavior: "smooth" }), 0);
  }

  const getter = (zoneId) => (kpi) => kpis.get(`${zoneId}||${kpi}`);
  const alertList = [...alerts.values()];

  async function acknowledge(id, comment) {
    const updated = await api(`/api/v1/alerts/${encodeURIComponent(id)}/ack`, {
      method: "POST",
      body: comment ? { comment } : {},
    });
    setAlerts((m) => new Map(m).set(updated.id, updated));
  }

  async function resolve(id) {
    const done = await api(`/api/v1/alerts/${encodeURIComponent(id)}/resolve`, { method: "POST", body: {} });
    setAlerts((m) => {
      const next = new Map(m);
      next.delete(done.id);
      return next;
    });
    setResolved((list) => [done, ...list.filter((a) => a.id !== done.id)].slice(0, RESOLVED_SHOWN));
  }

  return (
    <div class={`shell ${KIOSK ? "kiosk" : ""} view-${view}`}>
      <header>
        <h1>Lantern · <span id="title">{title}</span></h1>
        {signedIn && !KIOSK && (
          <nav>
            {VIEWS.filter(([, role]) => !role || role === tokenRole()).map(([v]) => (
              <button class={view === v ? "active" : ""} data-view={v} onClick={() => setView(v)}>{t(v)}</button>
            ))}
            <a class="docs-link" href="/api/docs/" target="_blank" rel="noopener">{t("apiDocs")}</a>
          </nav>
        )}
        <div class="right">
          {signedIn && live !== null && <span class={`status ${live ? "live" : "down"}`} id="live">{live ? t("live") : t("offline")}</span>}
          {!KIOSK && (
            <button id="lang" onClick={() => setLang(lang === "vi" ? "en" : "vi")}>
              {lang === "vi" ? "English" : "Tiếng Việt"}
            </button>
          )}
          {signedIn && !KIOSK && <button id="logout" onClick={() => logout().then(() => { setEndReason(null); setSignedIn(false); })}>{t("logout")}</button>}
        </div>
      </header>
      {signedIn && view === "wall" && live !== null && (
        <StreamBanner t={t} lang={lang} live={live} lastUpdate={lastUpdate} now={now} />
      )}
      {!signedIn && DISPLAY && <Revoked t={t} />}
      {!signedIn && !DISPLAY && <Login t={t} reason={endReason} onDone={() => { setEndReason(null); setSignedIn(true); }} />}
      {signedIn && view === "wall" && (
        <main class="wall">
          <Tiles zones={zones} kpis={kpis} t={t} lang={lang} names={names} selected={selected} onSelect={setSelected} />
          <aside>
            <AlertPanel alerts={alertList} resolved={resolved} zones={zones} t={t} lang={lang} names={names}
              readOnly={KIOSK} muted={muted} onMute={() => setMuted(!muted)} onAck={acknowledge} onResolve={resolve} />
            <section class="panel map-panel">
              <h3>{t("map")}</h3>
              <ZoneMap zones={zones} geo={geo} names={names} t={t} onSelect={select}
                stateOf={(id) => worstState(getter(id))} />
            </section>
          </aside>
        </main>
      )}
      {signedIn && view === "history" && <History zones={zones} t={t} lang={lang} names={names} kpis={kpis} />}
      {signedIn && view === "rules" && <RuleEditor zones={zones} t={t} lang={lang} names={names} kpis={kpis} />}
      {signedIn && view === "devices" && <Devices zones={zones} t={t} lang={lang} names={names} />}
      {signedIn && view === "users" && <Users zones={zones} t={t} lang={lang} names={names} />}
    </div>
  );
}

render(<App />, document.getElementById("app"));
