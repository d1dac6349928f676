import { useEffect, useState } from "preact/hooks";
import { api, randomSecret } from "./api.js";
import { formatTime } from "./i18n.js";

const ROLES = ["operator", "zone-manager", "admin"];
const EMPTY_USER = { username: "", password: "", role: "operator", zones: [] };
const EMPTY_DISPLAY = { name: "", zones: [], days: 365 };

/** A multiple choice of zones as checkboxes (a zone manager's zones, a display's zones). */
function ZonePicker({ zones, names, chosen, onChange, name }) {
  const toggle = (id) => onChange(chosen.includes(id) ? chosen.filter((z) => z !== id) : [...chosen, id]);
  return (
    <span class="zone-picker" data-name={name}>
      {zones.map((z) => (
        <label class="check" key={z.id}>
          <input type="checkbox" name={name} value={z.id} checked={chosen.includes(z.id)}
            onChange={() => toggle(z.id)} />{names(z)}
        </label>
      ))}
    </span>
  );
}

function useErrors() {
  const [error, setError] = useState(null);
  const run = async (action) => {
    try {
      setError(null);
      await action();
    } catch (err) {
      setError(err.body ?? { message: err.message });
    }
  };
  const view = error && (
    <p class="error" data-error-field={error.field ?? ""}>{error.field ? `${error.field}: ` : ""}{error.message}</p>
  );
  return [run, view];
}

