// The admin API, as the logged-in studio: the login cookie goes along by itself (HttpOnly, SameSite=Strict); every
// change carries the studio header that the server requires of cookie-authenticated changes.
export class ApiError extends Error {
  constructor(status, message) { super(message); this.status = status; }
}

export async function api(method, path, body, raw = false) {
  const headers = { 'X-Callflow-Studio': '1' };
  let payload;
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = raw ? body : JSON.stringify(body);
  }
  const response = await fetch(path, { method, headers, body: payload, credentials: 'same-origin', cache: 'no-store' });
  if (response.status === 401) {
    location.assign('/studio/');
    throw new ApiError(401, 'logged out');
  }
  const text = await response.text();
  const json = text && (response.headers.get('Content-Type') || '').startsWith('application/json') ? JSON.parse(text) : text;
  if (!response.ok) throw new ApiError(response.status, (json && json.error) || response.statusText);
  return json;
}

export const get = path => api('GET', path);
