// 驾驶舱: KPI cards, sources, completeness heat map, Zhenjiang and China maps.
import { t, pick, isZh } from '../i18n.js';
import { api } from '../api.js';
import { h, esc, clear, chart, echarts, loading, errorBox, pct, signedPct, fmtInt, fmtNum, put, completenessPieces, scaleLegend, fmtYi, yiChart } from '../util.js';
import { cityRegions, chains, cachedGet, chainName, dataAsOf, shortName } from '../data.js';

const st = { from: '2025-01-01', to: '2025-06-30', mapBy: 'completeness' };

// GB/T 2260 province prefixes → the province names used by the China map.
const PROVINCES = { 11: '北京', 12: '天津', 13: '河北', 14: '山西', 15: '内蒙古', 21: '辽宁', 22: '吉林', 23: '黑龙江', 31: '上海', 32: '江苏', 33: '浙江',
  34: '安徽', 35: '福建', 36: '江西', 37: '山东', 41: '河南', 42: '湖北', 43: '湖南', 44: '广东', 45: '广西', 46: '海南', 50: '重庆', 51: '四川',
  52: '贵州', 53: '云南', 54: '西藏', 61: '陕西', 62: '甘肃', 63: '青海', 64: '宁夏', 65: '新疆', 71: '台湾', 81: '香港', 82: '澳门' };

const maps = {};
async function loadMap(name, file) {
  if (!maps[name]) maps[name] = fetch('/ui/maps/' + file).then((r) => { if (!r.ok) throw new Error(file + ': ' + r.status); return r.json(); })
    .then((geo) => { echarts.registerMap(name, geo); return geo; }).catch((e) => { maps[name] = null; throw e; });
  return maps[name];
}

// keepInURL writes the period and the map measure into the address, so a reload, a
// bookmark or a link sent to a colleague opens the same view.
function keepInURL() {
  history.replaceState(null, '', `#/dashboard?from=${st.from}&to=${st.to}&by=${st.mapBy}`);
}

export async function dashboardPage(main, ctx) {
  const q = ctx.params;
  if (/^\d{4}-\d{2}-\d{2}$/.test(q.get('from') || '')) st.from = q.get('from');
  if (/^\d{4}-\d{2}-\d{2}$/.test(q.get('to') || '')) st.to = q.get('to');
  if (['completeness', 'investment'].includes(q.get('by'))) st.mapBy = q.get('by');
  const from = h('input', { type: 'date', value: st.from, 'data-testid': 'dash-from' });
  const to = h('input', { type: 'date', value: st.to, 'data-testid': 'dash-to' });
  const body = h('div');
  put(main, h('div.toolbar', h('h1', t('dash.title')), h('label', t('dash.period'), from, '—', to),
    h('button.btn.small', { 'data-testid': 'dash-apply', onclick: () => { st.from = from.value; st.to = to.value; keepInURL(); draw(); } }, t('common.apply')), h('span.muted', t('dash.minInvestment'))), body);
  const draw = async () => {
    clear(body).appendChild(loading());
    let k;
    // lateness is judged as of the data date, the date the chain map shows
    try { k = await api.get('/api/v1/analysis/kpi', { from: st.from, to: st.to, as_of: await dataAsOf() }); } catch (e) { clear(body).appendChild(errorBox(e, draw)); return; }
    if (!ctx.isCurrent()) return;
    render(body, k, ctx);
  };
  await draw();
}

function card(title, value, sub, testid, extra) {
  return h('div.card.kpi', { 'data-testid': testid }, h('div.kpi-title', title), h('div.kpi-value', value), h('div.kpi-sub', sub), extra);
}
function yoy(v) { return h('span' + (v >= 0 ? '.up' : '.down'), t('dash.yoy', { v: signedPct(v) })); }

