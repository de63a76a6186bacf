// 产业链图谱: the chain's DAG in three tier columns, coloured by diagnosis.
import { t, pick, isZh, both } from '../i18n.js';
import { api } from '../api.js';
import { h, esc, clear, chart, loading, errorBox, pct, fmtInt, fmtNum, STATUS_COLORS, TIERS, download, exportXlsx, put, completenessLevel, scaleLegend, score100, fmtWan } from '../util.js';
import { cityRegions, chains, CITY, linkName, chainName, shortName } from '../data.js';
import { projectLine, pipelineNote, tagsBoth } from './targets.js';

const state = { region: CITY, chain: 'CH_EV', selected: null };
let prefetched = null; // {chain, region, diag: Promise} requested before the selectors loaded

export async function mapPage(main, ctx) {
  if (ctx.params.get('region')) state.region = ctx.params.get('region');
  if (ctx.params.get('chain')) state.chain = ctx.params.get('chain');
  // The diagnosis is requested at once, alongside the selector data, rather than
  // after it: one round trip fewer before the map draws.
  const first = { chain: state.chain, region: state.region,
    diag: api.get('/api/v1/analysis/diagnosis', { region: state.region, chain: state.chain }) };
  first.diag.catch(() => {}); // a failure is reported by draw
  const [regs, chs] = await Promise.all([cityRegions(), chains()]);
  if (!chs.find((c) => c.id === state.chain)) state.chain = chs[0].id;
  prefetched = first;

  const regionSel = h('select', { 'data-testid': 'map-region' }, regs.map((r) => h('option', { value: r.code, selected: r.code === state.region }, r.name)));
  const chainSel = h('select', { 'data-testid': 'map-chain' }, chs.map((c) => h('option', { value: c.id, selected: c.id === state.chain }, `${chainName(c)} (${c.links.length})`)));
  const body = h('div.map-body');
  put(main, 
    h('div.toolbar', h('h1', t('map.title')),
      h('label', t('common.region'), regionSel), h('label', t('common.chain'), chainSel),
      h('span.hint', t('map.hint'))),
    body);
  // the view is kept in the address (reload, bookmark, a link to a colleague)
  const reload = () => { state.selected = null; history.replaceState(null, '', `#/map?region=${state.region}&chain=${state.chain}`); draw(body, chs, ctx); };
  regionSel.onchange = () => { state.region = regionSel.value; reload(); };
  chainSel.onchange = () => { state.chain = chainSel.value; reload(); };
  await draw(body, chs, ctx);
}

