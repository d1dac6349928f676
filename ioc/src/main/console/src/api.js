// The node's HTTP API with the signed-in user's bearer token, or a wall display's token.
import { fetchEventSource } from "@microsoft/fetch-event-source";

const TOKEN_KEY = "lantern.token";
const DISPLAY_KEY = "lantern.display";
const SIGNED_OUT = "lantern:signed-out";

/** The display token of a wall screen (kept across restarts of the browser), or null. */
export function displayToken() {
  return localStorage.getItem(DISPLAY_KEY);
}

/**
 * Takes a display token handed over once in the URL fragment (`/#kiosk=<token>`: a fragment never
 * reaches the server or its logs), keeps it and removes it from the address bar.
 */
export function adoptDisplayToken() {
  const fragment = new URLSearchParams(location.hash.slice(1));
  const value = fragment.get("kiosk");
  if (!value) return;
  localStorage.setItem(DISPLAY_KEY, value);
  history.replaceState(null, "", location.pathname + location.search);
}

export function token() {
  return displayToken() ?? sessionStorage.getItem(TOKEN_KEY);
}

export function setToken(value) {
  if (value) {
    sessionStorage.setItem(TOKEN_KEY, value);
  } else {
    sessionStorage.removeItem(TOKEN_KEY);
  }
}

/** The claims of the token (unverified: only to shape the page; the server checks them). */
function claims() {
  try {
    const payload = token()?.split(".")[1];
    return payload ? JSON.parse(atob(payload.replace(/-/g, "+").replace(/_/g, "/"))) : {};
  } catch {
    return {};
  }
}

/** Seconds since the epoch at which the token expires (its `exp` claim), or null. */
export function tokenExpiry() {
  const { exp } = claims();
  return typeof exp === "number" ? exp : null;
}

/** The signed-in user's role (`admin`, `zone-manager`, `operator`, `viewer`), or null. */
export function tokenRole() {
  const { role } = claims();
  return typeof role === "string" ? role : null;
}

/** A random device secret: 24 bytes of the browser's cryptographic generator, base64url (32 characters). */
export function randomSecret() {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_");
}

/** Calls `listener(reason)` when the session ends: the token was refused or ran out. */
export function onSignedOut(listener) {
  const handler = (e) => listener(e.detail);
  window.addEventListener(SIGNED_OUT, handler);
  return () => window.removeEventListener(SIGNED_OUT, handler);
}

export function signOut(reason) {
  setToken(null);
  window.dispatchEvent(new CustomEvent(SIGNED_OUT, { detail: reason }));
}

/** Why a refused token ends the session: a display is revoked (it never signs in again). */
function endReason() {
  return displayToken() ? "displayRevoked" : "sessionExpired";
}

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.message ?? `HTTP ${status}`);
    this.status = status;
    this.body = body;
  }
}

export async function api(path, { method = "GET", body } = {}) {
  const headers = { Accept: "application/json" };
  if (token()) headers.Authorization = `Bearer ${token()}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const json = text ? JSON.parse(text) : null;
  if (!response.ok) {
    // A refused token ends the session (a wrong password at sign-in is not a session).
    if (response.status === 401 && path !== "/api/v1/login" && token()) signOut(endReason());
    throw new ApiError(response.status, json);
  }
  return json;
}

/**
 * Downloads `path` as CSV into a file (the name the server gives in Content-Disposition). The
 * token travels in the header, so this fetches the file and hands the browser a blob to save.
 */
export async function download(path) {
  const headers = { Accept: "text/csv" };
  if (token()) headers.Authorization = `Bearer ${token()}`;
  const response = await fetch(path, { headers });
  if (!response.ok) {
    const text = await response.text();
    if (response.status === 401 && token()) signOut(endReason());
    throw new ApiError(response.status, text ? JSON.parse(text) : null);
  }
  const disposition = response.headers.get("Content-Disposition") ?? "";
  const name = /filename="([^"]+)"/.exec(disposition)?.[1] ?? "export.csv";
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return name;
}

export async function login(username, password) {
  const { token: value } = await api("/api/v1/login", {
    method: "POST",
    body: { username, password },
  });
  setToken(value);
  return value;
}

/** Ends the session on the server (the token is revoked, the stream cookie cleared), then here. */
export async function logout() {
  try {
    if (token()) await api("/api/v1/logout", { method: "POST", body: {} });
  } catch {
    // Signed out here anyway: a token the server no longer takes is as good as revoked.
  } finally {
    setToken(null);
  }
}

/**
 * Follows the live stream from `lastEventId`. EventSource resumes by itself with Last-Event-ID
 * after a network error; when the server refuses it (an expired token) the browser gives up, so
 * the session is checked and the stream reopened, or the user sent back to sign in.
 * `onReset` is called when events were missed for good and the state must be reloaded.
 */
export function follow(lastEventId, handlers) {
  return displayToken() ? followWithHeader(lastEventId, handlers) : followWithCookie(lastEventId, handlers);
}

/** Thrown to stop a display's stream for good: its token was refused. */
class Refused extends Error {}

/**
 * A display has no sign-in and so no stream cookie: its stream is read with fetch, which can send
 * the token in the header, and resumes with Last-Event-ID after any network error or server close.
 */
function followWithHeader(lastEventId, handlers) {
  const controller = new AbortController();
  const dispatch = { kpi: handlers.onKpi, alert: handlers.onAlert };
  fetchEventSource("/api/v1/stream", {
    headers: { Authorization: `Bearer ${token()}`, ...(lastEventId ? { "Last-Event-ID": lastEventId } : {}) },
    signal: controller.signal,
    openWhenHidden: true,
    async onopen(response) {
      if (response.ok) {
        handlers.onStatus(true);
        return;
      }
      if (response.status === 401) {
        signOut(endReason());
        throw new Refused();
      }
      throw new Error(`HTTP ${response.status}`);
    },
    onmessage(e) {
      if (e.event === "reset") handlers.onReset();
      else dispatch[e.event]?.(JSON.parse(e.data));
    },
    onclose() {
      throw new Error("stream closed by the server");
    },
    onerror(err) {
      handlers.onStatus(false);
      if (err instanceof Refused) throw err;
      return 3000;
    },
  }).catch(() => {});
  return { close: () => controller.abort() };
}

function followWithCookie(lastEventId, handlers) {
  let source;
  let retry;
  let closed = false;
  let lastId = lastEventId;
  const open = () => {
    // The token travels in the HttpOnly cookie set at sign-in, never in the URL.
    const query = lastId ? `?${new URLSearchParams({ lastEventId: lastId })}` : "";
    source = new EventSource(`/api/v1/stream${query}`);
    const track = (e) => { if (e.lastEventId) lastId = e.lastEventId; };
    source.addEventListener("kpi", (e) => { track(e); handlers.onKpi(JSON.parse(e.data)); });
    source.addEventListener("alert", (e) => { track(e); handlers.onAlert(JSON.parse(e.data)); });
    source.addEventListener("reset", () => handlers.onReset());
    source.onopen = () => handlers.onStatus(true);
    source.onerror = () => {
      handlers.onStatus(false);
      if (source.readyState === EventSource.CLOSED && !closed) {
        // A 401 signs out through api(); anything else: try again shortly.
        retry = setTimeout(() => {
          api("/api/v1/zones").then(() => { if (!closed) open(); }).catch(() => {
            if (!closed && token()) retry = setTimeout(open, 3000);
          });
        }, 2000);
      }
    };
  };
  open();
  return {
    close() {
      closed = true;
      clearTimeout(retry);
      source?.close();
    },
  };
}
