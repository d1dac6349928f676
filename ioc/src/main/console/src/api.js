// The node's HTTP API with the signed-in user's bearer token.
const TOKEN_KEY = "lantern.token";

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
    if (response.status === 401) setToken(null);
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

/**
 * Follows the live stream from `lastEventId`. EventSource resumes by itself with Last-Event-ID;
 * `onReset` is called when events were missed for good and the state must be reloaded.
 */
export function follow(lastEventId, handlers) {
  const params = new URLSearchParams({ access_token: token() ?? "" });
  if (lastEventId) params.set("lastEventId", lastEventId);
  const source = new EventSource(`/api/v1/stream?${params}`);
  source.addEventListener("kpi", (e) => handlers.onKpi(JSON.parse(e.data)));
  source.addEventListener("alert", (e) => handlers.onAlert(JSON.parse(e.data)));
  source.addEventListener("reset", () => handlers.onReset());
  source.onopen = () => handlers.onStatus(true);
  source.onerror = () => handlers.onStatus(false);
  return source;
}