async function draw(body, chs, ctx) {
  clear(body).appendChild(loading());
  window.__chainmapRendered = undefined;
  const chainDef = chs.find((c) => c.id === state.chain);
  let diag;
  try {
    const p = prefetched && prefetched.chain === state.chain && prefetched.region === state.region ? prefetched.diag : null;
    prefetched = null;
    diag = await (p || api.get('/api/v1/analysis/diagnosis', { region: state.region, chain: state.chain }));
  } catch (e) { clear(body).appendChild(errorBox(e, () => draw(body, chs, ctx))); return; }
  if (!ctx.isCurrent()) return;
  const cr = diag.chains[0];
  const byId = new Map(cr.links.map((l) => [l.link_id, l]));
  const params = diag.params || {};
  const level = completenessLevel(cr.completeness);

  const header = h('div.chain-head', { 'data-testid': 'chain-head' },
    h('div.ch-title', chainName(chainDef), cr.key ? h('span.badge.key', t('map.keyChain')) : null),
    h('div.ch-complete', { 'data-testid': 'completeness', 'data-level': level.key }, t('map.completeness'), h('b', { style: { color: level.fill } }, pct(cr.completeness, 0)),
      h('span.bar', h('span', { style: { width: pct(cr.completeness, 0), background: level.fill } })), scaleLegend()),
    h('div.ch-counts', t('map.counts', cr.counts)),
    h('div.ch-leaders', { 'data-testid': 'chain-leaders' }, h('b', t('map.leaders') + t('common.colon')),
      chainDef.leaders.length ? chainDef.leaders.map((l, i) => [i ? t('common.listSep') : '', h('a', { href: `#/company/${encodeURIComponent(l.id)}` }, l.name)]) : t('map.noLeaders')),
    h('div.ch-asof', `${diag.region_name} · ${t('map.asOf', { d: diag.as_of })}`));

  const legend = h('div.legend', { 'data-testid': 'legend' }, ['strong', 'weak', 'missing', 'broken'].map((s) =>
    h('span.lg', h('i', { style: { background: STATUS_COLORS[s] } }), t(`status.${s}.long`))),
  h('span.lg.note', t('map.sizeNote')));

  const bands = h('div.tier-bands', TIERS.map((tier) => h('div.band', h('div.band-title', t('tier.' + tier)))));
  const chartEl = h('div.chain-chart', { 'data-testid': 'chain-chart' });
  const canvasWrap = h('div.chart-wrap', bands, chartEl);
  const nodeList = h('div.node-list', { 'data-testid': 'node-list' }, cr.links.map((l) =>
    h('button.node-chip', { 'data-testid': 'node-' + l.link_id, 'data-status': l.status, onclick: () => select(l.link_id) },
      h('i', { style: { background: STATUS_COLORS[l.status] } }), shortName(pick(l.link_name, l.link_name_en)))));
  const panel = h('aside.side-panel', { 'data-testid': 'link-panel-wrap' }, h('div.panel-empty', t('map.hint')));
  const exportBtn = h('button.btn.ghost', { 'data-testid': 'export-png', onclick: () => exportPng(c, chainDef, cr, diag) }, t('map.exportPng'));

  put(clear(body), h('div.map-main', h('div.card', header, h('div.legend-row', legend, exportBtn), canvasWrap, nodeList)), panel);

  const { nodes, edges, pos, height } = layout(chainDef, cr, chartEl.clientWidth);
  canvasWrap.style.height = height + 'px'; // tall enough for every label of the longest column
  const c = chart(chartEl);
  // a click opens the panel: the tooltip goes, or it would cover the neighbours
  const select = (id) => { state.selected = id; c.dispatchAction({ type: 'hideTip' }); c.dispatchAction({ type: 'downplay', seriesIndex: 0 }); showPanel(panel, byId.get(id), chainDef, params); highlightChip(nodeList, id); };
  c.on('click', (p) => { if (p.dataType === 'node' && p.data.link) select(p.data.id); });
  c.on('finished', () => {
    if (window.__chainmapRendered === undefined) {
      window.__chainmapRendered = performance.now();
      // pixel positions of the nodes, for tests and keyboard-less automation
      window.__chainmapNodes = Object.fromEntries([...pos].map(([id, xy]) => [id, c.convertToPixel({ seriesIndex: 0 }, xy)]));
      document.body.dataset.chartRendered = state.chain;
    }
  });
  c.setOption({
    animation: false,
    tooltip: {
      confine: true,
      formatter: (p) => {
        if (p.dataType !== 'node' || !p.data.link) return '';
        const l = p.data.link;
        const c = t('common.colon');
        return `<b>${esc(pick(l.link_name, l.link_name_en))}</b><br/>` +
          `${t('map.status')}${c}<span style="color:${STATUS_COLORS[l.status]}">●</span> ${t('status.' + l.status)}<br/>` +
          `${t('map.localFirms')}${c}${l.local_companies}<br/>${t('map.dependency')}${c}${esc(dependency(l))}<br/>` +
          `${t('map.importance')}${c}${fmtNum(l.importance, 3)}<br/>${t('map.priority')}${c}${fmtNum(l.priority, 3)}`;
      },
    },
    series: [{
      type: 'graph', layout: 'none', left: 0, right: 0, top: 0, bottom: 0, roam: false,
      edgeSymbol: ['none', 'arrow'], edgeSymbolSize: 9,
      lineStyle: { color: '#8aa0bd', width: 1.4, curveness: 0.12, opacity: 0.85 },
      emphasis: { focus: 'adjacency', lineStyle: { width: 2.5 } },
      label: { show: true, position: 'bottom', fontSize: LABEL_FONT, fontFamily: labelFont(), color: '#1f2d3d', lineHeight: LINE_H,
        formatter: (p) => p.data.link ? `${p.data.labelText}\n{n|${p.data.link.local_companies} ${t('map.firms')}}` : '',
        rich: { n: { color: '#4f5d70', fontSize: 11, lineHeight: LINE_H } } },
      data: nodes, links: edges,
    }],
  });
  if (state.selected && byId.has(state.selected)) select(state.selected);
}

function highlightChip(list, id) {
  for (const b of list.querySelectorAll('.node-chip')) b.classList.toggle('sel', b.dataset.testid === 'node-' + id);
}

