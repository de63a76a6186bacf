// Small DOM, formatting and export helpers shared by the pages.
// Only the charts and components the pages use, so the bundle carries a fraction
// of ECharts and the first chart draws sooner.
import * as echarts from 'echarts/core';
import { GraphChart, BarChart, HeatmapChart, MapChart, ScatterChart } from 'echarts/charts';
import { LabelLayout } from 'echarts/features';
import { TooltipComponent, LegendComponent, GridComponent, VisualMapComponent, TitleComponent, GeoComponent, MarkLineComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([GraphChart, BarChart, HeatmapChart, MapChart, ScatterChart, LabelLayout, TooltipComponent, LegendComponent, GridComponent,
  VisualMapComponent, TitleComponent, GeoComponent, MarkLineComponent, CanvasRenderer]);
import writeXlsxFile from 'write-excel-file/universal';
import { t, isZh } from './i18n.js';
import { bilingual } from './api.js';

export { echarts };

// esc makes data safe inside the HTML that ECharts tooltips render: names come from
// imported spreadsheets, and anyone who can send one could otherwise write markup.
export function esc(s) {
  return String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

// h('div.card#x', {attrs}, ...children) builds an element. Strings become text nodes
// (there is deliberately no way to set innerHTML).
export function h(sel, attrs, ...kids) {
  const m = sel.match(/^([a-z0-9]+)?((?:[.#][\w-]+)*)$/i);
  const el = document.createElement((m && m[1]) || 'div');
  if (m && m[2]) for (const part of m[2].match(/[.#][\w-]+/g)) {
    if (part[0] === '.') el.classList.add(part.slice(1)); else el.id = part.slice(1);
  }
  // a second argument that is not a plain object is the first child — 0 too, which a
  // truthiness test dropped (a count of 0 showed as an empty cell)
  if (attrs !== undefined && attrs !== null && (typeof attrs !== 'object' || attrs instanceof Node || Array.isArray(attrs))) { kids.unshift(attrs); attrs = null; }
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'style' && typeof v === 'object') Object.assign(el.style, v);
    else if (k === 'value') el.value = v;
    else if (k === 'checked') el.checked = !!v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  append(el, kids);
  return el;
}
function append(el, kids) {
  for (const k of kids) {
    if (k === null || k === undefined || k === false) continue;
    if (Array.isArray(k)) append(el, k);
    else el.appendChild(k instanceof Node ? k : document.createTextNode(String(k)));
  }
}
export function clear(el) { while (el.firstChild) el.removeChild(el.firstChild); return el; }

export function loading() { return h('div.state.loading', { 'data-testid': 'loading' }, h('span.spinner'), t('common.loading')); }

// errorBox shows an ApiError (problem+json) readably, with field-level errors as a table.
export function errorBox(err, retry) {
  const p = (err && err.problem) || {};
  const box = h('div.state.error', { 'data-testid': 'error', role: 'alert' },
    h('strong', bilingual(p.title) || t('common.error')),
    p.detail ? h('div', bilingual(p.detail)) : (!p.title && err && err.message ? h('div', err.message) : null));
  if (p.errors && p.errors.length) box.appendChild(problemTable(p.errors));
  if (retry) box.appendChild(h('button.btn.small', { onclick: retry }, t('common.retry')));
  return box;
}
export function problemTable(errors) {
  return h('table.tbl.compact', { 'data-testid': 'problem-table' },
    h('thead', h('tr', ['import.table.col', 'import.row', 'import.field', 'import.value', 'import.message'].map((k) => h('th', t(k))))),
    h('tbody', errors.map((e) => h('tr', h('td', e.table || ''), h('td', e.row || ''), h('td', e.field || ''), h('td.mono', e.value || ''), h('td', e.message || '')))));
}

let toastTimer;
export function toast(msg, kind = 'ok') {
  let el = document.getElementById('toast');
  if (!el) { el = h('div#toast'); document.body.appendChild(el); }
  el.className = 'toast ' + kind; el.textContent = msg; el.style.display = 'block';
  clearTimeout(toastTimer); toastTimer = setTimeout(() => { el.style.display = 'none'; }, 3500);
}

const nf0 = () => new Intl.NumberFormat(isZh() ? 'zh-CN' : 'en-US', { maximumFractionDigits: 0 });
export function fmtInt(n) { return n === null || n === undefined ? '—' : nf0().format(n); }
export function fmtNum(n, d = 1) { return n === null || n === undefined ? '—' : new Intl.NumberFormat(isZh() ? 'zh-CN' : 'en-US', { maximumFractionDigits: d, minimumFractionDigits: d }).format(n); }
export function pct(x, d = 1) { return x === null || x === undefined ? '—' : (x * 100).toFixed(d) + '%'; }
export function signedPct(x) { return x === null || x === undefined ? '—' : (x >= 0 ? '+' : '') + (x * 100).toFixed(1) + '%'; }
export function wanToYi(w) { return w / 10000; }

// money is an amount of yuan in English: ¥470 m, ¥1.16 bn, ¥35 k.
function money(cny) {
  const a = Math.abs(cny);
  if (a >= 1e9) return `¥${fmtNum(cny / 1e9, a >= 1e11 ? 0 : a >= 1e10 ? 1 : 2)} bn`;
  if (a >= 1e6) return `¥${fmtNum(cny / 1e6, a >= 1e7 ? 0 : 1)} m`;
  if (a >= 1e3) return `¥${fmtNum(cny / 1e3, 0)} k`;
  return `¥${fmtNum(cny, 0)}`;
}
// fmtYi is an amount given in 亿元: "4.70 亿元" in Chinese (d decimals), "¥470 m" in English.
export function fmtYi(yi, d = 1) {
  if (yi === null || yi === undefined) return '—';
  return isZh() ? `${fmtNum(yi, d)} ${t('common.yi')}` : money(yi * 1e8);
}
// fmtWan is an amount given in 万元: "6,413 万元" in Chinese, "¥64.1 m" in English.
export function fmtWan(wan) {
  if (wan === null || wan === undefined) return '—';
  return isZh() ? `${fmtInt(wan)} ${t('common.wan')}` : money(wan * 1e4);
}
// wanCell is a 万元 amount for a table column whose header names the unit: 万元 in
// Chinese, CNY m in English.
export function wanCell(wan) { return wan === null || wan === undefined ? '—' : isZh() ? fmtInt(wan) : fmtNum(wan / 100, 1); }
// YI_CHART is the unit charts of 亿元 amounts draw in: 亿元 in Chinese, CNY bn in English.
export function yiChart() { return isZh() ? { k: 1, unit: t('common.yi') } : { k: 0.1, unit: 'CNY bn' }; }
// zhText marks data text that is Chinese (a provenance note, a history note) as such,
// for screen readers and the English-mode check.
export function zhText(tag, s) { return h(tag, /[\u3400-\u9fff]/.test(s || '') ? { lang: 'zh-CN' } : {}, s || ''); }

// Completeness has one scale everywhere (the map header, the heat map, the district
// map), judged on the whole percentage shown: red below 50 %, amber below 80 %,
// green from 80 %. `fill` is the strong colour (bars, text), `tint` a light one for
// areas that carry a label.
export const COMPLETENESS_SCALE = [
  { key: 'low', lt: 50, fill: '#c42b32', tint: '#f5b8bb' },
  { key: 'mid', gte: 50, lt: 80, fill: '#b86e00', tint: '#f6d28b' },
  { key: 'high', gte: 80, fill: '#1e7b45', tint: '#8fd0a8' },
];
// completenessLevel is the scale step of a completeness fraction (0–1), by its whole percentage.
export function completenessLevel(x) {
  const p = Math.round((x || 0) * 100);
  return COMPLETENESS_SCALE.find((s) => (s.gte === undefined || p >= s.gte) && (s.lt === undefined || p < s.lt));
}
// completenessPieces is the scale as an ECharts piecewise visualMap over percentages.
export function completenessPieces() {
  return COMPLETENESS_SCALE.map((s) => ({ ...(s.gte !== undefined ? { gte: s.gte } : {}), ...(s.lt !== undefined ? { lt: s.lt } : {}),
    color: s.tint, label: t('scale.' + s.key) }));
}
// scaleLegend states the completeness scale with its numbers.
export function scaleLegend() {
  return h('div.scale-legend', { 'data-testid': 'completeness-scale' }, h('span', t('scale.completeness') + t('common.colon')),
    COMPLETENESS_SCALE.map((s) => h('span.sc', { 'data-level': s.key }, h('i', { style: { background: s.tint, borderColor: s.fill } }), t('scale.' + s.key))));
}

// score100 is a target's score (0–1) on the 0–100 scale shown everywhere, screen and
// xlsx alike, to one decimal.
export function score100(x) { return Math.round((x || 0) * 1000) / 10; }

export const STATUS_COLORS = { strong: '#2e9d5b', weak: '#e6a23c', missing: '#a3abb8', broken: '#d9363e' };
export const TIERS = ['upstream', 'midstream', 'downstream'];
export const STAGES = ['negotiating', 'signed', 'started', 'producing', 'at_capacity', 'dropped'];
// TAG_VOCABULARY is graph.TagVocabulary: the tags officials use, with their English
// names (the API takes either; a Go test keeps the two lists the same).
export const TAG_VOCABULARY = [['专精特新', 'specialised SME'], ['小巨人', 'little giant'], ['单项冠军', 'single-product champion'],
  ['高新技术企业', 'high-tech enterprise'], ['上市', 'listed'], ['500强', 'Fortune 500'], ['央企', 'central SOE'], ['国企', 'local SOE'],
  ['外资', 'foreign-invested'], ['瞪羚', 'gazelle'], ['独角兽', 'unicorn'], ['规上', 'above designated size']];
export const TAGS = TAG_VOCABULARY.map(([zh]) => zh);
const tagMap = new Map(TAG_VOCABULARY);
// tagEN is a tag's English name ('' for a tag outside the vocabulary).
export function tagEN(tg) { return tagMap.get(tg) || ''; }
// tagName is a tag in the current language.
export function tagName(tg) { return isZh() ? tg : tagMap.get(tg) || tg; }

// Charts: pages register their charts so the router can dispose them on navigation
// and the window can resize them.
const charts = new Set();
export function chart(el, opts = {}) {
  const c = echarts.init(el, null, { renderer: 'canvas', ...opts });
  charts.add(c);
  el.__chart = c; // for the browser tests: the options a chart was drawn with
  return c;
}
export function disposeCharts() { for (const c of charts) c.dispose(); charts.clear(); }
window.addEventListener('resize', () => { for (const c of charts) c.resize(); });

export function download(blobOrUrl, name) {
  const url = typeof blobOrUrl === 'string' ? blobOrUrl : URL.createObjectURL(blobOrUrl);
  const a = h('a', { href: url, download: name, style: { display: 'none' } });
  document.body.appendChild(a); a.click(); a.remove();
  if (typeof blobOrUrl !== 'string') setTimeout(() => URL.revokeObjectURL(url), 5000);
}

// exportXlsx writes rows (arrays of plain values) under bilingual headers and downloads the file.
export async function exportXlsx(name, sheet, headers, rows, widths) {
  const data = [headers.map((v) => ({ value: v, fontWeight: 'bold', backgroundColor: '#dbe6f5' })),
    ...rows.map((r) => r.map((v) => ({ value: v === undefined || v === null ? '' : v, type: typeof v === 'number' ? Number : String })))];
  const columns = (widths || headers.map(() => 18)).map((w) => ({ width: w }));
  const blob = await writeXlsxFile(data, { sheet, columns }).toBlob();
  download(blob, name);
}

export function debounce(fn, ms) { let id; return (...a) => { clearTimeout(id); id = setTimeout(() => fn(...a), ms); }; }
export function today() { return new Date().toISOString().slice(0, 10); }
// put appends children like h() does (skipping null/false, flattening arrays).
export function put(el, ...kids) { append(el, kids); return el; }
