// 招商目标: ranked candidates for a link, live re-ranking by weight sliders,
// a persisted shortlist and xlsx export. Candidates that already have a live project
// in the city are not targets: they are listed apart, below (in_pipeline).
import { t, pick, both, isZh } from '../i18n.js';
import { api } from '../api.js';
import { h, clear, loading, errorBox, fmtInt, fmtNum, TAGS, exportXlsx, toast, put, score100, tagEN, tagName, wanCell } from '../util.js';
import { cityRegions, chains, CITY, linkName, chainName } from '../data.js';

// The signals a score is made of. The first six are the ones an official weighs (the
// defaults); the rest are single network signals, shown under 高级 with what each means.
const BASIC = ['link_prediction', 'ties_to_local', 'ties_to_leaders', 'strength', 'revenue', 'affinity'];
const FEATURES = ['link_prediction', 'past_ties', 'ties_to_local', 'ties_to_leaders', 'affinity', 'strength', 'revenue', 'three_paths', 'preferential_attachment', 'common_neighbours', 'adamic_adar', 'resource_allocation'];
const FEATURE_COLORS = ['#0b3d91', '#1f5fae', '#3c8dde', '#7cb5ec', '#2e9d5b', '#90c978', '#e6a23c', '#a77fd1', '#f08a5d', '#5bc0be', '#c0a080', '#8896ab'];
const SHORTLIST_KEY = 'chainmap.shortlist';

const st = { region: CITY, link: 'EV_M3', tags: [], minRevenue: '', includeSameCity: false, weights: null, result: null };

export function loadShortlist() { try { return JSON.parse(localStorage.getItem(SHORTLIST_KEY)) || {}; } catch { return {}; } }
function saveShortlist(s) { localStorage.setItem(SHORTLIST_KEY, JSON.stringify(s)); }

// rerank recomputes scores client-side. The server scores a candidate as
//   score = Σ_f w_f · norm_f,  norm_f = raw_f / max over ALL candidates (∈ [0,1]),
// and reports contribution_f = w_f · norm_f with its default weights w_f (Σ w_f = 1).
// We cannot re-normalise over all candidates (only the shown ones are sent), so we
// recover norm_f = contribution_f / default_w_f and score with the new weights:
//   new score = Σ_f norm_f · new_w_f / Σ_f new_w_f
// which equals the server's score when the weights are the defaults. A feature whose
// default weight is 0 contributes nothing to recover norm_f from, so it is
// normalised by its maximum over the shown candidates instead.
export function rerank(targets, defaults, weights) {
  const sumW = FEATURES.reduce((a, f) => a + (weights[f] || 0), 0) || 1;
  const shownMax = {};
  for (const f of FEATURES) shownMax[f] = Math.max(0, ...targets.map((x) => (x.features && x.features[f]) || 0));
  return targets.map((x) => {
    const parts = {};
    let score = 0;
    for (const f of FEATURES) {
      const w0 = defaults[f] || 0;
      const raw = (x.features && x.features[f]) || 0;
      const norm = w0 > 0 ? (x.contributions[f] || 0) / w0 : (shownMax[f] > 0 ? raw / shownMax[f] : 0);
      const part = norm * (weights[f] || 0) / sumW;
      parts[f] = part; score += part;
    }
    return { ...x, liveScore: score, parts };
  }).sort((a, b) => b.liveScore - a.liveScore || a.company_id.localeCompare(b.company_id));
}