const LABEL_FONT = 12, LINE_H = 15, TOP = 62, BOTTOM_PAD = 10, GAP = 12, MIN_LABEL_W = 96;
let measurer;
// labelFont is the page's font family, which the chart's labels are drawn in too.
function labelFont() { return getComputedStyle(document.body).fontFamily; }
// textWidth is the width of s in the chart's label font (a canvas measures it).
function textWidth(s) {
  measurer ||= document.createElement('canvas').getContext('2d');
  measurer.font = `${LABEL_FONT}px ${labelFont()}`;
  return measurer.measureText(s).width;
}
// wrapText breaks s into lines no wider than w: Chinese between any two characters,
// English between words (a word wider than w between its letters).
function wrapText(s, w) {
  const pieces = isZh() ? [...s] : s.split(/(?<=[\s/-])/).flatMap((x) => (textWidth(x) > w ? [...x] : [x]));
  const lines = [];
  let cur = '';
  for (const x of pieces) {
    if (cur && textWidth((cur + x).trimEnd()) > w) { lines.push(cur.trimEnd()); cur = x.trimStart(); } else cur += x;
  }
  if (cur) lines.push(cur.trimEnd());
  return lines;
}

// layout places links in three tier columns; within a tier, links fed by another
// link of the same tier go to a sub-column further right, and each column is
// ordered by the mean height of its feeders so arrows mostly run left→right.
// Labels are whole names (the parenthesised detail dropped) wrapped to the room
// between columns, and the chart is as tall as the longest column needs, so no
// label is cut or clipped. It answers the nodes, edges, node positions and height.
function layout(chainDef, cr, W) {
  W = W || 900;
  const diag = new Map(cr.links.map((l) => [l.link_id, l]));
  const links = chainDef.links;
  const tierOf = new Map(links.map((l) => [l.id, l.tier]));
  const preds = new Map(links.map((l) => [l.id, []]));
  for (const f of chainDef.feeds) if (preds.has(f.to_link_id)) preds.get(f.to_link_id).push(f.from_link_id);
  // depth within tier = longest same-tier feed path into the link
  const depth = new Map();
  const dep = (id, seen = new Set()) => {
    if (depth.has(id)) return depth.get(id);
    if (seen.has(id)) return 0;
    seen.add(id);
    let d = 0;
    for (const p of preds.get(id) || []) if (tierOf.get(p) === tierOf.get(id)) d = Math.max(d, dep(p, seen) + 1);
    depth.set(id, d); return d;
  };
  links.forEach((l) => dep(l.id));
  const info = new Map(links.map((l) => {
    const d = diag.get(l.id) || { link_id: l.id, link_name: l.name, link_name_en: l.name_en, status: 'missing', local_companies: 0, importance: 0 };
    return [l.id, { d, size: 22 + Math.sqrt(d.importance || 0) * 42, text: shortName(pick(d.link_name, d.link_name_en)) }];
  }));
  // Stacks of nodes one above the other. A tier's sub-columns each make a stack when
  // they are wide enough for a label; otherwise the tier is one stack, a staircase
  // whose nodes move right with their depth but never share a row.
  const bandW = W / 3;
  const columns = [];
  const xOf = (ti, d, maxD) => bandW * ti + (maxD === 0 ? bandW / 2 : bandW * (0.28 + 0.44 * d / maxD));
  TIERS.forEach((tier, ti) => {
    const inTier = links.filter((l) => l.tier === tier);
    const maxD = Math.max(0, ...inTier.map((l) => depth.get(l.id)));
    const colW = (maxD === 0 ? bandW : bandW * 0.44 / maxD) - GAP;
    if (colW >= MIN_LABEL_W) {
      for (let d = 0; d <= maxD; d++) {
        columns.push({ links: inTier.filter((l) => depth.get(l.id) === d), x: () => xOf(ti, d, maxD), labelW: () => colW });
      }
    } else {
      const room = (x) => Math.min(bandW - GAP, 2 * Math.min(x - bandW * ti, bandW * (ti + 1) - x) - GAP);
      columns.push({ staircase: true, links: inTier, x: (l) => xOf(ti, depth.get(l.id), maxD), labelW: (l) => room(xOf(ti, depth.get(l.id), maxD)) });
    }
  });
  // a node's height with its label: the symbol, the wrapped name, the firm count
  for (const col of columns) for (const l of col.links) {
    const x = info.get(l.id);
    x.lines = wrapText(x.text, col.labelW(l));
    x.h = x.size / 2 + 4 + (x.lines.length + 1) * LINE_H;
  }
  const need = Math.max(...columns.map((col) => col.links.reduce((a, l) => a + info.get(l.id).size / 2 + info.get(l.id).h + GAP, 0)));
  const H = Math.max(560, Math.ceil(TOP + need + BOTTOM_PAD));
  const pos = new Map();
  for (const col of columns) {
    const key = (l) => { const ys = (preds.get(l.id) || []).map((p) => pos.get(p)).filter(Boolean).map((xy) => xy[1]); return ys.length ? ys.reduce((a, b) => a + b, 0) / ys.length : 1e9 + links.indexOf(l); };
    col.links.sort((a, b) => (col.staircase ? depth.get(a.id) - depth.get(b.id) : 0) || key(a) - key(b) || a.id.localeCompare(b.id));
    // spread the nodes over the height, each slot as tall as its node and label
    const heights = col.links.map((l) => info.get(l.id).size / 2 + info.get(l.id).h);
    const free = H - TOP - BOTTOM_PAD - heights.reduce((a, b) => a + b, 0);
    const gap = col.links.length > 1 ? free / (col.links.length - 1) : 0;
    let y = col.links.length > 1 ? TOP : TOP + free / 2;
    col.links.forEach((l, i) => {
      const it = info.get(l.id);
      pos.set(l.id, [col.x(l), y + it.size / 2]);
      y += heights[i] + gap;
    });
  }
  const nodes = links.map((l) => {
    const { d, size, lines } = info.get(l.id);
    const [x, y] = pos.get(l.id);
    return { id: l.id, name: l.id, x, y, link: d, labelText: lines.join('\n'), symbolSize: size,
      itemStyle: { color: STATUS_COLORS[d.status], borderColor: '#fff', borderWidth: 2, shadowBlur: 6, shadowColor: 'rgba(20,40,80,.25)' } };
  });
  // two invisible corner nodes pin the view box to the container, so x/y are pixels
  nodes.push({ id: '__tl', name: '__tl', x: 0, y: 0, symbolSize: 0, label: { show: false }, tooltip: { show: false }, silent: true });
  nodes.push({ id: '__br', name: '__br', x: W, y: H, symbolSize: 0, label: { show: false }, tooltip: { show: false }, silent: true });
  const edges = chainDef.feeds.map((f) => ({ source: f.from_link_id, target: f.to_link_id }));
  return { nodes, edges, pos, height: H };
}

