import { useEffect, useState } from "preact/hooks";
import { api } from "./api.js";

const TYPES = ["water_level", "rain_gauge", "air_quality", "wastewater", "energy", "noise", "weather", "street_light"];
const OPS = [">", ">=", "<", "<="];

/** A form over the rules API for zone managers, with the dry-run preview before saving. */
export function RuleEditor({ zones, t, names }) {
  const [rules, setRules] = useState([]);
  const [form, setForm] = useState({
    name: "", zone: zones[0]?.id ?? "", type: "water_level", metric: "level",
    op: ">", value: "1.5", hold: "0s", clear: "", severity: "warning",
  });
  const [preview, setPreview] = useState(null);
  const [message, setMessage] = useState(null);

  const reload = () => api("/api/v1/rules").then((r) => setRules(r.items)).catch(() => setRules([]));
  useEffect(() => { reload(); }, []);

  const set = (key) => (e) => setForm({ ...form, [key]: e.target.value });
  function rule() {
    const condition = { type: "threshold", op: form.op, value: Number(form.value), for: form.hold };
    if (form.clear !== "") condition.clear = Number(form.clear);
    return {
      name: form.name, scope: { zone: form.zone, type: form.type }, metric: form.metric,
      condition, severity: form.severity, channels: [], enabled: true,
    };
  }
  async function dryRun() {
    try {
      setMessage(null);
      setPreview(await api("/api/v1/rules/dry-run", { method: "POST", body: { rule: rule() } }));
    } catch (err) {
      setMessage(err.message);
    }
  }
  async function save(e) {
    e.preventDefault();
    try {
      await api("/api/v1/rules", { method: "POST", body: rule() });
      setMessage(t("saved"));
      reload();
    } catch (err) {
      setMessage(err.message);
    }
  }

  return (
    <section class="panel rules">
      <form class="rule-form" onSubmit={save}>
        <label>{t("ruleName")}<input name="name" required value={form.name} onInput={set("name")} /></label>
        <label>{t("zone")}
          <select name="zone" value={form.zone} onChange={set("zone")}>
            {zones.map((z) => <option value={z.id}>{names(z)}</option>)}
          </select>
        </label>
        <label>{t("type")}
          <select value={form.type} onChange={set("type")}>{TYPES.map((x) => <option>{x}</option>)}</select>
        </label>
        <label>{t("metric")}<input required value={form.metric} onInput={set("metric")} /></label>
        <label>{t("condition")}
          <select value={form.op} onChange={set("op")}>{OPS.map((x) => <option>{x}</option>)}</select>
        </label>
        <label>{t("value")}<input type="number" step="any" required value={form.value} onInput={set("value")} /></label>
        <label>{t("holdFor")}<input value={form.hold} onInput={set("hold")} /></label>
        <label>{t("clearAt")}<input type="number" step="any" value={form.clear} onInput={set("clear")} /></label>
        <label>{t("severity")}
          <select value={form.severity} onChange={set("severity")}>
            {["info", "warning", "critical"].map((x) => <option value={x}>{t(x)}</option>)}
          </select>
        </label>
        <div class="row">
          <button class="dry-run" type="button" onClick={dryRun}>{t("dryRun")}</button>
          <button type="submit">{t("save")}</button>
        </div>
      </form>
      {message && <p class="message">{message}</p>}
      {preview && (
        <div class="preview">
          <strong>{t("wouldRaise")}: {preview.alerts?.length ?? 0}</strong>
          <ul>{(preview.alerts ?? []).slice(0, 20).map((a) => (
            <li>{a.device} · {new Date(a.firedAt).toLocaleString()} · {a.value ?? ""}</li>
          ))}</ul>
        </div>
      )}
      <h3>{t("existingRules")}</h3>
      <ul class="rule-list">
        {rules.map((r) => (
          <li key={r.id}>
            <span class={`sev sev-${r.severity}`}>{t(r.severity)}</span> {r.name}
            <small> · {r.scope?.zone} · {r.enabled ? t("enabled") : t("disabled")}</small>
          </li>
        ))}
      </ul>
    </section>
  );
}
