// 登录: log in with a session cookie; the CSRF token is kept for writes.
import { t } from '../i18n.js';
import { session, login } from '../api.js';
import { h, clear, errorBox } from '../util.js';

export async function loginPage(main) {
  const user = h('input', { name: 'user', autocomplete: 'username', required: true, 'data-testid': 'login-user' });
  const pass = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true, 'data-testid': 'login-password' });
  const msg = h('div');
  const me = session.me;
  const form = h('form.card.login-card', { 'data-testid': 'login-form' },
    h('div.login-logo', { 'aria-hidden': 'true', lang: 'zh-CN' }, '链'), h('h1', t('login.title')), h('div.muted', t('app.title')),
    me ? h('div.muted.small', me.via === 'anonymous' ? t('login.anon') : t('login.as', { u: me.user, r: t('role.' + me.role) })) : null,
    h('label.field', h('span', t('login.user')), user), h('label.field', h('span', t('login.password')), pass),
    h('button.btn.wide', { type: 'submit', 'data-testid': 'login-submit' }, t('login.submit')), msg);
  form.onsubmit = async (e) => {
    e.preventDefault(); clear(msg);
    try {
      await login(user.value.trim(), pass.value);
      location.hash = '#/map';
    } catch (err) { msg.appendChild(errorBox(err)); }
  };
  main.appendChild(h('div.login-wrap', form));
  user.focus();
}