// exportPng draws a picture that stands alone: the chain, region, date and
// completeness, the tier bands and headings, the chart, and the status legend.
function exportPng(c, chainDef, cr, diag) {
  const W = c.getWidth(), H = c.getHeight(), pr = 2, pad = 20, headH = 70, legendH = 44;
  const font = getComputedStyle(document.body).fontFamily;
  const cv = document.createElement('canvas');
  cv.width = (W + 2 * pad) * pr; cv.height = (headH + H + legendH) * pr;
  const g = cv.getContext('2d');
  g.scale(pr, pr);
  g.fillStyle = '#fff'; g.fillRect(0, 0, W + 2 * pad, headH + H + legendH);
  const drawn = [];
  const text = (s, x, y, size, color, { bold = false, align = 'left' } = {}) => {
    g.font = `${bold ? 'bold ' : ''}${size}px ${font}`; g.fillStyle = color; g.textAlign = align; g.textBaseline = 'alphabetic';
    g.fillText(s, x, y); drawn.push(s);
    return g.measureText(s).width;
  };
  text(chainName(chainDef) + (cr.key ? t('common.paren', { x: t('map.keyChain') }) : ''), pad, 30, 20, '#0f3a75', { bold: true });
  text(`${diag.region_name} · ${t('map.asOf', { d: diag.as_of })} · ${t('map.completeness')} ${pct(cr.completeness, 0)} · ${t('map.counts', cr.counts)}`,
    pad, 54, 13, '#44546a');
  const bandW = W / 3, bands = ['#f3f7fd', '#f6f5fc', '#f2faf5'];
  TIERS.forEach((tier, i) => {
    g.fillStyle = bands[i]; g.fillRect(pad + bandW * i + 3, headH, bandW - 6, H);
    text(t('tier.' + tier), pad + bandW * i + bandW / 2, headH + 24, 14, '#0f3a75', { bold: true, align: 'center' });
  });
  g.drawImage(c.getRenderedCanvas({ pixelRatio: pr }), pad, headH, W, H);
  let x = pad;
  const y = headH + H + 28;
  for (const st of ['strong', 'weak', 'missing', 'broken']) {
    g.fillStyle = STATUS_COLORS[st]; g.beginPath(); g.arc(x + 6, y - 4, 6, 0, 2 * Math.PI); g.fill();
    x += 16 + text(t(`status.${st}.long`), x + 16, y, 12, '#44546a') + 18;
  }
  text(t('map.sizeNote'), x, y, 12, '#44546a');
  window.__chainmapExported = drawn; // what the picture says, for the browser tests
  download(cv.toDataURL('image/png'), `chainmap-${state.chain}-${state.region}-${diag.as_of}.png`);
}

