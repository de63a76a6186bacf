// HTTP access to the chainmap API: session, CSRF token, problem+json errors.
import { t, isZh, getLang } from './i18n.js';

export const session = {
  me: null, // {user, role, via}
  csrf: sessionStorage.getItem('chainmap.csrf') || '',
};

export class ApiError extends Error {
  constructor(status, problem) {
    super((problem && (problem.title || problem.detail)) || t('err.http', { s: status }));
    this.status = status;
    this.problem = problem || {};
  }
}

async function request(method, path, { body, form, query } = {}) {
  let url = path;
  if (query) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) {
      if (v === undefined || v === null || v === '') continue;
      if (Array.isArray(v)) v.forEach((x) => q.append(k, x)); else q.append(k, v);
    }
    const s = q.toString();
    if (s) url += (url.includes('?') ? '&' : '?') + s;
  }
  const headers = { Accept: 'application/json', 'Accept-Language': getLang() === 'en' ? 'en' : 'zh-CN' };
  if (method !== 'GET' && session.csrf) headers['X-CSRF-Token'] = session.csrf;
  let payload;
  if (form) payload = form;
  else if (body !== undefined) { headers['Content-Type'] = 'application/json'; payload = JSON.stringify(body); }
  let res;
  try {
    res = await fetch(url, { method, headers, body: payload, credentials: 'same-origin' });
  } catch (e) {
    throw new ApiError(0, { title: t('err.network'), detail: String(e) });
  }
  const type = res.headers.get('content-type') || '';
  const data = type.includes('json') ? await res.json().catch(() => null) : await res.text();
  if (!res.ok) throw new ApiError(res.status, typeof data === 'object' ? data : { title: t('err.http', { s: res.status }), detail: String(data || '').slice(0, 300) });
  return data;
}

export const api = {
  get: (path, query) => request('GET', path, { query }),
  post: (path, body, query) => request('POST', path, { body, query }),
  upload: (path, form, query) => request('POST', path, { form, query }),
  del: (path) => request('DELETE', path),
};

export async function loadMe() {
  try {
    const me = await api.get('/api/v1/me');
    session.me = me;
    if (me.csrf_token) setCsrf(me.csrf_token);
  } catch (e) {
    session.me = null; // 401: anonymous reading is not allowed here
  }
  return session.me;
}
function setCsrf(tok) { session.csrf = tok || ''; sessionStorage.setItem('chainmap.csrf', session.csrf); }

export async function login(user, password) {
  const r = await api.post('/api/v1/session', { user, password });
  setCsrf(r.csrf_token);
  session.me = { user: r.user, role: r.role, via: 'session' };
  return r;
}
export async function logout() {
  try { await api.del('/api/v1/session'); } catch (e) { /* already gone */ }
  setCsrf('');
  await loadMe();
}
export function canEdit() {
  const r = session.me && session.me.role;
  return (r === 'editor' || r === 'admin') && session.me.via !== 'anonymous';
}

// Problem messages: the server writes bilingual "中文 / English" titles; show the current language's half.
export function bilingual(s) {
  if (!s || typeof s !== 'string' || !s.includes(' / ')) return s || '';
  const i = s.indexOf(' / ');
  return isZh() ? s.slice(0, i) : s.slice(i + 3);
}
