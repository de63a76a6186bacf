// 项目: a board by stage, lagging projects highlighted, details with history,
// and (for editors only) add / advance / drop.
import { t, pick, isZh } from '../i18n.js';
import { api, canEdit } from '../api.js';
import { h, clear, loading, errorBox, fmtNum, fmtYi, STAGES, today, toast, put, zhText } from '../util.js';
import { cityRegions, chains, regions, linkIndex, linkName, chainName, invalidate, dataAsOf, laggingIndex } from '../data.js';

const PER_COLUMN = 30;
const st = { district: '', chain: '', q: '', laggingOnly: false, openDropped: false, shown: {} };

async function allProjects() {
  const out = [];
  for (let page = 1; page < 50; page++) {
    const r = await api.get('/api/v1/projects', { page, page_size: 500 });
    out.push(...r.items);
    if (out.length >= r.total || !r.items.length) break;
  }
  return out;
}

// lagText is a lagging project's reasons, one per missed date, in the KPI report's words.
function lagText(entries) { return entries.map((l) => pick(l.reason.zh, l.reason.en)).join(t('common.semi')); }

export async function projectsPage(main, ctx) {
  const [regs, chs, links, allRegs] = await Promise.all([cityRegions(), chains(), linkIndex(), regions()]);
  if (ctx.params.has('lagging')) st.laggingOnly = ctx.params.get('lagging') === '1';
  const rname = (code) => (allRegs.regions.find((r) => r.code === code) || {}).name || code || '';
  const districtSel = h('select', { 'data-testid': 'projects-district' }, h('option', { value: '' }, t('common.all')),
    regs.slice(1).map((r) => h('option', { value: r.code, selected: r.code === st.district }, r.name)));
  const chainSel = h('select', { 'data-testid': 'projects-chain' }, h('option', { value: '' }, t('common.all')),
    chs.map((c) => h('option', { value: c.id, selected: c.id === st.chain }, chainName(c))));
  const q = h('input', { type: 'search', placeholder: t('projects.filter'), value: st.q, 'data-testid': 'projects-filter' });
  const laggingOnly = h('input', { type: 'checkbox', checked: st.laggingOnly, 'data-testid': 'projects-lagging-only' });
  const board = h('div.board-wrap', loading());
  const summary = h('span.muted', { 'data-testid': 'projects-summary' });
  const editor = canEdit();
  put(main, h('div.toolbar', h('h1', t('projects.title')), h('label', t('projects.district'), districtSel), h('label', t('common.chain'), chainSel), q,
    h('label', laggingOnly, t('projects.laggingOnly')), summary,
    editor ? h('button.btn', { 'data-testid': 'add-project', onclick: () => addForm() }, '+ ' + t('projects.add')) : null), board);

  let projects = [];
  let lagIdx = { asOf: '', byProject: new Map() };
  const lagOf = (p) => (p.stage === 'dropped' ? null : lagIdx.byProject.get(p.id) || null);
  const load = async () => {
    clear(board).appendChild(loading());
    try {
      [projects, lagIdx] = await Promise.all([allProjects(), dataAsOf().then(laggingIndex)]);
    } catch (e) { clear(board).appendChild(errorBox(e, load)); return; }
    if (ctx.isCurrent()) drawBoard();
  };
  districtSel.onchange = () => { st.district = districtSel.value; drawBoard(); };
  chainSel.onchange = () => { st.chain = chainSel.value; drawBoard(); };
  q.oninput = () => { st.q = q.value.trim().toLowerCase(); drawBoard(); };
  laggingOnly.onchange = () => { st.laggingOnly = laggingOnly.checked; drawBoard(); };

  function visible() {
    return projects.filter((p) => (!st.district || p.region_code === st.district)
      && (!st.chain || (links.get(p.link_id) || { chain: {} }).chain.id === st.chain)
      && (!st.q || p.name.toLowerCase().includes(st.q) || p.id.toLowerCase().includes(st.q))
      && (!st.laggingOnly || lagOf(p)));
  }

  function drawBoard() {
    const vis = visible();
    const lagging = vis.filter(lagOf);
    const big = lagging.filter((p) => p.investment_wan >= 10000).length;
    put(clear(summary), t('projects.count', { n: vis.length, amt: fmtYi(vis.reduce((a, p) => a + p.investment_wan, 0) / 10000) }), ' · ',
      h('b.lag-count', { 'data-testid': 'projects-lagging', 'data-n': lagging.length, 'data-big': big }, t('projects.laggingN', { n: lagging.length })),
      ' ', t('projects.laggingBig', { n: big }), ' · ', t('projects.judgedAsOf', { d: lagIdx.asOf }));
    const cols = STAGES.map((s) => {
      const items = vis.filter((p) => p.stage === s).sort((a, b) => (!!lagOf(b) - !!lagOf(a)) || (b.signed_on || '').localeCompare(a.signed_on || '') || b.id.localeCompare(a.id));
      const collapsed = s === 'dropped' && !st.openDropped;
      const limit = st.shown[s] || PER_COLUMN;
      const head = h('div.col-head', h('span.stage-dot.' + s), h('b', t('stage.' + s)), h('span.muted', t('projects.count', { n: items.length, amt: fmtYi(items.reduce((a, p) => a + p.investment_wan, 0) / 10000) })));
      if (collapsed) {
        const open = () => { st.openDropped = true; drawBoard(); };
        return h('div.col.collapsed', { 'data-testid': 'col-' + s, role: 'button', tabindex: '0', 'aria-expanded': 'false', onclick: open,
          onkeydown: (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); open(); } }, title: t('projects.collapsed') }, head, h('div.muted.small', t('projects.collapsed')));
      }
      return h('div.col', { 'data-testid': 'col-' + s, 'data-stage': s }, head,
        h('div.cards', { role: 'region', tabindex: '0', 'aria-label': t('stage.' + s) }, items.slice(0, limit).map((p) => card(p)),
          items.length > limit ? h('button.link-btn', { onclick: () => { st.shown[s] = limit + PER_COLUMN; drawBoard(); } }, t('common.showMore') + t('common.paren', { x: t('common.more', { n: items.length - limit }) })) : null));
    });
    clear(board).appendChild(h('div.board', { 'data-testid': 'board' }, cols));
  }

  function card(p) {
    const lg = lagOf(p);
    const l = links.get(p.link_id);
    // a card is a button: Enter or Space opens it as a click does
    return h('div.pcard' + (lg ? '.lagging' : ''), { 'data-testid': 'project-card', 'data-id': p.id, 'data-stage': p.stage, role: 'button', tabindex: '0',
      onclick: () => details(p), onkeydown: (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); details(p); } } },
      h('div.pc-name', p.name),
      h('div.pc-meta', `${rname(p.region_code)} · ${fmtYi(p.investment_wan / 10000, 2)}`),
      h('div.pc-meta', l ? linkName(l) : t('projects.offChain')),
      lg ? h('div.pc-lag', { 'data-testid': 'project-lag', 'data-missed': lg.map((l) => l.missed).join(' ') }, '⚠ ' + lagText(lg)) : null);
  }

  // modal opens a dialog over the board; Escape, the × and a click beside it close it
  // (and so does leaving the page: the router removes every overlay).
  function modal(title, content, testid) {
    const onKey = (e) => { if (e.key === 'Escape') close(); };
    const close = () => { overlay.remove(); document.removeEventListener('keydown', onKey); };
    const x = h('button.x', { onclick: close, 'aria-label': t('common.close'), title: t('common.close') }, '×');
    const overlay = h('div.overlay', { onclick: (e) => { if (e.target === overlay) close(); } },
      h('div.modal', { 'data-testid': testid, role: 'dialog', 'aria-modal': 'true', 'aria-label': title },
        h('div.modal-head', h('h2', title), x), content));
    document.body.appendChild(overlay);
    document.addEventListener('keydown', onKey);
    x.focus();
    return close;
  }

  async function details(p) {
    const body = h('div.modal-body', loading());
    const close = modal(p.name, body, 'project-details');
    let hist = [];
    try { hist = await api.get(`/api/v1/projects/${encodeURIComponent(p.id)}/history`); } catch (e) { clear(body).appendChild(errorBox(e)); return; }
    const l = links.get(p.link_id);
    const lg = lagOf(p);
    const rank = STAGES.indexOf(p.stage);
    const next = p.stage !== 'dropped' && rank < 4 ? STAGES[rank + 1] : null;
    const msg = h('div');
    const controls = editor ? (() => {
      const on = h('input', { type: 'date', value: today(), max: today(), 'data-testid': 'advance-date' });
      const note = h('input', { type: 'text', placeholder: t('projects.dropNote'), 'data-testid': 'drop-note' });
      const send = async (body, okMsg) => {
        clear(msg);
        try {
          await api.post(`/api/v1/projects/${encodeURIComponent(p.id)}/transitions`, body);
          invalidate(); toast(okMsg); close(); await load();
        } catch (e) { msg.appendChild(errorBox(e)); }
      };
      return h('div.controls', { 'data-testid': 'project-controls' },
        next ? h('div.ctl-row', h('label', t('projects.reachedOn'), on),
          h('button.btn', { 'data-testid': 'advance', onclick: () => send({ to: next, on: on.value }, t('projects.advanced', { s: t('stage.' + next) })) }, t('projects.advanceTo', { s: t('stage.' + next) }))) : null,
        p.stage !== 'dropped' ? h('div.ctl-row', note, h('button.btn.danger', { 'data-testid': 'drop', onclick: () => send({ to: 'dropped', note: note.value.trim(), on: today() }, t('projects.dropped')) }, t('projects.drop'))) : null,
        msg);
    })() : null;
    put(clear(body), 
      h('div.kv-grid',
        kv(t('common.id'), p.id), kv(t('projects.stage'), t('stage.' + p.stage)),
        kv(t('projects.district'), rname(p.region_code)), kv(t('projects.investment'), fmtYi(p.investment_wan / 10000, 2)),
        kv(t('common.link'), l ? `${linkName(l)} · ${chainName(l.chain)}` : t('projects.offChain')),
        kv(t('projects.source'), `${rname(p.source_region_code)}${p.foreign ? ' · ' + t('projects.foreign') : ''}`),
        kv(t('projects.signedOn'), p.signed_on || '—'), kv(t('projects.startedOn'), p.started_on || '—'),
        kv(t('projects.producingOn'), p.producing_on || '—'), kv(t('projects.atCapacityOn'), p.at_capacity_on || '—'),
        kv(t('projects.plannedStart'), p.planned_start_on || '—'), kv(t('projects.plannedProduce'), p.planned_producing_on || '—')),
      lg ? h('div.pc-lag.big', '⚠ ' + lagText(lg) + ' · ' + t('projects.judgedAsOf', { d: lagIdx.asOf })) : null,
      p.company_id ? h('p', h('a', { href: `#/company/${encodeURIComponent(p.company_id)}`, onclick: () => close() }, p.company_id)) : null,
      h('h3', t('projects.history')),
      hist.length ? h('table.tbl.compact', { 'data-testid': 'project-history' },
        h('thead', h('tr', h('th', t('common.date')), h('th', t('projects.stage')), h('th', t('projects.who')), h('th', t('common.note')))),
        h('tbody', hist.map((e) => h('tr', h('td', e.on || e.at.slice(0, 10)), h('td', `${e.from_stage ? t('stage.' + e.from_stage) + ' → ' : ''}${t('stage.' + e.to_stage)}`), h('td', e.who), zhText('td', e.note || ''))))) : h('div.muted', t('projects.noHistory')),
      zhText('div.muted.small', p.provenance || ''),
      controls);
  }

  function addForm() {
    const stamp = new Date().toISOString().replace(/\D/g, '').slice(2, 14);
    const f = {
      id: h('input', { value: `P-UI-${stamp}`, required: true, 'data-testid': 'new-id' }),
      name: h('input', { required: true, 'data-testid': 'new-name' }),
      link: h('select', { 'data-testid': 'new-link' }, h('option', { value: '' }, t('projects.offChain')), chs.map((c) => h('optgroup', { label: chainName(c) }, c.links.map((l) => h('option', { value: l.id }, linkName(l)))))),
      district: h('select', { 'data-testid': 'new-district' }, regs.slice(1).map((r) => h('option', { value: r.code }, r.name))),
      inv: h('input', { type: 'number', min: 0, step: 0.01, value: '1', 'data-testid': 'new-investment' }),
      source: h('select', { 'data-testid': 'new-source' }, h('option', { value: '' }, '—'), allRegs.regions.filter((r) => r.kind === 'external').map((r) => h('option', { value: r.code }, r.name))),
      foreign: h('input', { type: 'checkbox', 'data-testid': 'new-foreign' }),
      stage: h('select', { 'data-testid': 'new-stage' }, ['negotiating', 'signed'].map((s) => h('option', { value: s, selected: s === 'signed' }, t('stage.' + s)))),
      signed: h('input', { type: 'date', value: today(), 'data-testid': 'new-signed' }),
      pStart: h('input', { type: 'date' }), pProd: h('input', { type: 'date' }),
    };
    const msg = h('div');
    const form = h('form.form-grid', { 'data-testid': 'add-project-form' },
      field(t('projects.newId'), f.id), field(t('projects.newName'), f.name), field(t('common.link'), f.link), field(t('projects.district'), f.district),
      field(t('projects.investmentInput'), f.inv), field(t('projects.source'), f.source), field(t('projects.foreign'), f.foreign),
      field(t('projects.initialStage'), f.stage), field(t('projects.signedOn'), f.signed), field(t('projects.plannedStart'), f.pStart), field(t('projects.plannedProduce'), f.pProd),
      h('div.form-actions', h('button.btn', { type: 'submit', 'data-testid': 'new-submit' }, t('common.save'))), msg);
    const close = modal(t('projects.add'), form, 'add-project-modal');
    form.onsubmit = async (e) => {
      e.preventDefault(); clear(msg);
      const body = { id: f.id.value.trim(), name: f.name.value.trim(), link_id: f.link.value || undefined, region_code: f.district.value,
        investment_wan: Math.round(Number(f.inv.value || 0) * (isZh() ? 10000 : 100)), // 亿元, or CNY m in English foreign: f.foreign.checked, source_region_code: f.source.value || undefined,
        stage: f.stage.value, signed_on: f.stage.value === 'signed' ? f.signed.value : undefined,
        planned_start_on: f.pStart.value || undefined, planned_producing_on: f.pProd.value || undefined };
      try {
        const p = await api.post('/api/v1/projects', body);
        invalidate(); toast(t('projects.created', { id: p.id })); close();
        st.q = p.id.toLowerCase(); q.value = p.id; await load();
      } catch (err) { msg.appendChild(errorBox(err)); }
    };
  }
  await load();
}
function kv(k, v) { return h('div.kv', h('span.k', k), h('span.v', v)); }
function field(label, input) { return h('label.field', h('span', label), input); }
