import { useEffect, useState } from "preact/hooks";
import { api } from "./api.js";
import { NumberField } from "./fields.jsx";
import { METRICS, formatNumber, metricInfo, parseDecimal, ruleName, typeName } from "./i18n.js";

const OPS = [">", ">=", "<", "<="];
const UNITS = { s: 1000, m: 60_000, h: 3_600_000 };

/** QCVN 40:2011 column B (column A in brackets) and other reference levels from the catalogue. */
const REFERENCE = {
  "wastewater.cod": "QCVN 40 B 150 (A 75) mg/L",
  "wastewater.tss": "QCVN 40 B 100 (A 50) mg/L",
  "wastewater.nh4": "QCVN 40 B 10 (A 5) mg/L",
  "wastewater.ph": "QCVN 40 B 5,5–9 (A 6–9)",
  "air_quality.pm25": "VN_AQI 100 = 50 · 150 = 80 · 200 = 150 µg/m³",
  "air_quality.pm10": "VN_AQI 100 = 150 · 150 = 250 µg/m³",
  "noise.laeq": "QCVN 26: 70 dBA ngày / 55 dBA đêm",
  "energy.pf": "0,9 (Thông tư 15/2014/TT-BCT)",
  "rain_gauge.rain": "24 h: 100 / 200 / 400 mm",
};

const EMPTY = {
  id: null, name: "", target: "zone", site: "", device: "", type: "water_level", metric: "level",
  op: ">=", value: "", holdN: "5", holdUnit: "m", clear: "", severity: "warning", enabled: true,
  channels: [],
};

function splitDuration(text) {
  const m = /^(\d+)(ms|s|m|h|d)$/.exec(text ?? "0s");
  if (!m) return ["0", "s"];
  const n = Number(m[1]);
  if (m[2] === "d") return [String(n * 24), "h"];
  if (m[2] === "ms") return [String(Math.round(n / 1000)), "s"];
  return [String(n), m[2]];
}

function fromRule(rule) {
  const c = rule.condition;
  const [holdN, holdUnit] = splitDuration(c.for);
  const device = rule.scope.devices?.[0] ?? "";
  return {
    id: rule.id, name: rule.name, zone: rule.scope.zone,
    target: device ? "device" : rule.scope.site ? "site" : "zone",
    site: rule.scope.site ?? "", device, type: rule.scope.type ?? "water_level",
    metric: c.metric ?? rule.metric, op: c.op, value: String(c.value).replace(".", ","),
    holdN, holdUnit, clear: c.clear === undefined ? "" : String(c.clear).replace(".", ","),
    severity: rule.severity, enabled: rule.enabled, channels: withoutFlags(rule.channels),
    renotify: rule.renotify, escalation: rule.escalation, description: rule.description,
    source: rule.source,
  };
}

/** Checks the form; answers {rule} or {errors: {field: text key}}. */
function build(form) {
  const errors = {};
  if (!form.name.trim()) errors.name = "required";
  const value = parseDecimal(form.value);
  if (value.empty) errors.value = "required";
  else if (value.error) errors.value = value.error;
  const clear = parseDecimal(form.clear);
  if (clear.error) errors.clear = clear.error;
  const hold = parseDecimal(form.holdN);
  if (hold.error || (!hold.empty && (hold.value < 0 || !Number.isInteger(hold.value)))) errors.hold = "notANumber";
  if (!errors.value && !clear.empty && !clear.error) {
    const above = form.op.startsWith(">");
    if (above ? clear.value >= value.value : clear.value <= value.value) errors.clear = "clearSide";
  }
  if (form.target === "site" && !form.site) errors.target = "required";
  if (form.target === "device" && !form.device) errors.target = "required";
  if (Object.keys(errors).length) return { errors };
  const condition = {
    type: "threshold", op: form.op, value: value.value,
    for: `${hold.empty ? 0 : hold.value}${form.holdUnit}`,
  };
  if (!clear.empty) condition.clear = clear.value;
  const scope = { zone: form.zone, type: form.type };
  if (form.target === "site") scope.site = form.site;
  if (form.target === "device") scope.devices = [form.device];
  const rule = {
    name: form.name.trim(), scope, metric: form.metric, condition,
    severity: form.severity, channels: form.channels, enabled: form.enabled,
  };
  if (form.description) rule.description = form.description;
  if (form.renotify) rule.renotify = form.renotify;
  if (form.escalation?.length) rule.escalation = form.escalation;
  if (form.source) rule.source = form.source;
  return { rule };
}