// dependency is the link's external dependency as shown: a percentage, or 数据不足
// (unknown) when the server had too little purchase evidence to judge — never 0%.
function dependency(l) {
  return l.external_dependency === null || l.external_dependency === undefined ? t('map.depUnknown') : pct(l.external_dependency, 0);
}

async function showPanel(panel, l, chainDef, params) {
  const p = h('div.panel', { 'data-testid': 'link-panel', 'data-link': l.link_id });
  clear(panel).appendChild(p);
  const name = pick(l.link_name, l.link_name_en);
  const role = linkRole(l, chainDef);
  const targetsBox = h('div', { 'data-testid': 'panel-targets' }, loading());
  const topHead = h('h3', { 'data-testid': 'panel-targets-head' }, t('map.targetsHead'));
  const firmsBox = h('div', loading());
  let targets = null;
  const xlsxBtn = h('button.btn.ghost.small', { 'data-testid': 'panel-export-xlsx', onclick: () => targets && exportTargets(targets, l) }, t('map.exportXlsx'));
  put(p, 
    h('div.panel-head', h('span.status-pill', { 'data-status': l.status, style: { background: STATUS_COLORS[l.status] } }, t('status.' + l.status)),
      h('h2', name), h('button.x', { onclick: () => clear(panel).appendChild(h('div.panel-empty', t('map.hint'))), title: t('common.close') }, '×')),
    h('div.panel-sub', `${l.link_id} · ${t('tier.' + l.tier)} · `,
      h('span', { 'data-testid': 'panel-role', 'data-role': role }, t('linkRole.' + role))),
    h('div.kv-grid',
      kv(t('map.localFirms'), fmtInt(l.local_companies)),
      kv(t('map.dependency'), h('span', { 'data-testid': 'panel-dependency', 'data-unknown': l.external_dependency == null ? 'true' : null,
        title: l.external_dependency == null ? t('map.depUnknownWhy', { e: fmtNum(l.local_demand_evidence || 0, 2), min: fmtNum(params.min_demand_evidence, 1) }) : null }, dependency(l))),
      kv(t('map.projects'), fmtInt(l.projects || 0)), kv(t('map.anchors'), fmtInt(l.anchors || 0)),
      kv(t('map.importance'), fmtNum(l.importance, 3)), kv(t('map.priority'), fmtNum(l.priority, 3)),
      kv(t('map.localRevenue'), fmtWan(l.local_revenue_wan)),
      kv(t('map.demandWan'), [fmtWan(l.local_demand_wan), l.inferred_only ? h('small.muted', t('map.inferredOnly')) : null])),
    h('h3', t('map.reasons')),
    h('ul.reasons', { 'data-testid': 'panel-reasons' }, (l.reasons || []).map((r) => h('li', pick(r.zh, r.en)))),
    h('h3', t('map.firmsList')), firmsBox,
    h('div.h3row', topHead, xlsxBtn), targetsBox,
    h('a.more', { href: `#/targets?link=${l.link_id}&region=${state.region}` }, t('map.allTargets')));

  // The diagnosis names up to 10 firms, those present through a project with it;
  // the link's other local companies follow.
  api.get('/api/v1/links/' + encodeURIComponent(l.link_id)).then((lv) => {
    const firms = [...(l.firms || [])];
    const seen = new Set(firms.map((f) => f.company_id).filter(Boolean));
    for (const co of lv.companies) {
      if (seen.has(co.id)) continue;
      if (co.region_code === state.region || (co.region_code || '').startsWith(state.region === CITY ? '3211' : state.region)) firms.push({ company_id: co.id, name: co.name });
    }
    clear(firmsBox).appendChild(firms.length
      ? h('ul.firms', { 'data-testid': 'panel-firms' }, firms.slice(0, 30).map(firmItem))
      : h('div.muted', t('map.noFirms')));
  }).catch((e) => clear(firmsBox).appendChild(errorBox(e)));

  try {
    const r = await api.get('/api/v1/analysis/targets', { region: state.region, link: l.link_id, limit: 10 });
    targets = r;
    // the heading counts what is listed: 前 10 only when there are ten
    topHead.textContent = r.targets.length >= 10 ? t('map.targetsTop', { n: r.targets.length }) : t('map.targetsAll', { n: r.targets.length });
    clear(targetsBox).appendChild(r.targets.length
      ? h('ol.targets-mini', r.targets.map((x) => h('li', { 'data-testid': 'panel-target', 'data-company': x.company_id },
        h('div.tm-row', h('a', { href: `#/company/${encodeURIComponent(x.company_id)}` }, x.name), h('span.score', fmtNum(score100(x.score), 1))),
        h('div.tm-bar', h('span', { style: { width: Math.min(100, x.score * 100) + '%' } })),
        h('div.tm-reason', `${x.region_name} · ${(x.reasons || []).slice(0, 2).map((r) => pick(r.zh, r.en)).join(t('common.semi'))}`))))
      : h('div.muted', t('map.noTargets')));
    if (r.same_city_left_out > 0) targetsBox.appendChild(h('div.note-line', { 'data-testid': 'panel-same-city-left-out' }, t('targets.sameCityLeftOut', { n: r.same_city_left_out })));
    if (r.in_pipeline && r.in_pipeline.length) {
      put(targetsBox, h('div.pipeline-mini', { 'data-testid': 'panel-pipeline' }, h('h4', t('targets.pipeline')),
        h('ul.firms', r.in_pipeline.map((x) => h('li', { 'data-testid': 'panel-pipeline-firm', 'data-company': x.company_id },
          h('a', { href: `#/company/${encodeURIComponent(x.company_id)}` }, x.name), h('span.muted', ` · ${x.region_name}`),
          x.projects.map((p) => h('div.tm-reason', projectLine(p))))))));
    }
  } catch (e) { clear(targetsBox).appendChild(errorBox(e)); }
}
// linkRole is the link's kind of activity from the chain's link records; a link
// without one is production.
function linkRole(l, chainDef) {
  const def = chainDef.links.find((x) => x.id === l.link_id);
  return l.role || (def && def.role) || 'production';
}
function kv(k, v) { return h('div.kv', h('span.k', k), h('span.v', v)); }

