// Entry point: top bar, hash router, language toggle, session.
import './app.css';
import { t, getLang, setLang } from './i18n.js';
import { api, session, loadMe, logout, canEdit } from './api.js';
import { h, clear, disposeCharts, debounce, errorBox, loading } from './util.js';
import { mapPage } from './pages/map.js';
import { targetsPage } from './pages/targets.js';
import { companyPage } from './pages/company.js';
import { projectsPage } from './pages/projects.js';
import { dashboardPage } from './pages/dashboard.js';
import { importPage } from './pages/import.js';
import { loginPage } from './pages/login.js';

const routes = {
  map: mapPage, targets: targetsPage, company: companyPage, projects: projectsPage,
  dashboard: dashboardPage, import: importPage, login: loginPage,
};
const NAV = [['map', 'nav.map'], ['targets', 'nav.targets'], ['projects', 'nav.projects'], ['dashboard', 'nav.dashboard'], ['import', 'nav.import']];

// parseHash: "#/targets?link=EV_M3" → {page:'targets', arg:'', params}
export function parseHash() {
  const raw = location.hash.replace(/^#\/?/, '');
  const [p, qs] = raw.split('?');
  const [page, ...rest] = (p || 'map').split('/');
  return { page: routes[page] ? page : 'map', arg: decodeURIComponent(rest.join('/')), params: new URLSearchParams(qs || '') };
}
export function go(hash) { if (location.hash === hash) render(); else location.hash = hash; }

function topBar(current) {
  const me = session.me;
  const results = h('div.search-results', { 'data-testid': 'search-results' });
  const input = h('input.search', { type: 'search', placeholder: t('search.placeholder'), 'data-testid': 'search', 'aria-label': t('search.placeholder') });
  const runSearch = debounce(async () => {
    const q = input.value.trim();
    clear(results);
    if (!q) { results.style.display = 'none'; return; }
    try {
      const r = await api.get('/api/v1/companies', { q, page_size: 12 });
      results.style.display = 'block';
      if (!r.items.length) results.appendChild(h('div.sr-empty', t('search.none')));
      for (const c of r.items) {
        results.appendChild(h('a.sr-item', { href: `#/company/${encodeURIComponent(c.id)}`, onclick: () => { results.style.display = 'none'; input.value = ''; } },
          h('span.sr-name', c.name), h('span.sr-meta', `${c.region_name || ''} · ${c.id}`)));
      }
    } catch (e) { results.style.display = 'block'; results.appendChild(h('div.sr-empty', e.message)); }
  }, 200);
  input.addEventListener('input', runSearch);
  input.addEventListener('keydown', (e) => { if (e.key === 'Enter') { const a = results.querySelector('a'); if (a) a.click(); } if (e.key === 'Escape') results.style.display = 'none'; });
  document.addEventListener('click', (e) => { if (!results.contains(e.target) && e.target !== input) results.style.display = 'none'; });

  const roleText = me ? (me.via === 'anonymous' ? t('role.anonymous') : t('role.' + me.role)) : '';
  return h('header.topbar',
    h('div.brand', h('span.logo', { 'aria-hidden': 'true', lang: 'zh-CN' }, '链'), h('div', h('div.brand-title', t('app.title')), h('div.brand-sub', t('app.subtitle')))),
    h('nav.nav', NAV.filter(([k]) => k !== 'import' || canEdit()).map(([k, label]) =>
      h('a' + (k === current ? '.active' : ''), { href: '#/' + k, 'data-testid': 'nav-' + k }, t(label)))),
    h('div.searchbox', input, results),
    h('div.userbox',
      h('button.lang', { 'data-testid': 'lang-toggle', lang: getLang() === 'en' ? 'zh-CN' : 'en', onclick: () => { setLang(getLang() === 'en' ? 'zh-CN' : 'en'); render(); } }, t('lang.toggle')),
      me && me.via !== 'anonymous'
        ? [h('span.user', { 'data-testid': 'current-user', 'data-role': me.role }, `${me.user} · ${roleText}`),
          h('button.link-btn', { 'data-testid': 'logout', onclick: async () => { await logout(); go('#/map'); } }, t('nav.logout'))]
        : [me ? h('span.user.anon', { 'data-testid': 'current-user', 'data-role': 'anonymous' }, roleText) : null,
          h('a.link-btn', { href: '#/login', 'data-testid': 'nav-login' }, t('nav.login'))]));
}

let seq = 0;
export async function render() {
  const my = ++seq;
  disposeCharts();
  for (const o of document.querySelectorAll('.overlay')) o.remove(); // a dialog belongs to the page it was opened on
  const { page, arg, params } = parseHash();
  document.documentElement.lang = getLang();
  document.title = t('app.title');
  const root = document.getElementById('app');
  clear(root);
  root.appendChild(topBar(page));
  const main = h('main.page', { 'data-page': page });
  root.appendChild(main);
  if (!session.me && page !== 'login') {
    main.appendChild(h('div.state', h('p', t('common.unauthorized')), h('a.btn', { href: '#/login' }, t('nav.login'))));
    return;
  }
  try {
    await routes[page](main, { arg, params, isCurrent: () => my === seq });
  } catch (e) {
    if (my === seq) { clear(main); main.appendChild(errorBox(e, render)); }
    console.error(e);
  }
}

async function start() {
  setLang(getLang());
  const root = document.getElementById('app');
  root.appendChild(loading());
  await loadMe();
  window.addEventListener('hashchange', render);
  render();
}
start();