export async function targetsPage(main, ctx) {
  const p = ctx.params;
  if (p.get('link')) st.link = p.get('link');
  if (p.get('region')) st.region = p.get('region');
  const [regs, chs] = await Promise.all([cityRegions(), chains()]);
  const linkOf = new Map(chs.flatMap((c) => c.links.map((l) => [l.id, l])));

  const regionSel = h('select', { 'data-testid': 'targets-region' }, regs.map((r) => h('option', { value: r.code, selected: r.code === st.region }, r.name)));
  const linkSel = h('select', { 'data-testid': 'targets-link' }, chs.map((c) => h('optgroup', { label: chainName(c) },
    c.links.map((l) => h('option', { value: l.id, selected: l.id === st.link }, `${linkName(l)} (${l.id})`)))));
  const tagBox = h('div.tags-select', { 'data-testid': 'tag-filter' }, TAGS.map((tg) => {
    const cb = h('input', { type: 'checkbox', value: tg, checked: st.tags.includes(tg) });
    cb.onchange = () => { st.tags = [...tagBox.querySelectorAll('input:checked')].map((x) => x.value); fetchAndShow(); };
    return h('label.chip', cb, tagName(tg));
  }));
  // min_revenue is in 万元; in English it is typed in CNY m (100 万元)
  const k = isZh() ? 1 : 100;
  const minRev = h('input', { type: 'number', min: 0, step: isZh() ? 1000 : 10, value: st.minRevenue === '' ? '' : Number(st.minRevenue) / k, 'data-testid': 'min-revenue', style: { width: '110px' } });
  minRev.onchange = () => { st.minRevenue = minRev.value === '' ? '' : String(Number(minRev.value) * k); fetchAndShow(); };
  // A district or zone leaves out firms elsewhere in its own city unless asked:
  // bringing one over is a transfer within the city (市内转移), not new capacity.
  const sameCity = h('input', { type: 'checkbox', checked: st.includeSameCity, 'data-testid': 'include-same-city' });
  const sameCityLabel = h('label', sameCity, t('targets.includeSameCity'));
  const showSameCity = () => {
    const r = regs.find((x) => x.code === st.region);
    sameCityLabel.style.display = r && r.kind !== 'city' ? '' : 'none';
  };
  showSameCity();
  sameCity.onchange = () => { st.includeSameCity = sameCity.checked; fetchAndShow(); };
  regionSel.onchange = () => { st.region = regionSel.value; history.replaceState(null, '', `#/targets?link=${st.link}&region=${st.region}`); showSameCity(); fetchAndShow(); };
  linkSel.onchange = () => { st.link = linkSel.value; history.replaceState(null, '', `#/targets?link=${st.link}&region=${st.region}`); fetchAndShow(); };

  const weightsBox = h('div.weights', { 'data-testid': 'weights' });
  const tableBox = h('div.card.table-card');
  const shortBox = h('div.card.shortlist', { 'data-testid': 'shortlist' });
  const info = h('div.muted.info');
  const leftOut = h('div.note-line', { 'data-testid': 'same-city-left-out', style: { display: 'none' } });
  const pipelineBox = h('div.card.pipeline-card', { 'data-testid': 'pipeline' });

  put(main, 
    h('div.toolbar', h('h1', t('targets.title')), h('label', t('common.region'), regionSel), h('label', t('common.link'), linkSel),
      h('label', t('targets.minRevenue'), minRev), sameCityLabel),
    h('div.card.filters', h('span.flabel', t('targets.tags')), tagBox),
    h('div.targets-layout', h('div.targets-main', info, leftOut, tableBox, pipelineBox), h('div.targets-side', h('div.card', h('h3', t('targets.weights')), weightsBox), shortBox)));

  function drawWeights() {
    const r = st.result;
    clear(weightsBox);
    if (!r) return;
    const row = (f) => {
      const val = h('span.wv', { 'aria-hidden': 'true' }, (st.weights[f] ?? 0).toFixed(2));
      const id = 'weight-' + f;
      const slider = h('input', { type: 'range', id, min: 0, max: 0.5, step: 0.01, value: st.weights[f] ?? 0, 'data-testid': id,
        'aria-describedby': id + '-why' });
      slider.oninput = () => { st.weights[f] = Number(slider.value); val.textContent = Number(slider.value).toFixed(2); drawTable(); };
      return h('div.wrow', { 'data-feature': f }, h('i.sw', { style: { background: FEATURE_COLORS[FEATURES.indexOf(f)] } }),
        h('label.wl', { for: id }, t('feature.' + f)), slider, val,
        h('div.why', { id: id + '-why' }, t('feature.' + f + '.why')));
    };
    const shown = FEATURES.filter((f) => f in r.weights);
    put(weightsBox, shown.filter((f) => BASIC.includes(f)).map(row),
      h('details.advanced', { 'data-testid': 'weights-advanced', open: shown.some((f) => !BASIC.includes(f) && st.weights[f] > 0) || null },
        h('summary', t('targets.advanced')), h('p.why', t('targets.advancedWhy')),
        shown.filter((f) => !BASIC.includes(f)).map(row)),
      h('button.btn.ghost.small', { 'data-testid': 'reset-weights', onclick: () => { st.weights = { ...r.weights }; drawWeights(); drawTable(); } }, t('targets.resetWeights')));
  }

  function drawTable() {
    const r = st.result;
    clear(tableBox);
    if (!r) return;
    if (!r.targets.length) { tableBox.appendChild(h('div.state', t('targets.noResult'))); return; }
    const ranked = rerank(r.targets, r.weights, st.weights);
    const maxScore = Math.max(...ranked.map((x) => x.liveScore), 1e-9);
    const sl = loadShortlist();
    put(tableBox, 
      h('div.table-tools', h('button.btn.small', { 'data-testid': 'export-xlsx', onclick: () => exportList(ranked, r) }, t('targets.exportXlsx'))),
      h('table.tbl', { 'data-testid': 'targets-table' },
        h('thead', h('tr', h('th', t('targets.shortlist')), h('th', t('targets.rank')), h('th', t('targets.company')), h('th', t('targets.location')),
          h('th.num', t('targets.revenue')), h('th', { style: { width: '230px' } }, t('targets.score')), h('th', t('targets.reasons')))),
        h('tbody', ranked.map((x, i) => {
          const cb = h('input', { type: 'checkbox', checked: !!sl[x.company_id], 'data-testid': 'shortlist-' + x.company_id, 'aria-label': t('targets.shortlistOne', { name: x.name }) });
          cb.onchange = () => { const s = loadShortlist(); if (cb.checked) s[x.company_id] = { name: x.name, region_name: x.region_name, link: r.link, link_name: r.link_name, score: x.liveScore, revenue_wan: x.revenue_wan, tags: x.tags, reasons: x.reasons || [] }; else delete s[x.company_id]; saveShortlist(s); drawShortlist(); };
          return h('tr', { 'data-testid': 'target-row', 'data-company': x.company_id },
            h('td', cb), h('td.rank', String(i + 1)),
            h('td', h('a', { href: `#/company/${encodeURIComponent(x.company_id)}` }, x.name),
              h('div.tagline', x.transfer ? h('span.tag.transfer', { 'data-testid': 'transfer-badge' }, t('targets.transfer')) : null, (x.tags || []).map((tg) => h('span.tag', tagName(tg))))),
            h('td', x.region_name), h('td.num', wanCell(x.revenue_wan)),
            h('td', h('div.stack', { title: FEATURES.filter((f) => x.parts[f] > 0.0005).map((f) => `${t('feature.' + f)} ${(x.parts[f] * 100).toFixed(1)}`).join('\n') },
              FEATURES.map((f, k) => x.parts[f] > 0 ? h('span', { style: { width: (x.parts[f] / maxScore * 100) + '%', background: FEATURE_COLORS[k] } }) : null)),
            h('span.score-num', { 'data-testid': 'target-score' }, fmtNum(score100(x.liveScore), 1))),
            h('td.reasons-cell', (x.reasons || []).slice(0, 2).map((y) => h('div', pick(y.zh, y.en)))));
        }))));
  }

  function drawShortlist() {
    const s = loadShortlist();
    const ids = Object.keys(s);
    put(clear(shortBox), h('div.h3row', h('h3', t('targets.shortlistTitle', { n: ids.length })),
      ids.length ? h('button.link-btn', { onclick: () => { saveShortlist({}); drawShortlist(); drawTable(); } }, t('targets.clearShortlist')) : null),
    ids.length ? h('ul.firms', ids.map((id) => h('li', h('a', { href: `#/company/${encodeURIComponent(id)}` }, s[id].name), h('span.muted', ` · ${s[id].link}`)))) : h('div.muted', t('targets.emptyShortlist')),
    ids.length ? h('button.btn.small', { 'data-testid': 'export-shortlist', onclick: () => exportShortlist(s) }, t('targets.exportShortlist')) : null);
  }

  async function fetchAndShow() {
    clear(tableBox).appendChild(loading());
    clear(pipelineBox);
    try {
      const sub = sameCityLabel.style.display !== 'none';
      const r = await api.get('/api/v1/analysis/targets', { region: st.region, link: st.link, limit: 50, tag: st.tags, min_revenue: st.minRevenue,
        include_same_city: sub && st.includeSameCity ? 'true' : undefined });
      if (!ctx.isCurrent()) return;
      st.result = r;
      if (!st.weights) st.weights = { ...r.weights };
      for (const f of Object.keys(r.weights)) if (!(f in st.weights)) st.weights[f] = r.weights[f];
      const ln = linkOf.get(r.link);
      info.textContent = `${ln ? linkName(ln) : r.link_name} · ${r.region_name} · ${t('targets.candidates', { n: r.candidates, m: r.targets.length })} · ${t('targets.demand', { n: r.demand })}`;
      leftOut.textContent = r.same_city_left_out > 0 ? t('targets.sameCityLeftOut', { n: r.same_city_left_out }) : '';
      leftOut.style.display = r.same_city_left_out > 0 ? '' : 'none';
      put(pipelineBox, h('h3', t('targets.pipeline'), h('span.muted.count', ` · ${t('targets.pipelineCount', { n: (r.in_pipeline || []).length })}`)),
        pipelineTable(r.in_pipeline || []));
      drawWeights(); drawTable();
    } catch (e) { clear(tableBox).appendChild(errorBox(e, fetchAndShow)); }
  }
  drawShortlist();
  await fetchAndShow();
}

