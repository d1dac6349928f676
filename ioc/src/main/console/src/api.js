// The node's HTTP API with the signed-in user's bearer token.
const TOKEN_KEY = "lantern.token";
const SIGNED_OUT = "lantern:signed-out";

export function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setToken(value) {
  if (value) {
    sessionStorage.setItem(TOKEN_KEY, value);
  } else {
    sessionStorage.removeItem(TOKEN_KEY);
  }
}

/** Seconds since the epoch at which the token expires (its `exp` claim), or null. */
export function tokenExpiry() {
  try {
    const payload = token()?.split(".")[1];
    if (!payload) return null;
    const json = JSON.parse(atob(payload.replace(/-/g, "+").replace(/_/g, "/")));
    return typeof json.exp === "number" ? json.exp : null;
  } catch {
    return null;
  }
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
    if (response.status === 401 && path !== "/api/v1/login" && token()) signOut("sessionExpired");
    throw new ApiError(response.status, json);
  }
  return json;
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