// firmItem is one local firm; a firm present through a project is labelled with it
// ("项目 P2024H1-015 · 开工"), and one known only by its project has no company page.
function firmItem(f) {
  const name = f.company_id ? h('a', { href: `#/company/${encodeURIComponent(f.company_id)}` }, f.name) : h('span', f.name);
  if (!f.project_id) return h('li', name);
  return h('li', { 'data-testid': 'panel-firm-project', 'data-project': f.project_id }, name, ' ',
    h('span.tag.project', { title: f.since ? t('map.viaProjectTitle', { name: f.project_name || f.name, since: f.since }) : (f.project_name || '') },
      t('map.viaProject', { id: f.project_id, stage: t('stage.' + f.stage) })));
}

// exportTargets writes the panel's targets, then the firms in the pipeline (unranked, with a note).
function exportTargets(r, l) {
  const reasons = (x) => (x.reasons || []).map((y) => `${y.zh} / ${y.en}`).join('\n');
  const rows = r.targets.map((x, i) => [i + 1, x.company_id, x.name, x.region_name, x.revenue_wan, score100(x.score), tagsBoth(x.tags),
    x.transfer ? both('targets.transfer') : '', reasons(x)]);
  for (const x of r.in_pipeline || []) rows.push(['', x.company_id, x.name, x.region_name, null, score100(x.score), '', pipelineNote(x), reasons(x)]);
  return exportXlsx(`targets-${l.link_id}-${state.region}.xlsx`, l.link_id,
    ['xlsx.rank', 'xlsx.id', 'xlsx.name', 'xlsx.region', 'xlsx.revenue', 'xlsx.score', 'xlsx.tags', 'xlsx.note', 'xlsx.reasons'].map((k) => t(k)), rows, [8, 16, 40, 12, 16, 10, 24, 50, 80]);
}