// pipelineTable lists the candidates already in the city's pipeline, each with its
// live projects (id, stage, date of the stage, where it lands).
function pipelineTable(list) {
  if (!list.length) return h('div.muted', t('targets.pipelineNone'));
  return h('table.tbl', { 'data-testid': 'pipeline-table' },
    h('thead', h('tr', h('th', t('targets.company')), h('th', t('targets.location')), h('th', t('targets.pipelineProjects')), h('th.num', t('targets.score')))),
    h('tbody', list.map((x) => h('tr', { 'data-testid': 'pipeline-row', 'data-company': x.company_id },
      h('td', h('a', { href: `#/company/${encodeURIComponent(x.company_id)}` }, x.name)),
      h('td', x.region_name),
      h('td', x.projects.map((p) => h('div', projectLine(p)))),
      h('td.num', fmtNum(score100(x.score), 1))))));
}

// projectLine is one live project: "P2025H2-039 · 签约 · 2025-09-11 · 镇江经开区", its name as the title.
export function projectLine(p) {
  return h('span.pl-project', { 'data-testid': 'pipeline-project', 'data-project': p.id, 'data-stage': p.stage, title: p.name },
    h('span.mono', p.id), ' · ', h('span.stage', t('stage.' + p.stage)), p.date ? ` · ${p.date}` : '', p.region_name ? ` · ${p.region_name}` : '');
}

