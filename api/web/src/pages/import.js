// 导入: upload xlsx/csv, dry run first, show the report, then import for real (editors only).
import { t } from '../i18n.js';
import { api, canEdit } from '../api.js';
import { h, clear, loading, errorBox, toast, put } from '../util.js';
import { invalidate } from '../data.js';

// The tables, named as the export names its files (companies.csv …) and docs/format.md
// names them (graph.Tables).
export const TABLES = ['regions', 'region_groups', 'clusters', 'chains', 'links', 'link_feeds', 'companies', 'company_links', 'leaders', 'supplies', 'projects', 'project_history'];

// tableOfFile is the table a csv file's name says ("companies.csv", "companies (1).csv",
// "Link-Feeds.CSV" → link_feeds), or '' when the name names none.
export function tableOfFile(name) {
  const m = String(name || '').match(/^(.*?)(?:\s*\(\d+\))?\.csv$/i);
  if (!m) return '';
  const base = m[1].trim().toLowerCase().replace(/[\s-]+/g, '_');
  return TABLES.includes(base) ? base : '';
}

export async function importPage(main) {
  main.appendChild(h('div.toolbar', h('h1', t('import.title'))));
  if (!canEdit()) {
    main.appendChild(h('div.card.state', { 'data-testid': 'import-forbidden' }, t('import.editorsOnly'), ' ', h('a', { href: '#/login' }, t('nav.login'))));
    return;
  }
  const file = h('input', { type: 'file', accept: '.xlsx,.csv,.zip', 'data-testid': 'import-file' });
  const table = h('select', { 'data-testid': 'import-table' }, h('option', { value: '' }, t('import.tableNone')), TABLES.map((x) => h('option', { value: x }, x)));
  const tableNote = h('span.muted.small', { 'data-testid': 'import-table-note', 'aria-live': 'polite' });
  const checkBtn = h('button.btn', { 'data-testid': 'import-check' }, t('import.check'));
  const report = h('div.import-report', { 'data-testid': 'import-report' });
  put(main, h('div.card', h('p.muted', t('import.hint')),
    h('div.import-form', h('label.field', h('span', t('import.file')), file), h('label.field', h('span', t('import.table')), table), checkBtn), tableNote), report);

  // Each file starts afresh: the table is the one its name says (a csv), or none —
  // never the choice made for the file before.
  file.onchange = () => {
    const f = file.files[0];
    const csv = f && /\.csv$/i.test(f.name);
    table.value = csv ? tableOfFile(f.name) : '';
    table.disabled = !csv;
    tableNote.textContent = !csv ? '' : table.value ? t('import.tableFromName', { t: table.value }) : t('import.tableChoose');
    clear(report);
  };

  const send = async (dry) => {
    const f = file.files[0];
    if (!f) return;
    if (/\.csv$/i.test(f.name) && !table.value) {
      put(clear(report), h('div.state.error', { role: 'alert', 'data-testid': 'import-need-table' }, t('import.tableChoose')));
      return;
    }
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
      h('thead', h('tr', ['import.table.col', 'import.received', 'import.inserted', 'import.updated', 'import.unchanged'].map((k, i) => h(i ? 'th.num' : 'th', t(k))))),
      h('tbody', rows.map(([tb, c]) => h('tr', { 'data-table': tb }, h('td', tb), h('td.num', c.received), h('td.num', c.inserted), h('td.num', c.updated), h('td.num', c.received - c.inserted - c.updated))))),
    (r.projects || []).length ? [h('h3', t('import.projectChanges')), h('ul.firms', r.projects.map((p) => h('li', `${p.project_id} ${p.name}: ${t('import.kind.' + p.kind)} ${p.from ? t('stage.' + p.from) + ' → ' : ''}${t('stage.' + p.to)}`)))] : null);
}
