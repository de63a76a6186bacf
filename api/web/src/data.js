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

// dataAsOf is the date the data speaks for: the snapshot's as-of date, which every
// diagnosis reports and the chain map shows as 评估日期. Lateness is judged on it, so
// the demo is judged as of its own data date rather than by today's clock.
export async function dataAsOf() {
  const cs = await chains();
  const d = await cachedGet('/api/v1/analysis/diagnosis', { region: CITY, chain: cs[0].id });
  return d.as_of;
}

// laggingIndex asks the KPI analysis — the one definition of a lagging project, the
// dashboard's too — which projects of any size and signing date are behind plan as
// of asOf. It answers {asOf, byProject: Map id → [entries]} with one entry per missed
// date (a project late on both start and production has two, and counts once).
export async function laggingIndex(asOf) {
  const k = await cachedGet('/api/v1/analysis/kpi', { from: '1900-01-01', to: asOf, min_investment: 0, as_of: asOf });
  const byProject = new Map();
  for (const l of k.lagging || []) {
    if (!byProject.has(l.project_id)) byProject.set(l.project_id, []);
    byProject.get(l.project_id).push(l);
  }
  return { asOf: k.as_of || asOf, byProject };
}
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
