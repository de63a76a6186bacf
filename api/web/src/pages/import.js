// 导入: upload xlsx/csv, dry run first, show the report, then import for real (editors only).
import { t } from '../i18n.js';
import { api, canEdit } from '../api.js';
import { h, clear, loading, errorBox, toast, put } from '../util.js';
import { invalidate } from '../data.js';

const TABLES = ['regions', 'region_groups', 'clusters', 'chains', 'links', 'feeds', 'companies', 'company_links', 'leaders', 'supplies', 'projects', 'project_events'];

export async function importPage(main) {
  main.appendChild(h('div.toolbar', h('h1', t('import.title'))));
  if (!canEdit()) {
    main.appendChild(h('div.card.state', { 'data-testid': 'import-forbidden' }, t('import.editorsOnly'), ' ', h('a', { href: '#/login' }, t('nav.login'))));
    return;
  }
  const file = h('input', { type: 'file', accept: '.xlsx,.csv,.zip', 'data-testid': 'import-file' });
  const table = h('select', { 'data-testid': 'import-table' }, h('option', { value: '' }, '—'), TABLES.map((x) => h('option', { value: x }, x)));
  const checkBtn = h('button.btn', { 'data-testid': 'import-check' }, t('import.check'));
  const report = h('div.import-report', { 'data-testid': 'import-report' });
  put(main, h('div.card', h('p.muted', t('import.hint')),
    h('div.import-form', h('label.field', h('span', t('import.file')), file), h('label.field', h('span', t('import.table')), table), checkBtn)), report);

  const send = async (dry) => {
    const f = file.files[0];
    if (!f) return;
    const form = new FormData();
    form.append('file', f, f.name);
    clear(report).appendChild(loading());
    try {
      const r = await api.upload('/api/v1/imports', form, { dry_run: dry ? 'true' : undefined, table: table.value || undefined });
      put(clear(report), h('div.card', h('div.state.ok', dry ? t('import.ok') : t('import.done')), changes(r),
        dry ? h('button.btn', { 'data-testid': 'import-confirm', onclick: () => send(false) }, t('import.confirm')) : null));
      if (!dry) { invalidate(); toast(t('import.done')); }
    } catch (e) {
      const n = (e.problem.errors || []).length;
      put(clear(report), h('div.card', n ? h('h3', t('import.problems', { n })) : null, errorBox(e)));
    }
  };
  checkBtn.onclick = () => send(true);
}

function changes(r) {
  const rows = Object.entries(r.changes || {});
  return h('div',
    h('table.tbl.compact', { 'data-testid': 'import-changes' },
      h('thead', h('tr', ['import.table.col', 'import.received', 'import.inserted', 'import.updated', 'import.unchanged'].map((k) => h('th', t(k))))),
      h('tbody', rows.map(([tb, c]) => h('tr', h('td', tb), h('td.num', c.received), h('td.num', c.inserted), h('td.num', c.updated), h('td.num', c.received - c.inserted - c.updated))))),
    (r.projects || []).length ? [h('h3', t('import.projectChanges')), h('ul.firms', r.projects.map((p) => h('li', `${p.project_id} ${p.name}: ${p.kind} ${p.from ? t('stage.' + p.from) + ' → ' : ''}${t('stage.' + p.to)}`)))] : null);
}
