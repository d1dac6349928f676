import { useState } from "preact/hooks";
import { download } from "./api.js";
import { formatNumber, formatTime, ruleName } from "./i18n.js";

const SEVERITIES = ["critical", "warning", "info"];
const rank = (severity) => SEVERITIES.indexOf(severity);
const EXPORT_DAYS = 30;

/** A short beep from the Web Audio API (no sound file to ship or to block). */
export function beep() {
  try {
    const audio = new AudioContext();
    const tone = audio.createOscillator();
    const gain = audio.createGain();
    tone.frequency.value = 880;
    gain.gain.value = 0.2;
    tone.connect(gain).connect(audio.destination);
    tone.start();
    tone.stop(audio.currentTime + 0.4);
    tone.onended = () => audio.close();
  } catch {
    // No audio device (a kiosk without speakers): the panel still shows the alert.
  }
}

function AlertItem({ alert, t, lang, zoneName, onAck, onResolve }) {
  const [commenting, setCommenting] = useState(false);
  const [comment, setComment] = useState("");
  const open = alert.state !== "resolved";
  return (
    <li class={`alert sev-${alert.severity} state-${alert.state}`} data-alert-id={alert.id}
      data-state={alert.state} data-severity={alert.severity}>
      <div class="alert-head">
        <span class={`sev sev-${alert.severity}`}>{t(alert.severity)}</span>
        <strong>{ruleName(lang, alert.ruleName)}</strong>
        {alert.flaps > 0 && <span class="flaps" title={t("flaps")}>↻ {alert.flaps} {t("flaps")}</span>}
      </div>
      <div class="alert-body">
        {zoneName(alert.zone)} · {alert.site} · {alert.device}
        {alert.neverReported && <> · <em class="never-reported">{t("neverReported")}</em></>}
        {alert.value !== null && alert.value !== undefined && ` · ${formatNumber(lang, alert.value, 2)}`}
        <br /><small>{formatTime(lang, alert.since)}
          {alert.late && <> · <em class="late">{t("late")}</em></>}
          {alert.state === "acknowledged" && ` · ✓ ${t("acknowledged")}`}
          {alert.state === "resolved" && ` · ${t("resolved")} ${formatTime(lang, alert.resolvedAt)}`}
          {alert.ackedBy && ` · ${alert.ackedBy}${alert.ackComment ? `: ${alert.ackComment}` : ""}`}</small>
      </div>
      {open && onAck && !commenting && (
        <div class="row">
          {alert.state === "firing" && <button class="ack" onClick={() => setCommenting(true)}>{t("ack")}</button>}
          <button class="resolve" onClick={() => onResolve(alert.id)}>{t("resolve")}</button>
        </div>
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

/**
 * The alert panel ("Cảnh báo"): open alerts grouped by severity, unacknowledged before
 * acknowledged, newest first; filters by zone, severity and state; the recently resolved below.
 */
export function AlertPanel({ alerts, resolved, zones, t, lang, names, readOnly, muted, onMute, onAck, onResolve }) {
  const [zone, setZone] = useState("");
  const [severity, setSeverity] = useState("");
  const [state, setState] = useState("");
  const zoneName = (id) => names(zones.find((z) => z.id === id) ?? { id });
  const shown = alerts
    .filter((a) => (!zone || a.zone === zone) && (!severity || a.severity === severity) && (!state || a.state === state))
    .sort((a, b) => rank(a.severity) - rank(b.severity)
      || (a.state === "firing" ? 0 : 1) - (b.state === "firing" ? 0 : 1)
      || b.since - a.since);
  const actions = readOnly ? {} : { onAck, onResolve };
  const [exportError, setExportError] = useState(null);
  /** Every alert of the last 30 days (any state unless one is chosen) matching the filters. */
  async function exportCsv() {
    const params = new URLSearchParams({ from: Date.now() - EXPORT_DAYS * 86_400_000, format: "csv" });
    if (zone) params.set("zone", zone);
    if (severity) params.set("severity", severity);
    if (state) params.set("state", state);
    try {
      setExportError(null);
      await download(`/api/v1/alerts?${params}`);
    } catch (err) {
      setExportError(err.message);
    }
  }
  return (
    <section class="panel alert-panel" id="alert-panel">
      <h3>{t("alerts")} <small>({shown.length})</small>
        {!readOnly && (
          <button class={`mute ${muted ? "muted" : ""}`} type="button" onClick={onMute}
            aria-pressed={muted ? "true" : "false"} title={muted ? t("unmute") : t("mute")}>
            {muted ? t("unmute") : t("mute")}
          </button>
        )}
      </h3>
      {!readOnly && (
        <div class="row alert-filters">
          <select name="alert-zone" aria-label={t("zone")} value={zone} onChange={(e) => setZone(e.target.value)}>
            <option value="">{t("allZones")}</option>
            {zones.map((z) => <option value={z.id}>{names(z)}</option>)}
          </select>
          <select name="alert-severity" aria-label={t("severity")} value={severity} onChange={(e) => setSeverity(e.target.value)}>
            <option value="">{t("allSeverities")}</option>
            {SEVERITIES.map((s) => <option value={s}>{t(s)}</option>)}
          </select>
          <select name="alert-state" aria-label={t("state")} value={state} onChange={(e) => setState(e.target.value)}>
            <option value="">{t("allStates")}</option>
            <option value="firing">{t("firing")}</option>
            <option value="acknowledged">{t("acknowledged")}</option>
          </select>
          <button type="button" class="download" onClick={exportCsv}
            title={t("alertsCsvTitle")}>{t("downloadCsv")}</button>
        </div>
      )}
      {exportError && <p class="error">{exportError}</p>}
      {shown.length === 0 && <p id="no-alerts">{t("noAlerts")}</p>}
      {SEVERITIES.map((s) => {
        const group = shown.filter((a) => a.severity === s);
        if (group.length === 0) return null;
        return (
          <div class="alert-group" data-severity={s} key={s}>
            <h4><span class={`sev sev-${s}`}>{t(s)}</span> {group.length}</h4>
            <ul class="alerts">
              {group.map((a) => <AlertItem key={a.id} alert={a} t={t} lang={lang} zoneName={zoneName} {...actions} />)}
            </ul>
          </div>
        );
      })}
      {resolved.length > 0 && (
        <details class="recently-resolved" open={!readOnly}>
          <summary>{t("recentlyResolved")} ({resolved.length})</summary>
          <ul class="alerts resolved">
            {resolved.map((a) => <AlertItem key={a.id} alert={a} t={t} lang={lang} zoneName={zoneName} />)}
          </ul>
        </details>
      )}
    </section>
  );
}