/** The form field an API error names ("condition.value" → "value"). */
function fieldOf(apiField) {
  if (!apiField) return "form";
  if (apiField.startsWith("scope")) return apiField.includes("zone") ? "zone" : "target";
  if (apiField.startsWith("condition.")) {
    const f = apiField.slice("condition.".length);
    return f === "for" ? "hold" : f === "op" ? "value" : f;
  }
  return apiField;
}

function FieldError({ errors, field, t }) {
  const e = errors[field];
  if (!e) return null;
  return <small class="field-error" data-error-for={field}>{t(e.key ?? e)}{e.detail ? ` (${e.detail})` : ""}</small>;
}

/** The latest value of a device metric over the last day, or null. */
async function latest(device, metric) {
  const to = Date.now();
  const params = new URLSearchParams({ device, metric, from: to - 86_400_000, to });
  const points = (await api(`/api/v1/kpis/history?${params}`)).points ?? [];
  return points.length ? points[points.length - 1].value : null;
}

/** A form over the rules API for zone managers, with the dry-run preview before saving. */
export function RuleEditor({ zones, t, lang, names, kpis }) {
  const [rules, setRules] = useState([]);
  const [devices, setDevices] = useState([]);
  const [form, setForm] = useState({ ...EMPTY, zone: zones[0]?.id ?? "" });
  const [errors, setErrors] = useState({});
  const [preview, setPreview] = useState(null);
  const [message, setMessage] = useState(null);
  const [current, setCurrent] = useState(undefined);
  const [filterZone, setFilterZone] = useState("");
  const [query, setQuery] = useState("");

  const reload = () => api("/api/v1/rules").then((r) => setRules(r.items)).catch(() => setRules([]));
  useEffect(() => { reload(); }, []);
  // Only admins may list devices; others type a device id.
  useEffect(() => { api("/api/v1/devices").then((r) => setDevices(r.items)).catch(() => setDevices(null)); }, []);
  useEffect(() => {
    if (!form.zone && zones[0]) setForm((f) => ({ ...f, zone: zones[0].id }));
  }, [zones]);

  const inScope = (devices ?? []).filter((d) => d.zone === form.zone && d.type === form.type);
  const sites = [...new Set(inScope.map((d) => d.site).filter(Boolean))];
  const metric = metricInfo(lang, form.type, form.metric);

  // The current value beside the threshold: the chosen device's, else the zone's river KPI.
  useEffect(() => {
    setCurrent(undefined);
    const device = form.target === "device" ? form.device : inScope[0]?.id;
    if (!device) return;
    let stale = false;
    latest(device, form.metric).then((v) => { if (!stale) setCurrent(v); }).catch(() => {});
    return () => { stale = true; };
  }, [form.zone, form.type, form.metric, form.target, form.device, devices]);

  const river = kpis?.get(`${form.zone}||river_level_max`);
  const levels = form.type === "water_level" && river?.alarm1 !== undefined
    ? `BĐ1 ${formatNumber(lang, river.alarm1)} · BĐ2 ${formatNumber(lang, river.alarm2)} · BĐ3 ${formatNumber(lang, river.alarm3)} m`
    : REFERENCE[`${form.type}.${form.metric}`];

  // Any change makes the last dry run's answer stale: clear it.
  const update = (changes) => {
    setForm((f) => ({ ...f, ...changes }));
    setPreview(null);
    setMessage(null);
  };
  const set = (key) => (e) => update({ [key]: e.target.value });

  function showApiError(err) {
    const field = fieldOf(err.body?.field);
    setErrors({ [field]: { key: "invalidField", detail: err.message } });
  }

  async function dryRun() {
    const built = build(form);
    setErrors(built.errors ?? {});
    if (built.errors) return;
    try {
      setPreview(await api("/api/v1/rules/dry-run", { method: "POST", body: { rule: built.rule } }));
    } catch (err) {
      showApiError(err);
    }
  }

  async function save(e) {
    e.preventDefault();
    const built = build(form);
    setErrors(built.errors ?? {});
    if (built.errors) return;
    try {
      if (form.id) {
        await api(`/api/v1/rules/${encodeURIComponent(form.id)}`, { method: "PUT", body: built.rule });
      } else {
        await api("/api/v1/rules", { method: "POST", body: built.rule });
      }
      // A cleared form: a second click cannot save the same rule twice.
      setForm({ ...EMPTY, zone: form.zone });
      setPreview(null);
      setMessage(form.id ? t("updated") : t("saved"));
      reload();
    } catch (err) {
      showApiError(err);
    }
  }

  async function toggle(rule) {
    await api(`/api/v1/rules/${encodeURIComponent(rule.id)}`, {
      method: "PUT", body: { ...strip(rule), enabled: !rule.enabled },
    });
    reload();
  }

  async function remove(rule) {
    if (!window.confirm(`${t("confirmDelete")}\n${ruleName(lang, rule.name)}`)) return;
    await api(`/api/v1/rules/${encodeURIComponent(rule.id)}`, { method: "DELETE" });
    if (form.id === rule.id) setForm({ ...EMPTY, zone: form.zone });
    setMessage(t("deleted"));
    reload();
  }

  const shown = rules.filter((r) => (!filterZone || r.scope?.zone === filterZone)
    && (!query || `${r.name} ${ruleName(lang, r.name)}`.toLowerCase().includes(query.toLowerCase())));

  return (
    <section class="panel rules">
      <form class="rule-form" onSubmit={save} data-editing={form.id ?? ""}>
        {form.id && <p class="editing">{t("editing")}: <strong>{ruleName(lang, form.name)}</strong></p>}
        {form.source && <Citation source={form.source} t={t} />}
        <label>{t("ruleName")}<input name="name" value={form.name} onInput={set("name")} />
          <FieldError errors={errors} field="name" t={t} /></label>
        <label>{t("zone")}
          <select name="zone" value={form.zone} onChange={(e) => update({ zone: e.target.value, site: "", device: "" })}>
            {zones.map((z) => <option value={z.id}>{names(z)}</option>)}
          </select>
          <FieldError errors={errors} field="zone" t={t} />
        </label>
        <label>{t("type")}
          <select name="type" value={form.type}
            onChange={(e) => update({ type: e.target.value, metric: METRICS[e.target.value][0][0], device: "", site: "" })}>
            {Object.keys(METRICS).map((x) => <option value={x}>{typeName(lang, x)}</option>)}
          </select>
        </label>
        <label>{t("target")}
          <select name="target" value={form.target} onChange={set("target")}>
            <option value="zone">{t("wholeZone")}</option>
            <option value="site">{t("oneSite")}</option>
            <option value="device">{t("oneDevice")}</option>
          </select>
          {form.target === "site" && (sites.length
            ? <select name="site" value={form.site} onChange={set("site")}>
                <option value="" />{sites.map((s) => <option value={s}>{s}</option>)}</select>
            : <input name="site" value={form.site} onInput={set("site")} />)}
          {form.target === "device" && (inScope.length
            ? <select name="device" value={form.device} onChange={set("device")}>
                <option value="" />{inScope.map((d) => <option value={d.id}>{d.id}{d.site ? ` · ${d.site}` : ""}</option>)}</select>
            : <input name="device" value={form.device} onInput={set("device")} />)}
          <FieldError errors={errors} field="target" t={t} />
        </label>
        <label>{t("metric")}
          <select name="metric" value={form.metric} onChange={set("metric")}>
            {METRICS[form.type].map(([id]) => {
              const m = metricInfo(lang, form.type, id);
              return <option value={id}>{m.name}{m.unit ? ` (${m.unit})` : ""}</option>;
            })}
          </select>
          <small class="metric-now" data-current={current ?? ""}>
            {t("currentValue")}: {current === undefined || current === null ? "–" : `${formatNumber(lang, current, 2)} ${metric.unit}`}
          </small>
        </label>
        <label>{t("condition")}
          <select name="op" value={form.op} onChange={set("op")}>{OPS.map((x) => <option>{x}</option>)}</select>
        </label>
        <NumberField label={t("value")} name="value" text={form.value} unit={metric.unit} lang={lang} t={t}
          onText={(v) => update({ value: v })} error={errors.value}>
          {levels && <small class="levels">{t("levels")}: {levels}</small>}
        </NumberField>
        <label>{t("holdFor")}
          <span class="row nowrap">
            <input name="hold" inputmode="numeric" class="short" value={form.holdN} onInput={set("holdN")} />
            <select name="holdUnit" value={form.holdUnit} onChange={set("holdUnit")}>
              {Object.keys(UNITS).map((u) => <option value={u}>{t({ s: "seconds", m: "minutes", h: "hours" }[u])}</option>)}
            </select>
          </span>
          <FieldError errors={errors} field="hold" t={t} />
        </label>
        <NumberField label={t("clearAt")} name="clear" text={form.clear} unit={metric.unit} lang={lang} t={t}
          onText={(v) => update({ clear: v })} error={errors.clear} />
        <label>{t("severity")}
          <select name="severity" value={form.severity} onChange={set("severity")}>
            {["info", "warning", "critical"].map((x) => <option value={x}>{t(x)}</option>)}
          </select>
        </label>
        <div class="row">
          <button class="dry-run" type="button" onClick={dryRun}>{t("dryRun")}</button>
          <button class="save" type="submit">{t("save")}</button>
          {form.id && <button type="button" class="cancel-edit"
            onClick={() => { setForm({ ...EMPTY, zone: form.zone }); setPreview(null); setErrors({}); }}>{t("cancelEdit")}</button>}
        </div>
        <FieldError errors={errors} field="form" t={t} />
      </form>
      {message && <p class="message">{message}</p>}
      {preview && (
        <div class="preview">
          <strong>{t("wouldRaise")}: {preview.alerts?.length ?? 0}</strong>
          {preview.readings === 0 && <p class="warning no-metric-data">{t("noMetricData")}</p>}
          <ul>{(preview.alerts ?? []).slice(0, 20).map((a) => (
            <li>{a.device} · {new Date(a.firedAt).toLocaleString(lang === "vi" ? "vi-VN" : "en-GB")} · {a.value === null ? "" : formatNumber(lang, a.value, 2)}</li>
          ))}</ul>
        </div>
      )}
      <h3>{t("existingRules")}</h3>
      <div class="row rule-filters">
        <select name="rule-zone" aria-label={t("zone")} value={filterZone} onChange={(e) => setFilterZone(e.target.value)}>
          <option value="">{t("allZones")}</option>
          {zones.map((z) => <option value={z.id}>{names(z)}</option>)}
        </select>
        <input name="rule-search" type="search" placeholder={t("search")} value={query}
          onInput={(e) => setQuery(e.target.value)} />
      </div>
      <ul class="rule-list">
        {shown.map((r) => (
          <li key={r.id} data-rule-id={r.id} class={r.enabled ? "" : "disabled"}>
            <span class={`sev sev-${r.severity}`}>{t(r.severity)}</span>
            <span class="rule-name">{ruleName(lang, r.name)}</span>
            <small> · {names(zones.find((z) => z.id === r.scope?.zone) ?? { id: r.scope?.zone })} · {r.enabled ? t("enabled") : t("disabled")}</small>
            {r.source && <Citation source={r.source} t={t} />}
            <span class="actions">
              {r.condition?.type === "threshold" && (
                <button type="button" class="edit" onClick={() => { setForm(fromRule(r)); setErrors({}); setPreview(null); window.scrollTo(0, 0); }}>{t("edit")}</button>
              )}
              <button type="button" class="toggle" onClick={() => toggle(r)}>{r.enabled ? t("disable") : t("enable")}</button>
              <button type="button" class="delete" onClick={() => remove(r)}>{t("delete")}</button>
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The legal basis of a rule seeded from a regulation pack, with the pack and its version. */
function Citation({ source, t }) {
  return (
    <small class="citation" data-pack={source.pack}>
      {t("legalBasis")}: {source.citation} ({source.pack} v{source.version})
    </small>
  );
}

/** Channels as the API returns them, less `signed` (a PUT without a secret keeps it). */
function withoutFlags(channels) {
  return (channels ?? []).map(({ signed, ...channel }) => channel);
}

/** A rule as the API returns it, less what a PUT must not carry. */
function strip(rule) {
  const { id, version, updatedAt, ...rest } = rule;
  return { ...rest, channels: withoutFlags(rest.channels) };
}