async function render(body, k, ctx) {
  const sourceEl = h('div.chart-md', { 'data-testid': 'chart-sources' });
  const chinaEl = h('div.chart-md', { 'data-testid': 'chart-china' });
  const heatEl = h('div.chart-lg', { 'data-testid': 'chart-heat' }, loading());
  const zjEl = h('div.chart-lg', { 'data-testid': 'chart-zhenjiang' });
  const zoneList = h('div.zones', { 'data-testid': 'zones-list' });
  const foreignList = h('div.zones');
  const mapToggle = h('select', { 'data-testid': 'map-by', 'aria-label': t('dash.mapBy') }, ['completeness', 'investment'].map((m) => h('option', { value: m, selected: st.mapBy === m }, t('dash.mapBy.' + m))));

  put(clear(body), 
    h('div.kpi-row',
      card(t('dash.projects'), fmtInt(k.projects), [yoy(k.yoy_count), ' · ', t('dash.prev', { v: fmtInt(k.previous.projects) })], 'kpi-projects'),
      card(t('dash.investment'), isZh() ? [fmtNum(k.investment_yi, 1), h('small', ' ' + t('common.yi'))] : fmtYi(k.investment_yi), [yoy(k.yoy_investment), ' · ', t('dash.prev', { v: fmtYi(k.previous.investment_yi) })], 'kpi-investment'),
      h('div.card.kpi', { 'data-testid': 'kpi-onchain' }, h('div.kpi-title', t('dash.onChain')),
        h('div.kpi-value' + (k.on_chain_share_count >= k.on_chain_target ? '.ok' : '.warn'), pct(k.on_chain_share_count)),
        h('div.target-bar', { title: t('dash.onChainTarget', { v: pct(k.on_chain_target, 0) }) },
          h('span.fill' + (k.on_chain_share_count >= k.on_chain_target ? '.ok' : '.warn'), { style: { width: pct(Math.min(1, k.on_chain_share_count)) } }),
          h('span.target', { style: { left: pct(k.on_chain_target) } }), h('span.target-label', { style: { left: pct(k.on_chain_target) } }, t('dash.onChainTarget', { v: pct(k.on_chain_target, 0) }))),
        h('div.kpi-sub', `${t('dash.byCount')} ${pct(k.on_chain_share_count)} · ${t('dash.byInvestment', { v: pct(k.on_chain_share_investment) })}`)),
      card(t('dash.foreign'), pct(k.foreign_share_investment), h('div.thin-bar', h('span', { style: { width: pct(k.foreign_share_investment) } })), 'kpi-foreign'),
      card(t('dash.lagging'), h('span', { 'data-n': k.lagging_projects }, fmtInt(k.lagging_projects)), t('dash.laggingSub', { d: k.as_of }), 'kpi-lagging',
        h('a.more', { href: '#/projects?lagging=1' }, t('dash.laggingLink')))),
    h('div.grid2',
      h('div.card', h('h3', t('dash.bySource')), sourceEl),
      h('div.card', h('h3', t('dash.chinaTitle')), h('div.map-with-list', chinaEl, h('div', h('h4', t('dash.foreignSources')), foreignList)))),
    h('div.grid2',
      h('div.card', h('h3', t('dash.heat')), scaleLegend(), heatEl),
      h('div.card', h('div.h3row', h('h3', t('dash.mapTitle')), mapToggle), h('div.map-with-list', zjEl, h('div', h('h4', t('dash.zones')), zoneList)))),
    h('div.card', h('h3', t('dash.reasons')), h('ul.reasons', (k.reasons || []).map((r) => h('li', pick(r.zh, r.en))))));

  // sources: groups first (大湾区, 长三角 …), then cities / countries
  const groups = k.by_source_region.filter((x) => x.kind === 'group');
  const regionsOnly = k.by_source_region.filter((x) => x.kind !== 'group').slice(0, 14);
  const rows = [...groups, ...regionsOnly].reverse();
  const yc = yiChart();
  const s = chart(sourceEl);
  s.setOption({ grid: { left: 70, right: 40, top: 10, bottom: 20 }, tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: { type: 'value' }, yAxis: { type: 'category', data: rows.map((x) => x.name), axisLabel: { fontSize: 11 } },
    series: [{ type: 'bar', data: rows.map((x) => ({ value: x.investment_yi * yc.k, itemStyle: { color: x.kind === 'group' ? (x.code === 'GBA' ? '#e6a23c' : x.code === 'YRD' ? '#1f5fae' : '#7c5cbf') : '#7cb5ec' } })),
      label: { show: true, position: 'right', fontSize: 10, formatter: (p) => fmtNum(p.value, 1) } }] });

  // China map by province of the source city; foreign sources listed beside it
  const byProv = new Map();
  const foreign = [];
  for (const x of k.by_source_region.filter((y) => y.kind !== 'group')) {
    const prov = /^\d{6}$/.test(x.code) ? PROVINCES[x.code.slice(0, 2)] : null;
    if (prov) byProv.set(prov, (byProv.get(prov) || 0) + x.investment_yi * yc.k); else foreign.push(x);
  }
  put(foreignList, ...(foreign.length ? foreign.map((x) => h('div.zone', h('span', x.name), h('b', fmtYi(x.investment_yi)))) : [h('div.muted', t('common.none'))]));
  const cn = chart(chinaEl);
  loadMap('china', 'china.json').then(() => {
    const vals = [...byProv.values()];
    cn.setOption({ tooltip: { formatter: (p) => `${esc(p.name)}${t('common.colon')}${p.value ? fmtYi(p.value / yc.k) : '—'}` },
      visualMap: amountScale(Math.max(1, ...vals) / yc.k),
      series: [{ type: 'map', map: 'china', roam: false, layoutCenter: ['50%', '58%'], layoutSize: '115%', label: { show: false },
        itemStyle: { borderColor: '#fff', areaColor: '#f2f4f8' }, emphasis: { label: { show: true } },
        data: [...byProv].map(([name, value]) => ({ name, value })) }] });
  }).catch(() => fallbackBar(cn, [...byProv].map(([name, value]) => ({ name, value }))));

  // heat map and the Zhenjiang map need a diagnosis per district (cached)
  const [regs, chs] = await Promise.all([cityRegions(), chains()]);
  if (!ctx.isCurrent()) return;
  const districts = regs.slice(1);
  let diags;
  try {
    diags = await Promise.all(districts.map((r) => cachedGet('/api/v1/analysis/diagnosis', { region: r.code })));
  } catch (e) { clear(heatEl).appendChild(errorBox(e)); return; }
  if (!ctx.isCurrent()) return;
  clear(heatEl);
  const data = [];
  const meanCompleteness = new Map();
  diags.forEach((d, xi) => {
    let sum = 0;
    chs.forEach((c, yi) => {
      const cr = d.chains.find((x) => x.chain_id === c.id);
      const v = cr ? cr.completeness : 0;
      sum += v; data.push([xi, yi, Math.round(v * 100)]);
    });
    meanCompleteness.set(districts[xi].code, sum / chs.length);
  });
  const hm = chart(heatEl);
  hm.setOption({ tooltip: { formatter: (p) => `${esc(districts[p.value[0]].name)} · ${esc(chainName(chs[p.value[1]]))}<br/>${t('map.completeness')}${t('common.colon')}${p.value[2]}%` },
    grid: { left: isZh() ? 110 : 150, right: 20, top: 10, bottom: 70 },
    xAxis: { type: 'category', data: districts.map((r) => r.name.replace(/（.*）/, '')), axisLabel: { interval: 0, rotate: 30, fontSize: 11 }, splitArea: { show: true } },
    yAxis: { type: 'category', data: chs.map((c) => shortName(chainName(c))), axisLabel: { fontSize: 11, width: isZh() ? 100 : 140, overflow: 'break', lineHeight: 13 } },
    visualMap: { type: 'piecewise', pieces: completenessPieces(), show: false },
    series: [{ type: 'heatmap', data, label: { show: true, fontSize: 10, formatter: (p) => p.value[2] + '%' }, itemStyle: { borderColor: '#fff', borderWidth: 1 } }] });
  hm.on('click', (p) => { location.hash = `#/map?region=${districts[p.value[0]].code}&chain=${chs[p.value[1]].id}`; });

  // Zhenjiang: polygons for the six county-level units; the two zones have none
  const invByDistrict = new Map(k.by_district.map((x) => [x.code, x.investment_yi]));
  const zj = chart(zjEl);
  const drawZj = async () => {
    const by = mapToggle.value; st.mapBy = by;
    const val = (code) => (by === 'completeness' ? Math.round((meanCompleteness.get(code) || 0) * 100) : (invByDistrict.get(code) || 0));
    const fmt = (v) => (by === 'completeness' ? v + '%' : fmtYi(v));
    const polys = districts.filter((r) => r.kind === 'district');
    const zones = districts.filter((r) => r.kind !== 'district');
    put(clear(zoneList), ...zones.map((r) => h('div.zone', h('span', r.name), h('b', fmt(val(r.code))))));
    try {
      const geo = await loadMap('zhenjiang', 'zhenjiang.json');
      const cp = new Map(geo.features.map((f) => [f.properties.name, f.properties.cp]));
      const vals = polys.map((r) => val(r.code));
      // The polygons are coloured by a map series; their labels are a scatter series at
      // each district's centre whose labels move apart when they would overlap (润州区
      // and 京口区 are small neighbours), with a line back to their centre.
      zj.setOption({ tooltip: { formatter: (p) => `${esc(p.name)}${t('common.colon')}${fmt(Array.isArray(p.value) ? p.value[2] : p.value)}` },
        visualMap: { ...(by === 'completeness'
          ? { type: 'piecewise', pieces: completenessPieces(), left: 0, bottom: 0, itemWidth: 14, itemHeight: 10, textStyle: { fontSize: 11, color: '#1f2d3d' } }
          : amountScale(Math.max(1, ...vals), true)), seriesIndex: 0 },
        geo: { map: 'zhenjiang', roam: false, silent: true, label: { show: false }, itemStyle: { borderColor: '#fff', areaColor: '#eef1f6' } },
        series: [
          { type: 'map', geoIndex: 0, data: polys.map((r) => ({ name: r.name, value: val(r.code) })) },
          { type: 'scatter', coordinateSystem: 'geo', symbolSize: 5, itemStyle: { color: '#1f2d3d' }, z: 5,
            // north first, so a label that must move goes down, away from those placed
            data: polys.filter((r) => cp.has(r.name)).sort((a, b) => cp.get(b.name)[1] - cp.get(a.name)[1])
              .map((r) => ({ name: r.name, value: [...cp.get(r.name), val(r.code)] })),
            label: { show: true, position: 'right', distance: 6, fontSize: 11, color: '#1f2d3d', backgroundColor: 'rgba(255,255,255,.85)', padding: [1, 4], borderRadius: 3,
              formatter: (p) => `${p.name} ${fmt(p.value[2])}` },
            labelLayout: apart(), labelLine: { show: true, lineStyle: { color: '#44546a' } } }] }, true);
    } catch (e) { fallbackBar(zj, polys.map((r) => ({ name: r.name, value: val(r.code) }))); }
  };
  mapToggle.onchange = () => { drawZj(); keepInURL(); };
  drawZj();
}

