// 企业: profile, links, chains led, suppliers and customers (graph + tables).
import { t, pick } from '../i18n.js';
import { api } from '../api.js';
import { h, esc, chart, fmtInt, pct, errorBox, put, tagName, fmtWan, wanCell, zhText } from '../util.js';
import { linkIndex, chains, linkName, chainName, regions } from '../data.js';

export async function companyPage(main, ctx) {
  const id = ctx.arg;
  let co;
  try {
    co = await api.get('/api/v1/companies/' + encodeURIComponent(id));
  } catch (e) {
    main.appendChild(e.status === 404 ? h('div.state', t('company.notFound') + t('common.colon') + id) : errorBox(e));
    return;
  }
  const [links, chs, regs] = await Promise.all([linkIndex(), chains(), regions()]);
  if (!ctx.isCurrent()) return;
  const rname = (code) => (regs.regions.find((r) => r.code === code) || {}).name || code || '';

  const graphEl = h('div.company-graph', { 'data-testid': 'company-graph' });
  put(main, 
    h('div.toolbar', h('h1', { 'data-testid': 'company-name' }, co.name), h('span.muted', co.id)),
    h('div.company-layout',
      h('div.card.profile', { 'data-testid': 'company-profile' },
        h('div.kv-grid',
          kv(t('company.region'), co.region_name || rname(co.region_code)), kv(t('company.revenue'), co.revenue_wan ? fmtWan(co.revenue_wan) : '—'),
          kv(t('company.employees'), fmtInt(co.employees)), kv(t('company.founded'), co.founded_on || '—')),
        h('h3', t('company.tags')), h('div.tagline', (co.tags || []).length ? co.tags.map((x) => h('span.tag', tagName(x))) : h('span.muted', t('common.none'))),
        h('h3', t('company.links')),
        h('ul.firms', co.links.map((lid) => { const l = links.get(lid); return h('li', h('a', { href: `#/map?chain=${l ? l.chain.id : ''}` }, l ? `${linkName(l)}` : lid), h('span.muted', l ? ` · ${chainName(l.chain)}` : '')); })),
        h('h3', t('company.leads')),
        co.leads.length ? h('ul.firms', co.leads.map((cid) => { const c = chs.find((x) => x.id === cid); return h('li', h('a', { href: `#/map?chain=${cid}` }, c ? chainName(c) : cid)); })) : h('div.muted', t('common.none')),
        h('h3', t('common.provenance')), zhText('div.muted.small', co.provenance || '—')),
      h('div.card', h('h3', t('company.network')), graphEl)),
    h('div.two-col',
      h('div.card', h('h3', t('company.suppliers', { n: co.suppliers.length })), tieTable(co.suppliers, links, rname, 'suppliers-table')),
      h('div.card', h('h3', t('company.customers', { n: co.customers.length })), tieTable(co.customers, links, rname, 'customers-table'))));

  // a small star: suppliers on the left, the company in the middle, customers on the right
  const W = graphEl.clientWidth || 700, H = graphEl.clientHeight || 380;
  const nodes = [{ id: co.id, name: co.name, x: W / 2, y: H / 2, symbolSize: 46, itemStyle: { color: '#1f4e8c' }, label: { position: 'bottom', fontWeight: 'bold' } }];
  const edges = [];
  const side = (ties, x, color, inbound) => {
    // at most 14 a side; a last line says how many more there are
    const all = [...new Map(ties.map((tie) => [tie.company.id, tie])).values()];
    const uniq = all.slice(0, all.length > 14 ? 13 : 14);
    const rows = uniq.length + (all.length > uniq.length ? 1 : 0);
    const yAt = (i) => (rows === 1 ? H / 2 : 30 + (H - 60) * i / (rows - 1));
    if (all.length > uniq.length) {
      nodes.push({ id: (inbound ? 'more:s' : 'more:c'), name: t(inbound ? 'company.moreSuppliers' : 'company.moreCustomers', { n: all.length - uniq.length }),
        x, y: yAt(uniq.length), symbolSize: 0, silent: true, label: { position: inbound ? 'left' : 'right', color: '#4f5d70', fontStyle: 'italic' } });
    }
    uniq.forEach((tie, i) => {
      const y = yAt(i);
      const nid = (inbound ? 's:' : 'c:') + tie.company.id;
      nodes.push({ id: nid, name: tie.company.name, value: tie.company.id, x, y, symbolSize: 16, itemStyle: { color, opacity: tie.current ? 1 : 0.45 },
        label: { position: inbound ? 'left' : 'right' } });
      edges.push(inbound ? { source: nid, target: co.id } : { source: co.id, target: nid });
    });
  };
  side(co.suppliers, W * 0.3, '#3c8dde', true);
  side(co.customers, W * 0.7, '#2e9d5b', false);
  nodes.push({ id: '__tl', x: 0, y: 0, symbolSize: 0, label: { show: false }, silent: true }, { id: '__br', x: W, y: H, symbolSize: 0, label: { show: false }, silent: true });
  const c = chart(graphEl);
  c.setOption({
    animation: false,
    tooltip: { formatter: (p) => (p.dataType === 'node' && p.data.name ? esc(p.data.name) : '') },
    series: [{ type: 'graph', layout: 'none', left: 0, right: 0, top: 0, bottom: 0, data: nodes, links: edges,
      edgeSymbol: ['none', 'arrow'], edgeSymbolSize: 7, lineStyle: { color: '#9fb1c9', curveness: 0.1 },
      label: { show: true, fontSize: 11, width: 170, overflow: 'truncate', formatter: (p) => p.data.name || '' } }],
  });
  c.on('click', (p) => { if (p.dataType === 'node' && p.data.value) location.hash = '#/company/' + encodeURIComponent(p.data.value); });
}

function kv(k, v) { return h('div.kv', h('span.k', k), h('span.v', v)); }

function tieTable(ties, links, rname, testid) {
  if (!ties.length) return h('div.muted', t('common.none'));
  return h('table.tbl.compact', { 'data-testid': testid },
    h('thead', h('tr', h('th', t('targets.company')), h('th', t('targets.location')), h('th', t('common.link')), h('th.num', t('company.amount')),
      h('th', t('company.evidence')), h('th', t('company.period')))),
    h('tbody', ties.map((x) => h('tr' + (x.current ? '' : '.ended'),
      h('td', h('a', { href: `#/company/${encodeURIComponent(x.company.id)}` }, x.company.name)),
      h('td', rname(x.company.region_code)),
      h('td', x.link_id ? linkName(links.get(x.link_id)) || x.link_id : ''),
      h('td.num', x.amount_wan ? wanCell(x.amount_wan) : '—'),
      h('td', `${t('evidence.' + x.evidence)} · ${pct(x.confidence, 0)}`),
      h('td', `${x.since || '…'} – ${x.until || '…'} ${x.current ? '' : '(' + t('company.ended') + ')'}`)))));
}
