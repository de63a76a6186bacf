// Reference data loaded once per page load (regions, chains) plus a small cache
// of analysis results keyed by URL.
import { api } from './api.js';
import { pick } from './i18n.js';

let regionsP, chainsP;
const cache = new Map();

export function regions() { return (regionsP ||= api.get('/api/v1/regions').catch((e) => { regionsP = null; throw e; })); }
export function chains() { return (chainsP ||= api.get('/api/v1/chains').catch((e) => { chainsP = null; throw e; })); }
export function invalidate() { cache.clear(); }

// cached GET for analysis results that the UI asks for repeatedly (dashboard heat map).
export function cachedGet(path, query) {
  const key = path + '?' + new URLSearchParams(query).toString();
  if (!cache.has(key)) cache.set(key, api.get(path, query).catch((e) => { cache.delete(key); throw e; }));
  return cache.get(key);
}

export const CITY = '321100';
// The city and the districts/zones under it, city first.
export async function cityRegions() {
  const r = await regions();
  const city = r.regions.find((x) => x.code === CITY);
  const kids = r.regions.filter((x) => x.parent_code === CITY).sort((a, b) => (a.kind === b.kind ? a.code.localeCompare(b.code) : a.kind === 'district' ? -1 : 1));
  return [city, ...kids].filter(Boolean);
}
export async function regionName(code) {
  const r = await regions();
  const x = r.regions.find((y) => y.code === code);
  return x ? x.name : code;
}
export async function linkIndex() {
  const cs = await chains();
  const m = new Map();
  for (const c of cs) for (const l of c.links) m.set(l.id, { ...l, chain: c });
  return m;
}
export function linkName(l) { return l ? pick(l.name, l.name_en) : ''; }
export function chainName(c) { return c ? pick(c.name, c.name_en) : ''; }
// shortName drops the parenthesised detail of a long link name for chart labels.
export function shortName(s) { return String(s || '').replace(/[（(].*$/, '').trim() || s; }