// apart is an ECharts labelLayout callback that moves a label down below every label
// placed before it that it would overlap (ECharts lays the labels out in data order,
// from the first again on each layout).
function apart() {
  let placed = [];
  return (p) => {
    if (p.dataIndex === 0) placed = [];
    const r = { ...p.labelRect };
    let moved = true;
    while (moved) {
      moved = false;
      for (const q of placed) {
        if (r.x < q.x + q.width && q.x < r.x + r.width && r.y < q.y + q.height && q.y < r.y + r.height) { r.y = q.y + q.height + 2; moved = true; }
      }
    }
    placed.push(r);
    return { y: r.y, x: r.x };
  };
}

// amountScale is the colour scale of an amount in 亿元 from 0 to max, its ends labelled
// with their numbers and the unit; the values it colours are in yiChart() units
// unless raw (then 亿元).
function amountScale(maxYi, raw = false) {
  const k = raw ? 1 : yiChart().k;
  return { type: 'continuous', min: 0, max: maxYi * k, left: 0, bottom: 0, calculable: false, itemHeight: 90, itemWidth: 12,
    text: [fmtYi(maxYi, 0), '0'], inRange: { color: ['#e3eefa', '#1f4e8c'] }, textStyle: { fontSize: 11, color: '#1f2d3d' } };
}

// fallbackBar shows map data as bars when a map file cannot be loaded.
function fallbackBar(c, rows) {
  c.setOption({ grid: { left: 70, right: 20, top: 10, bottom: 20 }, xAxis: { type: 'value' }, yAxis: { type: 'category', data: rows.map((r) => r.name) },
    series: [{ type: 'bar', data: rows.map((r) => r.value) }] }, true);
}