// pipelineNote is the xlsx note of a firm in the pipeline: its projects, in both languages.
export function pipelineNote(x) {
  return `${both('targets.pipeline')}: ` + x.projects.map((p) => [p.id, both('stage.' + p.stage), p.date, p.region_name].filter(Boolean).join(' ')).join('; ');
}

// exportList writes the ranked targets, then the firms in the pipeline (unranked,
// marked in the note column).
function exportList(ranked, r) {
  const sl = loadShortlist();
  const link = `${r.link_name} (${r.link})`;
  const rows = ranked.map((x, i) => [i + 1, x.company_id, x.name, x.region_name, x.revenue_wan, score100(x.liveScore), tagsBoth(x.tags),
    link, sl[x.company_id] ? '✓' : '', x.transfer ? both('targets.transfer') : '', reasonsBoth(x.reasons)]);
  for (const x of r.in_pipeline || []) {
    rows.push(['', x.company_id, x.name, x.region_name, null, score100(x.score), '', link, '', pipelineNote(x), reasonsBoth(x.reasons)]);
  }
  return exportXlsx(`targets-${r.link}-${r.region}.xlsx`, r.link,
    ['xlsx.rank', 'xlsx.id', 'xlsx.name', 'xlsx.region', 'xlsx.revenue', 'xlsx.score', 'xlsx.tags', 'xlsx.link', 'xlsx.shortlisted', 'xlsx.note', 'xlsx.reasons'].map((k) => t(k)), rows,
    [8, 16, 40, 12, 16, 10, 24, 30, 10, 50, 80]);
}
// reasonsBoth is the reasons of a target in both languages, one a line, for a spreadsheet.
export function reasonsBoth(rs) { return (rs || []).map((y) => `${y.zh} / ${y.en}`).join('\n'); }
// tagsBoth is a firm's tags in both languages ("专精特新 specialised SME、…").
export function tagsBoth(tags) { return (tags || []).map((tg) => `${tg} ${tagEN(tg)}`.trim()).join('、'); }

// exportShortlist writes the shortlist with each firm's reasons, and empty contact
// columns for the team to fill in before a visit.
function exportShortlist(s) {
  const rows = Object.entries(s).map(([id, x], i) => [i + 1, id, x.name, x.region_name, x.revenue_wan, score100(x.score), tagsBoth(x.tags), `${x.link_name} (${x.link})`,
    reasonsBoth(x.reasons), '', '', '']);
  return exportXlsx('shortlist.xlsx', 'shortlist',
    ['xlsx.rank', 'xlsx.id', 'xlsx.name', 'xlsx.region', 'xlsx.revenue', 'xlsx.score', 'xlsx.tags', 'xlsx.link', 'xlsx.reasons', 'xlsx.contact', 'xlsx.phone', 'xlsx.visitNote'].map((k) => t(k)),
    rows, [8, 16, 40, 12, 16, 10, 24, 30, 80, 16, 16, 30]);
}