/** Users for admins: create, change role and zones, disable or enable, reset a password, delete. */
function UserAdmin({ zones, t, names }) {
  const [users, setUsers] = useState([]);
  const [form, setForm] = useState(EMPTY_USER);
  const [editing, setEditing] = useState(null);
  const [shown, setShown] = useState(null);
  const [run, errorView] = useErrors();

  const reload = () => run(async () => {
    const answer = await api("/api/v1/users");
    setUsers(Array.isArray(answer) ? answer : answer.items);
  });
  useEffect(() => { reload(); }, []);

  const path = (username) => `/api/v1/users/${encodeURIComponent(username)}`;
  const zonesOf = (role, chosen) => (role === "zone-manager" ? chosen : []);

  function save(e) {
    e.preventDefault();
    run(async () => {
      if (editing) {
        await api(path(editing), { method: "PUT", body: { role: form.role, zones: zonesOf(form.role, form.zones) } });
      } else {
        await api("/api/v1/users", {
          method: "POST",
          body: { username: form.username.trim(), password: form.password, role: form.role, zones: zonesOf(form.role, form.zones) },
        });
      }
      setForm(EMPTY_USER);
      setEditing(null);
      await reload();
    });
  }

  const update = (user, body) => run(async () => {
    await api(path(user.username), { method: "PUT", body });
    await reload();
  });

  function resetPassword(user) {
    if (!window.confirm(`${t("confirmResetPassword")}\n${user.username}`)) return;
    const password = randomSecret();
    run(async () => {
      await api(path(user.username), { method: "PUT", body: { password } });
      setShown({ username: user.username, password });
    });
  }

  function remove(user) {
    if (!window.confirm(`${t("confirmDeleteUser")}\n${user.username}`)) return;
    run(async () => {
      await api(path(user.username), { method: "DELETE" });
      await reload();
    });
  }

  return (
    <section class="panel users">
      <form class="user-form row" onSubmit={save} data-editing={editing ?? ""}>
        <h3>{editing ? `${t("edit")}: ${editing}` : t("createUser")}</h3>
        {!editing && <label>{t("username")}<input name="username" required autocomplete="off" value={form.username}
          onInput={(e) => setForm({ ...form, username: e.target.value })} /></label>}
        {!editing && <label>{t("password")}<input name="new-password" type="password" required minLength={12}
          autocomplete="new-password" value={form.password} onInput={(e) => setForm({ ...form, password: e.target.value })} /></label>}
        <label>{t("role")}
          <select name="role" value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value })}>
            {ROLES.map((r) => <option value={r}>{t(`role_${r}`)}</option>)}
          </select>
        </label>
        {form.role === "zone-manager" && (
          <label>{t("zones")}<ZonePicker zones={zones} names={names} name="user-zones" chosen={form.zones}
            onChange={(chosen) => setForm({ ...form, zones: chosen })} /></label>
        )}
        <button type="submit" class="save-user">{editing ? t("save") : t("create")}</button>
        {editing && <button type="button" onClick={() => { setEditing(null); setForm(EMPTY_USER); }}>{t("cancelEdit")}</button>}
      </form>
      {errorView}
      {shown && (
        <div class="secret-once" role="alert">
          <p>{t("passwordShownOnce")} <strong>{shown.username}</strong>:</p>
          <code class="new-password" data-user={shown.username}>{shown.password}</code>
          <button type="button" onClick={() => setShown(null)}>{t("done")}</button>
        </div>
      )}
      <table class="user-list">
        <thead><tr><th>{t("username")}</th><th>{t("role")}</th><th>{t("zones")}</th><th>{t("status")}</th><th /></tr></thead>
        <tbody>
          {users.map((u) => (
            <tr key={u.username} data-username={u.username} class={u.disabled ? "disabled" : ""}>
              <td>{u.username}</td>
              <td>{t(`role_${u.role}`)}</td>
              <td>{(u.zones ?? []).map((id) => names(zones.find((z) => z.id === id) ?? { id })).join(", ")}</td>
              <td class="state">{u.disabled ? t("disabled") : t("enabled")}</td>
              <td class="actions">
                <button type="button" class="edit" onClick={() => {
                  setEditing(u.username);
                  setForm({ ...EMPTY_USER, role: u.role, zones: u.zones ?? [] });
                }}>{t("edit")}</button>
                <button type="button" class="toggle" onClick={() => update(u, { disabled: !u.disabled })}>
                  {u.disabled ? t("enable") : t("disable")}</button>
                <button type="button" class="reset-password" onClick={() => resetPassword(u)}>{t("resetPassword")}</button>
                <button type="button" class="delete" onClick={() => remove(u)}>{t("delete")}</button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** Display tokens for wall screens: issued here, shown once as a link, revoked at once. */
function Displays({ zones, t, lang, names }) {
  const [displays, setDisplays] = useState([]);
  const [form, setForm] = useState(EMPTY_DISPLAY);
  const [issued, setIssued] = useState(null);
  const [run, errorView] = useErrors();

  const reload = () => run(async () => {
    const answer = await api("/api/v1/display-tokens");
    setDisplays(Array.isArray(answer) ? answer : answer.items);
  });
  useEffect(() => { reload(); }, []);

  function issue(e) {
    e.preventDefault();
    run(async () => {
      const display = await api("/api/v1/display-tokens", {
        method: "POST",
        body: { name: form.name.trim(), zones: form.zones, days: Number(form.days) },
      });
      // In the fragment, never the query string: it does not reach the server or its logs.
      setIssued({ name: display.name, link: `${location.origin}/#kiosk=${encodeURIComponent(display.token)}` });
      setForm(EMPTY_DISPLAY);
      await reload();
    });
  }

  function revoke(display) {
    if (!window.confirm(`${t("confirmRevoke")}\n${display.name}`)) return;
    run(async () => {
      await api(`/api/v1/display-tokens/${encodeURIComponent(display.id)}`, { method: "DELETE" });
      await reload();
    });
  }

  return (
    <section class="panel displays">
      <form class="display-form row" onSubmit={issue}>
        <h3>{t("displays")}</h3>
        <label>{t("displayName")}<input name="display-name" required value={form.name}
          onInput={(e) => setForm({ ...form, name: e.target.value })} /></label>
        <label>{t("zones")} <small>({t("allZonesEmpty")})</small>
          <ZonePicker zones={zones} names={names} name="display-zones" chosen={form.zones}
            onChange={(chosen) => setForm({ ...form, zones: chosen })} /></label>
        <label>{t("days")}<input name="display-days" inputmode="numeric" class="short" value={form.days}
          onInput={(e) => setForm({ ...form, days: e.target.value })} /></label>
        <button type="submit" class="issue-display">{t("issueDisplay")}</button>
      </form>
      {errorView}
      {issued && (
        <div class="secret-once" role="alert">
          <p>{t("displayLink")} <strong>{issued.name}</strong></p>
          <code class="display-link">{issued.link}</code>
          <button type="button" onClick={() => setIssued(null)}>{t("done")}</button>
        </div>
      )}
      <table class="display-list">
        <thead><tr><th>{t("displayName")}</th><th>{t("zones")}</th><th>{t("expires")}</th><th /></tr></thead>
        <tbody>
          {displays.map((d) => (
            <tr key={d.id} data-display-id={d.id}>
              <td>{d.name}</td>
              <td>{(d.zones ?? []).length === 0 ? t("allZones")
                : d.zones.map((id) => names(zones.find((z) => z.id === id) ?? { id })).join(", ")}</td>
              <td>{d.expiresAt ? formatTime(lang, d.expiresAt) : ""}</td>
              <td class="actions"><button type="button" class="revoke" onClick={() => revoke(d)}>{t("revoke")}</button></td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** The users page: people who sign in, and the wall displays that never do. */
export function Users(props) {
  return (
    <div class="users-page">
      <UserAdmin {...props} />
      <Displays {...props} />
    </div>
  );
}
