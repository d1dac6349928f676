import { useEffect, useState } from "preact/hooks";
import { api, randomSecret } from "./api.js";
import { METRICS, typeName } from "./i18n.js";

const TYPES = [...Object.keys(METRICS), "gateway"];
const EMPTY = { id: "", type: "air_quality", zone: "", site: "", secret: "" };

/** The registration as the registry takes it back in a PUT: the public fields, no flags. */
function registration(device) {
  const { hasSecret, hasPsk, ...rest } = device;
  return rest;
}

/** A secret shown once, right after it was set: the registry keeps only its hash. */
function SecretOnce({ t, shown, onClose }) {
  if (!shown) return null;
  return (
    <div class="secret-once" role="alert">
      <p>{t("secretShownOnce")} <strong>{shown.id}</strong>:</p>
      <code class="new-secret" data-device={shown.id}>{shown.secret}</code>
      <button type="button" onClick={onClose}>{t("done")}</button>
    </div>
  );
}

/**
 * The device registry for admins: list and search, register, rotate a secret, disable or enable,
 * delete. Secrets are generated in the browser and shown once.
 */
export function Devices({ zones, t, lang, names }) {
  const [devices, setDevices] = useState(null);
  const [search, setSearch] = useState("");
  const [zone, setZone] = useState("");
  const [form, setForm] = useState(EMPTY);
  const [error, setError] = useState(null);
  const [shown, setShown] = useState(null);

  async function reload() {
    try {
      setDevices((await api("/api/v1/devices")).items);
    } catch (err) {
      setError(err.body ?? { message: err.message });
    }
  }
  useEffect(() => { reload(); }, []);
  useEffect(() => { if (!form.zone && zones[0]) setForm((f) => ({ ...f, zone: zones[0].id })); }, [zones]);

  const set = (field) => (e) => setForm({ ...form, [field]: e.target.value });
  const zoneLabel = (id) => names(zones.find((z) => z.id === id) ?? { id });

  async function register(e) {
    e.preventDefault();
    const secret = form.secret || randomSecret();
    try {
      setError(null);
      const body = { id: form.id.trim(), type: form.type, zone: form.zone, site: form.site, secret };
      await api("/api/v1/devices", { method: "POST", body });
      setShown({ id: body.id, secret });
      setForm({ ...EMPTY, zone: form.zone, type: form.type });
      await reload();
    } catch (err) {
      setError(err.body ?? { message: err.message });
    }
  }

  async function change(device, changes, secret) {
    try {
      setError(null);
      await api(`/api/v1/devices/${encodeURIComponent(device.id)}`, {
        method: "PUT",
        body: { ...registration(device), ...changes },
      });
      if (secret) setShown({ id: device.id, secret });
      await reload();
    } catch (err) {
      setError(err.body ?? { message: err.message });
    }
  }

  function rotate(device) {
    if (!window.confirm(`${t("confirmRotate")}\n${device.id}`)) return;
    const secret = randomSecret();
    change(device, { secret }, secret);
  }

  async function remove(device) {
    if (!window.confirm(`${t("confirmDeleteDevice")}\n${device.id}`)) return;
    try {
      setError(null);
      await api(`/api/v1/devices/${encodeURIComponent(device.id)}`, { method: "DELETE" });
      await reload();
    } catch (err) {
      setError(err.body ?? { message: err.message });
    }
  }

  const needle = search.trim().toLowerCase();
  const shownDevices = (devices ?? [])
    .filter((d) => !zone || d.zone === zone)
    .filter((d) => !needle || [d.id, d.site, d.type, typeName(lang, d.type), d.gateway]
      .some((v) => v && v.toLowerCase().includes(needle)))
    .sort((a, b) => a.id.localeCompare(b.id));

  return (
    <section class="panel devices">
      <form class="device-form row" onSubmit={register}>
        <h3>{t("registerDevice")}</h3>
        <label>{t("deviceId")}<input name="id" required value={form.id} onInput={set("id")} /></label>
        <label>{t("type")}
          <select name="type" value={form.type} onChange={set("type")}>
            {TYPES.map((type) => <option value={type}>{typeName(lang, type)}</option>)}
          </select>
        </label>
        <label>{t("zone")}
          <select name="zone" value={form.zone} onChange={set("zone")}>
            {zones.map((z) => <option value={z.id}>{names(z)}</option>)}
          </select>
        </label>
        <label>{t("site")}<input name="site" value={form.site} onInput={set("site")} /></label>
        <label>{t("secret")}<input name="secret" autocomplete="off" placeholder={t("secretGenerated")}
          value={form.secret} onInput={set("secret")} /></label>
        <button type="submit" class="register">{t("register")}</button>
      </form>
      {error && (
        <p class="error" data-error-field={error.field ?? ""}>{error.field ? `${error.field}: ` : ""}{error.message}</p>
      )}
      <SecretOnce t={t} shown={shown} onClose={() => setShown(null)} />
      <div class="row device-filters">
        <input name="device-search" type="search" placeholder={t("search")} aria-label={t("search")}
          value={search} onInput={(e) => setSearch(e.target.value)} />
        <select name="device-zone" aria-label={t("zone")} value={zone} onChange={(e) => setZone(e.target.value)}>
          <option value="">{t("allZones")}</option>
          {zones.map((z) => <option value={z.id}>{names(z)}</option>)}
        </select>
        <small class="count">{shownDevices.length} / {devices?.length ?? 0}</small>
      </div>
      <table class="device-list">
        <thead>
          <tr><th>{t("deviceId")}</th><th>{t("type")}</th><th>{t("zone")}</th><th>{t("site")}</th>
            <th>{t("status")}</th><th /></tr>
        </thead>
        <tbody>
          {shownDevices.map((d) => (
            <tr key={d.id} data-device-id={d.id} class={d.disabled ? "disabled" : ""}>
              <td>{d.id}{d.gateway && <small> · {t("via")} {d.gateway}</small>}</td>
              <td>{typeName(lang, d.type)}</td>
              <td>{zoneLabel(d.zone)}</td>
              <td>{d.site}</td>
              <td class="state">{d.disabled ? t("disabled") : t("enabled")}
                {!d.hasSecret && !d.hasPsk && <small> · {t("noCredentials")}</small>}</td>
              <td class="actions">
                <button type="button" class="rotate" onClick={() => rotate(d)}>{t("rotateSecret")}</button>
                <button type="button" class="toggle" onClick={() => change(d, { disabled: !d.disabled })}>
                  {d.disabled ? t("enable") : t("disable")}</button>
                <button type="button" class="delete" onClick={() => remove(d)}>{t("delete")}</button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
