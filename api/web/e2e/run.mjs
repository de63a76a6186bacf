// End-to-end checks of the chainmap UI with playwright-core and the system Chromium.
//   node e2e/run.mjs --base http://127.0.0.1:18090 --editor editor1:PASS --viewer viewer1:PASS --shots ../../docs/screenshots
// Every step asserts; the first failure exits non-zero with a message.
import { chromium } from 'playwright-core';
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import zlib from 'node:zlib';

const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => {
  if (a.startsWith('--')) acc.push([a.slice(2), all[i + 1] && !all[i + 1].startsWith('--') ? all[i + 1] : 'true']);
  return acc;
}, []));
const base = (args.base || 'http://127.0.0.1:18090').replace(/\/$/, '');
const [editorUser, editorPass] = (args.editor || 'editor1:editor-pass-123').split(/:(.*)/s);
const [viewerUser, viewerPass] = (args.viewer || 'viewer1:viewer-pass-123').split(/:(.*)/s);
const shots = path.resolve(args.shots || 'e2e-shots');
fs.mkdirSync(shots, { recursive: true });
const STEP_TIMEOUT = 60_000;

function chromiumPath() {
  if (process.env.CHROMIUM) return process.env.CHROMIUM;
  for (const c of ['chromium', 'chromium-browser', 'google-chrome']) {
    try { return execSync(`command -v ${c}`, { shell: '/bin/bash' }).toString().trim(); } catch { /* next */ }
  }
  throw new Error('no chromium found: set CHROMIUM=/path/to/chromium');
}

// zipTexts returns the text of every entry of a zip file (an xlsx) by name.
function zipTexts(buf) {
  let eocd = buf.length - 22;
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  if (eocd < 0) throw new Error('not a zip file');
  const out = {};
  for (let i = 0, p = buf.readUInt32LE(eocd + 16); i < buf.readUInt16LE(eocd + 10); i++) {
    const method = buf.readUInt16LE(p + 10), size = buf.readUInt32LE(p + 20);
    const n = buf.readUInt16LE(p + 28), m = buf.readUInt16LE(p + 30), k = buf.readUInt16LE(p + 32);
    const name = buf.subarray(p + 46, p + 46 + n).toString();
    const lh = buf.readUInt32LE(p + 42);
    const start = lh + 30 + buf.readUInt16LE(lh + 26) + buf.readUInt16LE(lh + 28);
    const data = buf.subarray(start, start + size);
    out[name] = (method === 8 ? zlib.inflateRawSync(data) : data).toString();
    p += 46 + n + m + k;
  }
  return out;
}

// sheetRows reads the first sheet of an xlsx as rows of cell texts (shared or inline
// strings, numbers as written), enough to compare an export with the screen.
function sheetRows(buf) {
  const files = zipTexts(buf);
  const unxml = (x) => x.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
  const shared = [...(files['xl/sharedStrings.xml'] || '').matchAll(/<si>([\s\S]*?)<\/si>/g)].map((m) => unxml([...m[1].matchAll(/<t[^>]*>([\s\S]*?)<\/t>/g)].map((t) => t[1]).join('')));
  const sheet = files[Object.keys(files).find((n) => /^xl\/worksheets\/sheet1\.xml$/.test(n))];
  const col = (ref) => [...ref.replace(/\d+/, '')].reduce((a, ch) => a * 26 + ch.charCodeAt(0) - 64, 0) - 1;
  return [...sheet.matchAll(/<row[^>]*>([\s\S]*?)<\/row>/g)].map((r) => {
    const out = [];
    for (const c of r[1].matchAll(/<c r="([A-Z]+\d+)"([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
      const body = c[3] || '';
      const v = (body.match(/<v>([\s\S]*?)<\/v>/) || [])[1];
      const inline = (body.match(/<t[^>]*>([\s\S]*?)<\/t>/) || [])[1];
      out[col(c[1])] = / t="s"/.test(c[2]) ? shared[Number(v)] : inline !== undefined ? unxml(inline) : v !== undefined ? unxml(v) : '';
    }
    return Array.from(out, (x) => x ?? '');
  });
}
async function download(page, selector) {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  const file = path.join(os.tmpdir(), `chainmap-e2e-${process.pid}-${dl.suggestedFilename()}`);
  await dl.saveAs(file);
  const buf = fs.readFileSync(file);
  fs.rmSync(file);
  return { name: dl.suggestedFilename(), buf };
}

// axe-core 4 from npm, run in the page (through the DevTools protocol, which the
// page's Content-Security-Policy does not govern) for WCAG 2.0/2.1 A and AA.
const axeSource = fs.readFileSync(new URL('../node_modules/axe-core/axe.min.js', import.meta.url), 'utf8');
async function axeCheck(page, where) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(axeSource);
  const r = await page.evaluate(() => window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }));
  const bad = r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const other = r.violations.filter((v) => !bad.includes(v));
  if (other.length) console.log(`  axe ${where}: ${other.map((v) => `${v.id} (${v.impact}, ${v.nodes.length})`).join(', ')}`);
  assert(!bad.length, `axe ${where}: ` + bad.map((v) => `${v.id} (${v.impact}, ${v.nodes.length}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('; ')}`).join(' | '));
  return r.passes.length;
}

class StepError extends Error {}
function assert(cond, msg) { if (!cond) throw new StepError(msg); }

const results = [];
async function step(name, fn, timeout = STEP_TIMEOUT) {
  const t0 = Date.now();
  let timer;
  try {
    await Promise.race([fn(), new Promise((_, rej) => { timer = setTimeout(() => rej(new StepError(`timed out after ${timeout / 1000}s`)), timeout); })]);
    const line = `PASS ${name} (${Date.now() - t0} ms)`;
    results.push(line); console.log(line);
  } catch (e) {
    console.log(`FAIL ${name}: ${e.message}`);
    throw e;
  } finally { clearTimeout(timer); }
}

// Chromium occasionally crashes while starting on a loaded machine (SIGSEGV before the
// first page): that is not the UI's fault, so starting is retried; the tests are not.
async function launch() {
  for (let attempt = 1; ; attempt++) {
    try {
      return await chromium.launch({
        executablePath: chromiumPath(),
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
      });
    } catch (e) {
      if (attempt >= 3) throw e;
      console.log(`chromium did not start (attempt ${attempt}): ${String(e.message).split('\n')[0]}; retrying`);
    }
  }
}
const browser = await launch();
let exitCode = 0;
try {
  const newContext = () => browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', acceptDownloads: true });
  let ctx = await newContext();
  let page = await ctx.newPage();
  page.setDefaultTimeout(30_000);
  const errors = [];
  // Every page is watched: script errors, and anything the Content-Security-Policy
  // blocked (the browser reports those on the console), fail the run.
  const watch = (p) => {
    p.on('pageerror', (e) => errors.push(e.message));
    p.on('console', (m) => { if (/Content Security Policy|Refused to (execute|load|apply)/i.test(m.text())) errors.push('CSP: ' + m.text()); });
  };
  watch(page);
  const shot = async (name) => { await page.screenshot({ path: path.join(shots, name + '.png') }); };

  async function login(user, pass) {
    await page.goto(base + '/#/login');
    await page.waitForSelector('[data-testid=login-form]');
    await page.fill('[data-testid=login-user]', user);
    await page.fill('[data-testid=login-password]', pass);
    await page.click('[data-testid=login-submit]');
    await page.waitForSelector(`[data-testid=current-user][data-role]:not([data-role=anonymous])`);
    const role = await page.getAttribute('[data-testid=current-user]', 'data-role');
    return role;
  }
  async function openChain(chain) {
    // A hash change alone would keep the document (and performance.now()'s origin) of
    // the page before: leave it first so the time counts from this navigation.
    await page.goto('about:blank');
    await page.goto(`${base}/#/map?region=321100&chain=${chain}`);
    await page.waitForFunction(() => typeof window.__chainmapRendered === 'number', null, { timeout: 30_000 });
    return page.evaluate(() => Math.round(window.__chainmapRendered));
  }

  await step('(a) chain map renders for 镇江 CH_EV; render time of the largest chain', async () => {
    await page.goto(base + '/#/login'); // the login page in its fresh, anonymous state
    await page.waitForSelector('[data-testid=login-form]');
    await shot('login');
    const ms = await openChain('CH_EV');
    const head = await page.textContent('[data-testid=chain-head]');
    assert(head.includes('汽车'), 'chain header does not name the 汽车 chain: ' + head);
    assert(/\d+%/.test(await page.textContent('[data-testid=completeness]')), 'completeness percentage missing');
    assert(await page.locator('[data-testid=legend]').isVisible(), 'legend missing');
    // the largest demo chain: the one with most links, from the API
    const chains = await (await page.request.get(base + '/api/v1/chains')).json();
    const maxLinks = Math.max(...chains.map((c) => c.links.length));
    const largest = chains.filter((c) => c.links.length === maxLinks).map((c) => c.id);
    console.log(`  largest chains (${maxLinks} links): ${largest.join(', ')}`);
    for (const id of largest) {
      const t = id === 'CH_EV' ? ms : await openChain(id); // fresh navigation each time
      console.log(`chain map render ms: ${t} (${id}, ${maxLinks} links, from navigation start to ECharts 'finished')`);
    }
    await openChain('CH_EV');
    await shot('map');
  });

  // the API's view of CH_EV in the city, which the panel must reflect
  const diagEV = async () => (await (await page.request.get(base + '/api/v1/analysis/diagnosis?region=321100&chain=CH_EV')).json()).chains[0];
  const targetsOf = async (region, link, more = '') => (await page.request.get(`${base}/api/v1/analysis/targets?region=${region}&link=${link}${more}`)).json();

  await step('(b) click the gap EV_M3 on the chart; its targets and the firms already in the pipeline in the panel', async () => {
    const cr = await diagEV();
    const want = cr.links.find((l) => l.link_id === 'EV_M3').status;
    const status = await page.getAttribute('[data-testid=node-EV_M3]', 'data-status');
    assert(status === want && (status === 'missing' || status === 'broken'), `EV_M3 shown as ${status}, the diagnosis says ${want} (a gap)`);
    const xy = await page.evaluate(() => window.__chainmapNodes && window.__chainmapNodes.EV_M3);
    assert(xy, 'node EV_M3 has no position on the chart');
    const box = await page.locator('[data-testid=chain-chart]').boundingBox();
    await page.mouse.click(box.x + xy[0], box.y + xy[1]); // a real click on the canvas node
    await page.waitForSelector('[data-testid=link-panel][data-link=EV_M3]');
    const role = await page.getAttribute('[data-testid=panel-role]', 'data-role');
    const roleText = await page.textContent('[data-testid=panel-role]');
    assert(role === 'production' && roleText === '生产制造', `EV_M3 role shown as ${role} "${roleText}", expected production 生产制造`);
    await page.waitForSelector('[data-testid=panel-target]');
    const n = await page.locator('[data-testid=panel-target]').count();
    assert(n > 0, 'no targets in the panel');
    const reasons = await page.textContent('[data-testid=panel-reasons]');
    assert(reasons.includes('本地没有企业'), 'the panel does not give the gap\'s reasons: ' + reasons);
    // firms that already have a project in the city are listed apart, never as targets
    const api = await targetsOf('321100', 'EV_M3', '&limit=10');
    assert(api.in_pipeline.length > 0, 'the demo has no firm in the pipeline for EV_M3');
    await page.waitForSelector('[data-testid=panel-pipeline]');
    const pipe = await page.$$eval('[data-testid=panel-pipeline-firm]', (xs) => xs.map((x) => x.dataset.company));
    assert(pipe.join() === api.in_pipeline.map((x) => x.company_id).join(), `panel pipeline ${pipe} ≠ API ${api.in_pipeline.map((x) => x.company_id)}`);
    const shown = await page.$$eval('[data-testid=panel-target]', (xs) => xs.map((x) => x.dataset.company));
    assert(!pipe.some((id) => shown.includes(id)), 'a firm in the pipeline is listed as a target');
    assert((await page.textContent('[data-testid=panel-pipeline]')).includes('已在本市有项目（不作为新目标）'), 'the pipeline group has no label');
    console.log(`  panel lists ${n} targets and ${pipe.length} firm(s) in the pipeline for EV_M3`);
  });

  await step('(b2) an unknown dependency reads 数据不足, never a percentage; firms present through a project are labelled', async () => {
    // The demo data moves: links are chosen from what the API says now.
    const cr = await diagEV();
    const unknown = cr.links.filter((l) => l.external_dependency === null);
    assert(unknown.length > 0, 'no link of CH_EV has an unknown dependency in the demo: nothing to check');
    for (const { link_id: id } of unknown) {
      await page.click(`[data-testid=node-${id}]`);
      await page.waitForSelector(`[data-testid=link-panel][data-link=${id}]`);
      const dep = (await page.textContent('[data-testid=panel-dependency]')).trim();
      assert(dep === '数据不足' && !/\d/.test(dep), `${id}: an unknown dependency shown as "${dep}"`);
    }
    const known = cr.links.find((l) => typeof l.external_dependency === 'number');
    await page.click(`[data-testid=node-${known.link_id}]`);
    await page.waitForSelector(`[data-testid=link-panel][data-link=${known.link_id}]`);
    const kd = (await page.textContent('[data-testid=panel-dependency]')).trim();
    assert(kd === `${Math.round(known.external_dependency * 100)}%`, `${known.link_id}: dependency ${known.external_dependency} shown as "${kd}"`);
    console.log(`  unknown dependency shown as 数据不足 for ${unknown.map((l) => l.link_id).join(', ')}; ${known.link_id} ${kd}`);

    // firms present through started/producing projects carry the project; the
    // screenshot shows a link with such firms, an unknown dependency if one has both
    const viaProject = (l) => (l.firms || []).filter((f) => f.project_id);
    const show = unknown.find((l) => viaProject(l).length) || cr.links.find((l) => viaProject(l).length);
    assert(show, 'no link of CH_EV has a firm present through a project in the demo');
    await page.click(`[data-testid=node-${show.link_id}]`);
    await page.waitForSelector(`[data-testid=link-panel][data-link=${show.link_id}] [data-testid=panel-firm-project]`);
    for (const f of viaProject(show)) {
      const label = await page.textContent(`[data-testid=panel-firm-project][data-project="${f.project_id}"] .tag`);
      const stage = { started: '开工', producing: '投产', at_capacity: '达效' }[f.stage];
      assert(label === `项目 ${f.project_id} · ${stage}`, `firm via ${f.project_id} labelled "${label}"`);
    }
    await page.waitForSelector('[data-testid=panel-target], [data-testid=panel-targets] .muted');
    await page.evaluate(() => window.scrollTo(0, 0)); // clicking the chips scrolled the page
    // the chart's tooltip too: hover a node whose dependency is unknown
    const tipLink = show.external_dependency === null ? show : unknown[0];
    const xy = await page.evaluate((id) => window.__chainmapNodes[id], tipLink.link_id);
    const box = await page.locator('[data-testid=chain-chart]').boundingBox();
    await page.mouse.move(box.x + xy[0], box.y + xy[1]);
    // the tooltip's dependency line: the text between its label and the next one
    const tip = await page.waitForFunction((name) => {
      const d = [...document.querySelectorAll('div')].find((x) => x.style.position === 'absolute' && x.offsetParent !== null &&
        x.textContent.includes(name) && x.textContent.includes('外部依赖度'));
      const m = d && d.textContent.match(/外部依赖度：(.*?)重要度/);
      return m && m[1];
    }, tipLink.link_name, { timeout: 10_000 });
    const line = await tip.jsonValue();
    assert(line.trim() === '数据不足' && !line.includes('%'), `tooltip of ${tipLink.link_id} shows the unknown dependency as: ${line}`);
    console.log(`  ${show.link_id}: ${viaProject(show).length} firms labelled with their project; ${tipLink.link_id} tooltip "${line}"`);
    await page.waitForTimeout(200);
    await shot('map-panel');
    // a link with a role other than the default: dealers and 4S shops are trade
    await page.click('[data-testid=node-EV_D1]');
    await page.waitForSelector('[data-testid=link-panel][data-link=EV_D1]');
    const d1 = await page.getAttribute('[data-testid=panel-role]', 'data-role');
    const d1Text = await page.textContent('[data-testid=panel-role]');
    assert(d1 === 'trade' && d1Text === '贸易流通', `EV_D1 role shown as ${d1} "${d1Text}", expected trade 贸易流通`);
  });

  await step('(k) chain map: no label clipped, cut or overlapping (1280 and 1920 wide, zh and en); the tooltip goes on a click; the PNG stands alone', async () => {
    const chains = await (await page.request.get(base + '/api/v1/chains')).json();
    // the text boxes ECharts drew, measured against the canvas and each other
    const labelProblems = () => page.$eval('[data-testid=chain-chart]', (el) => {
      const c = el.__chart, W = c.getWidth(), H = c.getHeight();
      const boxes = c.getZr().storage.getDisplayList(true).filter((e) => e.type === 'tspan').map((e) => {
        const r = e.getBoundingRect().clone(); const m = e.getComputedTransform(); if (m) r.applyTransform(m);
        return { text: e.style.text, x: r.x, y: r.y, w: r.width, h: r.height };
      });
      const out = [];
      for (const b of boxes) {
        if (b.x < 0 || b.y < 0 || b.x + b.w > W + 0.5 || b.y + b.h > H + 0.5) out.push(`"${b.text}" clipped (${Math.round(b.x)},${Math.round(b.y)} ${Math.round(b.w)}×${Math.round(b.h)} in ${W}×${H})`);
        if (b.text.includes('…')) out.push(`"${b.text}" cut`);
      }
      for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i], b = boxes[j];
        if (a.x < b.x + b.w - 1 && b.x < a.x + a.w - 1 && a.y < b.y + b.h - 1 && b.y < a.y + a.h - 1) out.push(`"${a.text}" overlaps "${b.text}"`);
      }
      return { out, n: boxes.length };
    });
    let checked = 0;
    for (const lang of ['zh-CN', 'en']) {
      await page.evaluate((l) => localStorage.setItem('chainmap.lang', l), lang);
      for (const width of [1280, 1920]) {
        await page.setViewportSize({ width, height: 900 });
        for (const ch of chains) {
          await openChain(ch.id);
          const { out, n } = await labelProblems();
          assert(n >= ch.links.length * 2, `${ch.id} ${lang} ${width}: ${n} labels for ${ch.links.length} links`);
          assert(!out.length, `${ch.id} ${lang} ${width}px: ${out.slice(0, 4).join('; ')}`);
          checked++;
        }
      }
    }
    await shot('map-en');
    await page.evaluate(() => localStorage.setItem('chainmap.lang', 'zh-CN'));
    await page.setViewportSize({ width: 1440, height: 900 });
    await openChain('CH_EV');
    // hover shows the tooltip; a click opens the panel and hides it
    const tipShown = () => page.evaluate(() => [...document.querySelectorAll('[data-testid=chain-chart] div')].some((d) =>
      d.style.position === 'absolute' && d.textContent.includes('外部依赖度') && getComputedStyle(d).display !== 'none' && getComputedStyle(d).visibility !== 'hidden' && Number(getComputedStyle(d).opacity) > 0));
    const xy = await page.evaluate(() => window.__chainmapNodes.EV_M1);
    const box = await page.locator('[data-testid=chain-chart]').boundingBox();
    await page.mouse.move(box.x + xy[0], box.y + xy[1]);
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=chain-chart] div')].some((d) => d.textContent.includes('外部依赖度')));
    assert(await tipShown(), 'no tooltip on hover');
    await page.mouse.click(box.x + xy[0], box.y + xy[1]);
    await page.waitForSelector('[data-testid=link-panel][data-link=EV_M1]');
    await page.waitForTimeout(300);
    assert(!(await tipShown()), 'the tooltip stays after a click');
    // the exported PNG: title, region, date, tiers, chart and legend
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=export-png]')]);
    const file = path.join(shots, 'map-export.png');
    await dl.saveAs(file);
    const png = fs.readFileSync(file);
    assert(png.subarray(1, 4).toString() === 'PNG', 'the export is not a PNG');
    const [pw, ph] = [png.readUInt32BE(16), png.readUInt32BE(20)];
    const chart = await page.$eval('[data-testid=chain-chart]', (el) => [el.__chart.getWidth(), el.__chart.getHeight()]);
    assert(pw > chart[0] * 2 && ph >= (chart[1] + 100) * 2, `PNG ${pw}×${ph} is no bigger than the chart ${chart}: no room for title and legend`);
    const said = (await page.evaluate(() => window.__chainmapExported)).join('\n');
    const cr = await diagEV();
    for (const want of ['汽车及零部件', '镇江市', cr.as_of || '2025', '上游', '中游', '下游', '强（本地配套充分）', '断链（缺失且切断本地链条）', '节点大小 = 重要度']) {
      assert(said.includes(want), `the PNG does not say "${want}": ${said}`);
    }
    assert(dl.suggestedFilename().includes(cr.as_of || ''), 'PNG file name without the date: ' + dl.suggestedFilename());
    console.log(`  ${checked} chain maps without clipped, cut or overlapping labels; PNG ${pw}×${ph} (${dl.suggestedFilename()})`);
  }, 180_000);

  await step('(c) targets page: moving a weight slider re-ranks', async () => {
    await page.goto(base + '/#/targets?link=EV_M3&region=321100');
    await page.waitForSelector('[data-testid=target-row]');
    // the city: no same-city choice (every firm in the city is local)
    assert(!(await page.locator('[data-testid=include-same-city]').isVisible()), 'the same-city checkbox is shown for the city');
    // firms with a live project in the city: their own group, below, with project, stage, date
    const api = await targetsOf('321100', 'EV_M3', '&limit=50');
    assert(api.in_pipeline.length > 0, 'the demo has no firm in the pipeline for EV_M3');
    await page.waitForSelector('[data-testid=pipeline] [data-testid=pipeline-row]');
    const pipeTitle = await page.textContent('[data-testid=pipeline] h3');
    assert(pipeTitle.includes('已在本市有项目（不作为新目标）'), 'pipeline group label: ' + pipeTitle);
    const STAGE = { negotiating: '在谈', signed: '签约', started: '开工', producing: '投产', at_capacity: '达效' };
    for (const x of api.in_pipeline) {
      assert(await page.locator(`[data-testid=target-row][data-company="${x.company_id}"]`).count() === 0, `${x.company_id} is in the pipeline and listed as a target`);
      const row = page.locator(`[data-testid=pipeline-row][data-company="${x.company_id}"]`);
      assert(await row.count() === 1, `${x.company_id} missing from the pipeline group`);
      for (const pj of x.projects) {
        const text = await row.locator(`[data-testid=pipeline-project][data-project="${pj.id}"]`).textContent();
        assert(text.includes(pj.id) && text.includes(STAGE[pj.stage]) && (!pj.date || text.includes(pj.date)), `project ${pj.id} shown as "${text}"`);
      }
    }
    const below = await page.evaluate(() => document.querySelector('[data-testid=targets-table]').getBoundingClientRect().bottom <= document.querySelector('[data-testid=pipeline]').getBoundingClientRect().top);
    assert(below, 'the pipeline group is not below the targets');
    console.log(`  pipeline group: ${api.in_pipeline.map((x) => `${x.name} ${x.projects.map((p) => p.id + ' ' + p.stage).join(',')}`).join('; ')}`);
    const order = () => page.$$eval('[data-testid=target-row]', (rs) => rs.map((r) => r.dataset.company).join(','));
    const before = await order();
    let changed = null;
    // try the sliders one by one: setting a feature's weight to 0.5 must reorder for at least one
    for (const f of ['revenue', 'strength', 'affinity', 'preferential_attachment', 'ties_to_local', 'past_ties']) {
      const sel = `[data-testid=weight-${f}]`;
      if (!(await page.locator(sel).count())) continue;
      await page.locator(sel).evaluate((el) => { el.value = '0.5'; el.dispatchEvent(new Event('input', { bubbles: true })); });
      await page.waitForTimeout(50);
      if ((await order()) !== before) { changed = f; break; }
      await page.locator(sel).evaluate((el) => { el.value = '0'; el.dispatchEvent(new Event('input', { bubbles: true })); });
      if ((await order()) !== before) { changed = f + '=0'; break; }
    }
    assert(changed, 'no weight slider changed the order of ' + before);
    console.log(`  slider ${changed} changed the order: ${before} → ${await order()}`);
    await page.click('[data-testid=reset-weights]');
    assert((await order()) === before, 'reset weights did not restore the server order');
    // shortlist one company (persisted in localStorage)
    const firstId = before.split(',')[0];
    await page.check(`[data-testid=shortlist-${firstId}]`);
    await page.waitForSelector('[data-testid=export-shortlist]');
    await shot('targets');
  });

  await step('(d) export the targets list as xlsx', async () => {
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=export-xlsx]')]);
    const name = dl.suggestedFilename();
    assert(name.endsWith('.xlsx'), 'download is not .xlsx: ' + name);
    const file = path.join(os.tmpdir(), `chainmap-e2e-${process.pid}-${name}`);
    await dl.saveAs(file);
    const buf = fs.readFileSync(file);
    fs.rmSync(file);
    assert(buf.subarray(0, 2).toString() === 'PK', 'the xlsx is not a zip file');
    const xml = Object.values(zipTexts(buf)).join('\n');
    const api = await targetsOf('321100', 'EV_M3', '&limit=50');
    for (const x of [...api.targets, ...api.in_pipeline]) assert(xml.includes(x.company_id), `${x.company_id} (${x.name}) not in the xlsx`);
    assert(xml.includes('已在本市有项目（不作为新目标） / Already has a project'), 'the xlsx does not mark the firms in the pipeline');
    console.log(`  downloaded ${name}: ${api.targets.length} targets, ${api.in_pipeline.length} in the pipeline`);
  });

  await step('(l) targets in plain words: no model jargon, single signals under 高级, one score scale on screen and in the xlsx, honest headings, shortlist with reasons', async () => {
    await page.goto(base + '/#/targets?link=EV_M3&region=321100');
    await page.waitForSelector('[data-testid=target-row]');
    const JARGON = /Adamic|资源分配|共同邻居|Resource allocation|Common neighbours|preferential/i;
    const visible = async () => page.evaluate(() => document.body.innerText + ' ' + [...document.querySelectorAll('[title],[aria-label]')].map((e) => (e.title || '') + ' ' + (e.getAttribute('aria-label') || '')).join(' '));
    const jargon = (await visible()).match(JARGON);
    assert(!jargon, 'model jargon on the targets page: ' + (jargon && jargon[0]));
    // the default signals are open, with a label and a one-line explanation each; the single ones are folded
    const api = await targetsOf('321100', 'EV_M3', '&limit=50');
    const adv = page.locator('[data-testid=weights-advanced]');
    assert(await adv.count() === 1 && !(await adv.evaluate((d) => d.open)), 'no closed 高级 fold for the single signals');
    for (const [f, w] of Object.entries(api.weights)) {
      const inAdv = await page.locator(`[data-testid=weights-advanced] [data-testid=weight-${f}]`).count();
      assert((w > 0) === !inAdv, `${f} (default weight ${w}) ${inAdv ? 'folded' : 'open'}`);
      const meta = await page.$eval(`[data-testid=weight-${f}]`, (el) => ({ label: el.labels[0] && el.labels[0].textContent, why: document.getElementById(el.getAttribute('aria-describedby')).textContent }));
      assert(meta.label && meta.why.length > 8, `${f}: label "${meta.label}", explanation "${meta.why}"`);
    }
    await adv.locator('summary').click();
    assert(!JARGON.test(await visible()), 'model jargon in the 高级 fold');
    // one score scale: the xlsx has the numbers the screen shows
    const screen = Object.fromEntries(await page.$$eval('[data-testid=target-row]', (rs) => rs.map((r) => [r.dataset.company, r.querySelector('[data-testid=target-score]').textContent])));
    const { buf } = await download(page, '[data-testid=export-xlsx]');
    const rows = sheetRows(buf);
    const si = rows[0].findIndex((x) => x.includes('Score')), ii = rows[0].findIndex((x) => x.includes('Company ID'));
    assert(rows[0][si].includes('0–100'), 'the xlsx score header does not give its scale: ' + rows[0][si]);
    for (const [id, sc] of Object.entries(screen)) {
      const row = rows.find((r) => r[ii] === id);
      assert(row && Number(row[si]).toFixed(1) === sc, `${id}: screen ${sc}, xlsx ${row && row[si]}`);
    }
    // the panel heading counts what it lists
    await page.goto(`${base}/#/map?region=321100&chain=CH_EV`);
    await page.click('[data-testid=node-EV_M3]');
    await page.waitForSelector('[data-testid=panel-target]');
    const n = await page.locator('[data-testid=panel-target]').count();
    const head = await page.textContent('[data-testid=panel-targets-head]');
    assert(head.includes(String(n)) && (n >= 10 || !head.includes('前')), `panel heading "${head}" over ${n} targets`);
    // the shortlist xlsx carries each firm's reasons and columns for contacts
    await page.goto(base + '/#/targets?link=EV_M3&region=321100');
    await page.waitForSelector('[data-testid=export-shortlist]');
    const sl = await page.evaluate(() => JSON.parse(localStorage.getItem('chainmap.shortlist')));
    const sx = sheetRows((await download(page, '[data-testid=export-shortlist]')).buf);
    const ri = sx[0].findIndex((x) => x.includes('Reasons'));
    assert(ri >= 0 && sx[0].some((x) => x.includes('Contact')), 'shortlist xlsx headers: ' + sx[0]);
    for (const [id, x] of Object.entries(sl)) {
      const row = sx.find((r) => r.includes(id));
      const first = (x.reasons || [])[0];
      assert(row && first && row[ri].includes(first.zh) && row[ri].includes(first.en), `${id}: no reasons in the shortlist xlsx (${row && row[ri]})`);
    }
    console.log(`  ${Object.keys(screen).length} scores equal on screen and in the xlsx; panel "${head}"; shortlist of ${Object.keys(sl).length} with reasons`);
  });

  await step('(d2) a district: firms elsewhere in the city are left out unless asked, then marked 市内转移', async () => {
    // EV_M4 in 丹阳市: every outside candidate is elsewhere in Zhenjiang
    const api = await targetsOf('321181', 'EV_M4');
    assert(api.same_city_left_out > 0, 'the demo leaves no same-city firm out for EV_M4 in 321181');
    await page.goto(base + '/#/targets?link=EV_M4&region=321181');
    await page.waitForSelector('[data-testid=pipeline] h3');
    assert(await page.locator('[data-testid=include-same-city]').isVisible(), 'no same-city checkbox for a district');
    const note = await page.textContent('[data-testid=same-city-left-out]');
    assert(await page.locator('[data-testid=same-city-left-out]').isVisible() && note.includes(String(api.same_city_left_out)), 'left-out note: ' + note);
    assert(await page.locator('[data-testid=transfer-badge]').count() === 0, 'a transfer badge without asking for same-city firms');
    await page.check('[data-testid=include-same-city]');
    await page.waitForSelector('[data-testid=target-row] [data-testid=transfer-badge]');
    const incl = await targetsOf('321181', 'EV_M4', '&include_same_city=true');
    const badges = await page.locator('[data-testid=transfer-badge]').count();
    assert(badges === incl.targets.filter((x) => x.transfer).length && (await page.textContent('[data-testid=transfer-badge] >> nth=0')) === '市内转移', `${badges} transfer badges`);
    assert(!(await page.locator('[data-testid=same-city-left-out]').isVisible()), 'the left-out note stays after including same-city firms');
    console.log(`  321181 EV_M4: ${api.same_city_left_out} left out; with the checkbox ${badges} targets marked 市内转移`);
    await shot('targets-district');
    // back to the city: the checkbox goes away
    await page.selectOption('[data-testid=targets-region]', '321100');
    await page.waitForSelector('[data-testid=pipeline] h3');
    assert(!(await page.locator('[data-testid=include-same-city]').isVisible()), 'the same-city checkbox is still shown for the city');
  });

  await step('company page and top-bar search (pinyin initials)', async () => {
    await page.goto(base + '/#/map');
    await page.fill('[data-testid=search]', 'yy');
    await page.waitForSelector('[data-testid=search-results] a');
    await page.click('[data-testid=search-results] a >> nth=0');
    await page.waitForSelector('[data-testid=company-profile]');
    // then a company with suppliers and customers: the EV chain leader
    const chains = await (await page.request.get(base + '/api/v1/chains/CH_EV')).json();
    await page.goto(`${base}/#/company/${encodeURIComponent(chains.leaders[0].id)}`);
    await page.waitForSelector('[data-testid=company-profile]');
    await page.waitForSelector('[data-testid=suppliers-table]');
    await page.waitForTimeout(300);
    await shot('company');
  });

  await step('a hostile company name is shown as text, never run as markup', async () => {
    // The Go test imports a firm named <img src=x onerror=…>; its chart tooltip must
    // show the name literally (and the CSP watcher would report a blocked handler).
    await page.goto(`${base}/#/company/ZZ-XSS`);
    await page.waitForSelector('[data-testid=company-graph] canvas');
    await page.waitForTimeout(300);
    const box = await (await page.$('[data-testid=company-graph]')).boundingBox();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    const tip = await page.waitForFunction(() => [...document.querySelectorAll('div')].find((d) =>
      d.style.position === 'absolute' && d.textContent.includes('恶意企业') && d.offsetParent !== null), null, { timeout: 10_000 });
    const text = await tip.evaluate((d) => d.textContent);
    const hasImg = await tip.evaluate((d) => d.querySelector('img') !== null);
    assert(text.includes('<img') && !hasImg, `tooltip rendered markup: ${text}`);
    assert(await page.evaluate(() => window.__xss === undefined), 'the onerror handler ran');
    console.log('  tooltip shows: ' + text.slice(0, 60));
  });

  await step('dashboard renders KPI cards and charts', async () => {
    await page.goto(base + '/#/dashboard');
    await page.waitForSelector('[data-testid=kpi-projects]');
    await page.waitForSelector('[data-testid=chart-heat] canvas');
    await page.waitForSelector('[data-testid=zones-list] .zone');
    const n = await page.textContent('[data-testid=kpi-projects] .kpi-value');
    assert(/\d/.test(n), 'no project count on the dashboard');
    await page.waitForTimeout(500);
    await shot('dashboard');
  });

  // the data date: what the chain map shows as 评估日期, and lateness is judged on
  const asOf = (await (await page.request.get(base + '/api/v1/analysis/diagnosis?region=321100&chain=CH_EV')).json()).as_of;
  const kpiOf = async (q) => (await page.request.get(`${base}/api/v1/analysis/kpi?${q}`)).json();

  await step('(h) one count of lagging projects: dashboard, board and KPI API agree, judged as of the data date', async () => {
    const k = await kpiOf(`from=2025-01-01&to=2025-06-30&as_of=${asOf}`);
    const ids = new Set(k.lagging.map((l) => l.project_id));
    assert(k.lagging_projects === ids.size, `KPI lagging_projects ${k.lagging_projects} ≠ ${ids.size} distinct projects`);
    assert(k.lagging.length > ids.size, 'no project of the demo is late twice: the distinct count is not exercised');
    await page.goto(base + '/#/dashboard');
    await page.waitForSelector('[data-testid=kpi-lagging] [data-n]');
    const dash = Number(await page.getAttribute('[data-testid=kpi-lagging] [data-n]', 'data-n'));
    const dashText = await page.textContent('[data-testid=kpi-lagging]');
    assert(dash === ids.size, `dashboard says ${dash} lagging projects, the KPI ${ids.size} distinct (${k.lagging.length} entries)`);
    assert(dashText.includes(asOf), `dashboard does not say lateness is judged as of ${asOf}: ${dashText}`);
    const notes = await page.textContent('.card:last-child .reasons');
    assert(notes.includes(`${ids.size} 个项目进度滞后`), 'the dashboard notes count lagging entries, not projects: ' + notes);
    // the board: every project, any size; its ≥ 1亿 part is the dashboard's number
    const all = await kpiOf(`from=1900-01-01&to=${asOf}&min_investment=0&as_of=${asOf}`);
    const allIds = new Set(all.lagging.map((l) => l.project_id));
    await page.goto(base + '/#/projects');
    await page.waitForSelector('[data-testid=projects-lagging]');
    const n = Number(await page.getAttribute('[data-testid=projects-lagging]', 'data-n'));
    const big = Number(await page.getAttribute('[data-testid=projects-lagging]', 'data-big'));
    assert(n === allIds.size && big === dash, `board: ${n} lagging (${big} of ≥ 1亿); KPI ${allIds.size}, dashboard ${dash}`);
    assert((await page.textContent('[data-testid=projects-summary]')).includes(asOf), 'the board does not say the as-of date');
    // a project late on both dates: one card, both reasons
    const twice = [...allIds].find((id) => all.lagging.filter((l) => l.project_id === id).length === 2);
    await page.fill('[data-testid=projects-filter]', twice);
    await page.waitForSelector(`[data-testid=project-card][data-id="${twice}"] [data-testid=project-lag]`);
    assert(await page.locator(`[data-testid=project-card][data-id="${twice}"]`).count() === 1, `${twice} shown more than once`);
    const missed = await page.getAttribute(`[data-testid=project-card][data-id="${twice}"] [data-testid=project-lag]`, 'data-missed');
    assert(missed === 'start production' || missed === 'production start', `${twice}: lag reasons ${missed}`);
    await page.fill('[data-testid=projects-filter]', '');
    // only lagging: the board shows exactly the lagging projects
    await page.check('[data-testid=projects-lagging-only]');
    const summary = await page.textContent('[data-testid=projects-summary]');
    assert(summary.startsWith(`${allIds.size} 个`), 'lagging-only board: ' + summary);
    console.log(`  as of ${asOf}: ${dash} lagging projects ≥ 1亿 (${k.lagging.length} entries), ${n} of any size; ${twice} late on both dates`);
  });

  await step('(i) completeness is coloured by value on one stated scale (red < 50%, amber < 80%, green ≥ 80%)', async () => {
    const regs = (await (await page.request.get(base + '/api/v1/regions')).json()).regions.filter((r) => r.parent_code === '321100');
    const found = {};
    for (const r of regs) {
      const d = await (await page.request.get(`${base}/api/v1/analysis/diagnosis?region=${r.code}`)).json();
      for (const c of d.chains) {
        const p = Math.round(c.completeness * 100);
        const lv = p < 50 ? 'low' : p < 80 ? 'mid' : 'high';
        found[lv] ||= { region: r.code, chain: c.chain_id, p };
      }
    }
    assert(found.low && found.mid && found.high, 'the demo lacks a low, middle or high completeness: ' + JSON.stringify(found));
    const colours = {};
    for (const [lv, x] of Object.entries(found)) {
      await page.goto('about:blank');
      await page.goto(`${base}/#/map?region=${x.region}&chain=${x.chain}`);
      await page.waitForSelector('[data-testid=completeness][data-level]');
      const got = await page.getAttribute('[data-testid=completeness]', 'data-level');
      assert(got === lv, `${x.region} ${x.chain} at ${x.p}% shown as ${got}, want ${lv}`);
      colours[lv] = await page.$eval('[data-testid=completeness] b', (b) => getComputedStyle(b).color);
      assert((await page.textContent('[data-testid=completeness-scale]')).includes('50%'), 'the map states no completeness scale');
    }
    assert(new Set(Object.values(colours)).size === 3, 'completeness colours do not differ by value: ' + JSON.stringify(colours));
    await page.goto(base + '/#/dashboard');
    await page.waitForSelector('[data-testid=chart-heat] canvas');
    await page.waitForSelector('[data-testid=completeness-scale]');
    const vm = await page.$eval('[data-testid=chart-heat]', (el) => el.__chart.getOption().visualMap[0]);
    const cuts = vm.pieces.map((p) => [p.gte, p.lt].join('-')).join(',');
    assert(vm.type === 'piecewise' && cuts === '-50,50-80,80-', 'the heat map scale is not the 50/80 one: ' + JSON.stringify(vm.pieces));
    console.log(`  ${JSON.stringify(found)} coloured ${JSON.stringify(colours)}`);
  });

  await step('(m) maps: district labels apart, colour scales with numbers, the period kept in the address', async () => {
    await page.goto(base + '/#/dashboard');
    await page.waitForSelector('[data-testid=zones-list] .zone');
    const labels = () => page.$eval('[data-testid=chart-zhenjiang]', (el) => {
      const c = el.__chart;
      return c.getZr().storage.getDisplayList(true).filter((e) => e.type === 'tspan').map((e) => {
        const r = e.getBoundingRect().clone(); const m = e.getComputedTransform(); if (m) r.applyTransform(m);
        return { text: e.style.text, x: r.x, y: r.y, w: r.width, h: r.height, W: c.getWidth(), H: c.getHeight() };
      });
    });
    const overlaps = (bs) => {
      const out = [];
      for (let i = 0; i < bs.length; i++) for (let j = i + 1; j < bs.length; j++) {
        const a = bs[i], b = bs[j];
        if (a.x < b.x + b.w - 1 && b.x < a.x + a.w - 1 && a.y < b.y + b.h - 1 && b.y < a.y + a.h - 1) out.push(`"${a.text}" × "${b.text}"`);
      }
      return out.concat(bs.filter((b) => b.x < 0 || b.y < 0 || b.x + b.w > b.W + 0.5 || b.y + b.h > b.H + 0.5).map((b) => `"${b.text}" clipped`));
    };
    await page.waitForFunction(() => document.querySelector('[data-testid=chart-zhenjiang]').__chart.getOption().series.length === 2);
    for (const by of ['completeness', 'investment']) {
      await page.selectOption('[data-testid=map-by]', by);
      await page.waitForTimeout(300);
      const bs = await labels();
      assert(bs.some((b) => b.text.startsWith('润州区')) && bs.some((b) => b.text.startsWith('京口区')), `${by}: district labels missing: ${bs.map((b) => b.text)}`);
      const bad = overlaps(bs);
      assert(!bad.length, `${by}: map labels collide: ${bad.join('; ')}`);
      const vm = await page.$eval('[data-testid=chart-zhenjiang]', (el) => el.__chart.getOption().visualMap[0]);
      const numbered = vm.type === 'piecewise' ? vm.pieces.map((p) => p.label).join(' ') : (vm.text || []).join(' ');
      assert(/\d/.test(numbered), `${by}: the district map's scale has no numbers (${JSON.stringify(vm.pieces || vm.text)})`);
    }
    const cvm = await page.$eval('[data-testid=chart-china]', (el) => el.__chart.getOption().visualMap[0]);
    assert(/\d/.test((cvm.text || []).join(' ')), 'the China map scale has no numbers: ' + JSON.stringify(cvm.text));
    await page.$eval('[data-testid=chart-heat]', (el) => el.scrollIntoView({ block: 'center' }));
    await page.waitForTimeout(200);
    await shot('dashboard-maps');
    // the period and the measure are kept in the address and come back on a reload
    await page.fill('[data-testid=dash-from]', '2024-01-01');
    await page.fill('[data-testid=dash-to]', '2024-06-30');
    await page.click('[data-testid=dash-apply]');
    await page.waitForSelector('[data-testid=kpi-projects]');
    const url = page.url();
    assert(url.includes('from=2024-01-01') && url.includes('to=2024-06-30') && url.includes('by=investment'), 'the period is not in the address: ' + url);
    await page.reload();
    await page.waitForSelector('[data-testid=kpi-projects] .kpi-value');
    assert(await page.inputValue('[data-testid=dash-from]') === '2024-01-01' && await page.inputValue('[data-testid=map-by]') === 'investment', 'a reload lost the period or the measure');
    const want = await kpiOf(`from=2024-01-01&to=2024-06-30&as_of=${asOf}`);
    const got = (await page.textContent('[data-testid=kpi-projects] .kpi-value')).replace(/\D/g, '');
    assert(Number(got) === want.projects, `after the reload the dashboard shows ${got} projects, the KPI for H1 2024 ${want.projects}`);
    console.log(`  labels apart in both measures; ${url.slice(url.indexOf('#'))} → ${got} projects after a reload`);
    await page.goto(base + '/#/dashboard?from=2025-01-01&to=2025-06-30&by=completeness');
  });

  await step('(n) English: no Chinese on any page except proper names without an English form; amounts in ¥; "and N more" where a list is cut; app.js compressed', async () => {
    // proper names the data has no English for (regions, region groups, firms, projects)
    const regs = await (await page.request.get(base + '/api/v1/regions')).json();
    const names = [...regs.regions.map((r) => r.name), ...regs.groups.map((g) => g.name)];
    for (let p = 1; ; p++) {
      const r = await (await page.request.get(`${base}/api/v1/companies?page=${p}&page_size=500`)).json();
      names.push(...r.items.map((c) => c.name));
      if (p * 500 >= r.total) break;
    }
    for (let p = 1; ; p++) {
      const r = await (await page.request.get(`${base}/api/v1/projects?page=${p}&page_size=500`)).json();
      names.push(...r.items.map((c) => c.name));
      if (p * 500 >= r.total) break;
    }
    const TERMS = ['以商引商']; // kept in Chinese beside its English explanation
    const allowed = (run) => TERMS.includes(run) || names.some((n) => n.includes(run));
    const chinese = async (where) => {
      const texts = await page.evaluate(() => {
        const out = [];
        const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
        for (let n; (n = walk.nextNode());) {
          const el = n.parentElement;
          // text marked as Chinese (lang="zh-CN": the 中文 switch, a provenance note) is Chinese on purpose
          if (el && el.closest('option, optgroup') === null && !el.closest('[lang^="zh"]') && (el.offsetParent !== null || getComputedStyle(el).position === 'fixed')) out.push(n.textContent);
        }
        for (const o of document.querySelectorAll('option, optgroup')) out.push(o.label || o.textContent);
        for (const el of document.querySelectorAll('[title],[aria-label],[placeholder]')) out.push(el.title || '', el.getAttribute('aria-label') || '', el.placeholder || '');
        for (const el of document.querySelectorAll('*')) {
          if (el.__chart && !el.__chart.isDisposed()) for (const e of el.__chart.getZr().storage.getDisplayList(true)) if (e.style && typeof e.style.text === 'string') out.push(e.style.text);
        }
        out.push(document.title);
        return out;
      });
      const bad = new Set();
      for (const s of texts) for (const run of s.match(/[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+/g) || []) if (!allowed(run)) bad.add(run);
      assert(!bad.size, `${where}: Chinese in English mode: ${[...bad].slice(0, 12).join(' | ')}`);
    };
    await page.evaluate(() => localStorage.setItem('chainmap.lang', 'en'));
    await openChain('CH_EV');
    await chinese('chain map');
    await page.click('[data-testid=node-EV_M3]');
    await page.waitForSelector('[data-testid=panel-target]');
    await page.waitForSelector('[data-testid=panel-firms], [data-testid=link-panel] .muted');
    await chinese('chain map panel');
    await page.goto(base + '/#/targets?link=EV_M3&region=321100');
    await page.waitForSelector('[data-testid=target-row]');
    await page.click('[data-testid=weights-advanced] summary');
    await chinese('targets');
    await shot('targets-en');
    await page.goto(base + '/#/projects');
    await page.waitForSelector('[data-testid=project-card]');
    await chinese('projects');
    const amount = await page.textContent('[data-testid=project-card] >> nth=0');
    assert(/¥[\d,.]+ (m|bn)/.test(amount) && !amount.includes('100M'), 'an amount on the board reads: ' + amount);
    await page.click('[data-testid=project-card] >> nth=0');
    await page.waitForSelector('[data-testid=project-details] .kv-grid');
    await chinese('project details');
    await page.keyboard.press('Escape');
    await shot('projects-en');
    await page.goto(base + '/#/dashboard');
    await page.waitForSelector('[data-testid=zones-list] .zone');
    await page.waitForTimeout(300);
    await chinese('dashboard');
    await shot('dashboard-en');
    const chains = await (await page.request.get(base + '/api/v1/chains/CH_EV')).json();
    await page.goto(`${base}/#/company/${encodeURIComponent(chains.leaders[0].id)}`);
    await page.waitForSelector('[data-testid=suppliers-table]');
    await page.waitForTimeout(300);
    await chinese('company');
    await shot('company-en');
    await page.goto(base + '/#/login');
    await page.waitForSelector('[data-testid=login-form]');
    await chinese('login');
    await page.goto(base + '/#/import');
    await page.waitForSelector('[data-testid=import-forbidden]');
    await chinese('import');
    await page.evaluate(() => localStorage.setItem('chainmap.lang', 'zh-CN'));
    // the company graph says how many ties it leaves out
    const co = await (await page.request.get(`${base}/api/v1/companies/${encodeURIComponent(chains.leaders[0].id)}`)).json();
    const sup = new Set(co.suppliers.map((x) => x.company.id)).size;
    await page.goto('about:blank');
    await page.goto(`${base}/#/company/${encodeURIComponent(chains.leaders[0].id)}`);
    await page.waitForSelector('[data-testid=company-graph] canvas');
    const graphTexts = await page.$eval('[data-testid=company-graph]', (el) => el.__chart.getZr().storage.getDisplayList(true).map((e) => e.style && e.style.text).filter(Boolean));
    const shownSup = await page.$eval('[data-testid=company-graph]', (el) => el.__chart.getOption().series[0].data.filter((n) => String(n.id).startsWith('s:')).length);
    assert(sup > shownSup ? graphTexts.some((x) => x.includes(`另有 ${sup - shownSup} 家`)) : true, `the graph shows ${shownSup} of ${sup} suppliers without saying so: ${graphTexts.join(' | ')}`);
    assert(sup > shownSup, `the leader has ${sup} suppliers, all shown: nothing to check`);
    // the bundle travels compressed
    const size = await page.evaluate(() => { const e = performance.getEntriesByType('resource').find((r) => r.name.endsWith('/ui/app.js')); return e && e.encodedBodySize; });
    assert(size && size <= 300 * 1024, `app.js transferred as ${size} bytes (budget 300 KB compressed)`);
    console.log(`  English pages clean of Chinese outside ${names.length} proper names; graph shows ${shownSup} of ${sup} suppliers; app.js ${Math.round(size / 1024)} KB on the wire`);
  }, 120_000);

  await step('(o) accessibility: axe-core finds no serious or critical WCAG 2 A/AA violation on any page, zh and en; keyboard reaches the board', async () => {
    let checks = 0;
    for (const lang of ['zh-CN', 'en']) {
      await page.evaluate((l) => localStorage.setItem('chainmap.lang', l), lang);
      await openChain('CH_EV');
      checks += await axeCheck(page, `${lang} map`);
      await page.click('[data-testid=node-EV_M3]');
      await page.waitForSelector('[data-testid=panel-target]');
      checks += await axeCheck(page, `${lang} map with the link panel`);
      await page.goto(base + '/#/targets?link=EV_M3&region=321100');
      await page.waitForSelector('[data-testid=target-row]');
      await page.click('[data-testid=weights-advanced] summary');
      checks += await axeCheck(page, `${lang} targets`);
      await page.goto(base + '/#/projects');
      await page.waitForSelector('[data-testid=project-card]');
      checks += await axeCheck(page, `${lang} projects`);
      await page.click('[data-testid=project-card] >> nth=0');
      await page.waitForSelector('[data-testid=project-history], [data-testid=project-details] .muted');
      checks += await axeCheck(page, `${lang} project dialog`);
      await page.keyboard.press('Escape');
      await page.goto(base + '/#/dashboard');
      await page.waitForSelector('[data-testid=zones-list] .zone');
      checks += await axeCheck(page, `${lang} dashboard`);
      const chains = await (await page.request.get(base + '/api/v1/chains/CH_EV')).json();
      await page.goto(`${base}/#/company/${encodeURIComponent(chains.leaders[0].id)}`);
      await page.waitForSelector('[data-testid=suppliers-table]');
      checks += await axeCheck(page, `${lang} company`);
      await page.goto(base + '/#/login');
      await page.waitForSelector('[data-testid=login-form]');
      checks += await axeCheck(page, `${lang} login`);
      await page.goto(base + '/#/import');
      await page.waitForSelector('[data-testid=import-forbidden]');
      checks += await axeCheck(page, `${lang} import (guest)`);
    }
    await page.evaluate(() => localStorage.setItem('chainmap.lang', 'zh-CN'));
    // the board by keyboard alone: Tab reaches a card, Enter opens it, Escape closes it
    await page.goto('about:blank');
    await page.goto(base + '/#/projects');
    await page.waitForSelector('[data-testid=project-card]');
    await page.focus('[data-testid=projects-lagging-only]');
    let reached = null;
    for (let i = 0; i < 12 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate(() => document.activeElement && document.activeElement.dataset.testid === 'project-card' ? document.activeElement.dataset.id : null);
    }
    assert(reached, 'Tab does not reach a project card');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid=project-details]');
    await page.keyboard.press('Escape');
    assert(await page.locator('[data-testid=project-details]').count() === 0, 'Escape does not close the dialog');
    console.log(`  ${checks} axe checks passed on 9 views × 2 languages; keyboard opened ${reached}`);
  }, 180_000);

  await step('(e) viewer: edit controls (add project, advance, import) are absent', async () => {
    await ctx.close();
    ctx = await newContext(); page = await ctx.newPage(); watch(page); page.setDefaultTimeout(30_000);
    const role = await login(viewerUser, viewerPass);
    assert(role === 'viewer', 'viewer logged in with role ' + role);
    await page.goto(base + '/#/projects');
    await page.waitForSelector('[data-testid=project-card]');
    assert(await page.locator('[data-testid=add-project]').count() === 0, 'viewer sees the add-project button');
    await page.click('[data-testid=project-card] >> nth=0');
    await page.waitForSelector('[data-testid=project-details] .kv-grid');
    assert(await page.locator('[data-testid=advance]').count() === 0, 'viewer sees the advance button');
    assert(await page.locator('[data-testid=drop]').count() === 0, 'viewer sees the drop button');
    assert(await page.locator('[data-testid=nav-import]').count() === 0, 'viewer sees the import menu');
    await page.goto(base + '/#/import');
    await page.waitForSelector('[data-testid=import-forbidden]');
    assert(await page.locator('[data-testid=import-file]').count() === 0, 'viewer sees the import upload');
  });

  await step('(f) editor: add a project, advance it to started, it moves columns', async () => {
    await ctx.close();
    ctx = await newContext(); page = await ctx.newPage(); watch(page); page.setDefaultTimeout(30_000);
    const role = await login(editorUser, editorPass);
    assert(role === 'editor' || role === 'admin', 'editor logged in with role ' + role);
    await page.goto(base + '/#/projects');
    await page.waitForSelector('[data-testid=project-card]');
    await shot('projects');
    await page.click('[data-testid=add-project]');
    await page.waitForSelector('[data-testid=add-project-form]');
    const id = 'P-E2E-' + Date.now().toString(36).toUpperCase();
    await page.fill('[data-testid=new-id]', id);
    await page.fill('[data-testid=new-name]', 'E2E 测试电控项目（模拟）');
    await page.selectOption('[data-testid=new-link]', 'EV_M3');
    await page.selectOption('[data-testid=new-district]', '321181');
    await page.fill('[data-testid=new-investment]', '3.5');
    await page.selectOption('[data-testid=new-stage]', 'signed');
    await page.click('[data-testid=new-submit]');
    const card = `[data-testid=project-card][data-id="${id}"]`;
    await page.waitForSelector(`[data-testid=col-signed] ${card}`);
    await page.click(card);
    await page.waitForSelector('[data-testid=advance]');
    await page.click('[data-testid=advance]');
    await page.waitForSelector(`[data-testid=col-started] ${card}`);
    assert(await page.locator(`[data-testid=col-signed] ${card}`).count() === 0, 'the project is still in the signed column');
    await page.click(card);
    await page.waitForSelector('[data-testid=project-history] tbody tr >> nth=1');
    const hist = await page.textContent('[data-testid=project-history]');
    assert(hist.includes('开工'), 'history lacks the started event');
    console.log(`  ${id}: 签约 → 开工`);
    await page.keyboard.press('Escape');
    assert(await page.locator('[data-testid=project-details]').count() === 0, 'Escape does not close the project dialog');
    await page.click(card);
    await page.waitForSelector('[data-testid=project-details]');
    await page.goto(base + '/#/import');
    await page.waitForSelector('[data-testid=import-file]');
    assert(await page.locator('.overlay').count() === 0, 'the project dialog stays over the next page');
  });
  await step('(j) import: a csv named after its table is recognised, the choice resets per file, names match the export, counts under their headers', async () => {
    const zip = await (await page.request.get(base + '/api/v1/exports?format=csv')).body();
    const files = zipTexts(zip);
    const exported = Object.keys(files).map((n) => n.replace(/\.csv$/, ''));
    await page.goto(base + '/#/import');
    await page.waitForSelector('[data-testid=import-file]');
    const options = await page.$$eval('[data-testid=import-table] option', (os) => os.map((o) => o.value).filter(Boolean));
    assert(options.join() === exported.join(), `table choices ${options} ≠ the export's files ${exported}`);
    // companies.csv exactly as exported: no ?table chosen by hand
    await page.setInputFiles('[data-testid=import-file]', { name: 'companies.csv', mimeType: 'text/csv', buffer: Buffer.from(files['companies.csv']) });
    assert(await page.inputValue('[data-testid=import-table]') === 'companies', 'companies.csv did not select the companies table');
    await page.click('[data-testid=import-check]');
    await page.waitForSelector('[data-testid=import-changes] tr[data-table=companies]');
    const received = await page.textContent('[data-testid=import-changes] tr[data-table=companies] td:nth-child(2)');
    const n = files['companies.csv'].trim().split('\n').length - 1;
    assert(Number(received) === n, `companies.csv: ${received} received, the file has ${n} rows`);
    const counts = await page.$$eval('[data-testid=import-changes] tr[data-table=companies] td.num', (tds) => tds.map((td) => td.textContent));
    assert(counts.join() === `${n},0,0,${n}`, `companies.csv counts received/inserted/updated/unchanged: ${counts}`);
    // every count sits under its header
    const misplaced = await page.$$eval('[data-testid=import-changes]', ([tbl]) => {
      const ths = [...tbl.querySelectorAll('thead th')].map((th) => th.getBoundingClientRect());
      const out = [];
      for (const tr of tbl.querySelectorAll('tbody tr')) [...tr.children].forEach((td, i) => {
        const r = td.getBoundingClientRect(), th = ths[i];
        const range = document.createRange(); range.selectNodeContents(td);
        const txt = range.getBoundingClientRect();
        const hr = document.createRange(); hr.selectNodeContents(tbl.querySelectorAll('thead th')[i]);
        const htxt = hr.getBoundingClientRect();
        // the value's text overlaps its header's text horizontally, within the header cell
        if (txt.width && (txt.right < htxt.left || txt.left > htxt.right || r.left < th.left - 1 || r.right > th.right + 1)) out.push(`${tr.dataset.table} col ${i}`);
      });
      return out;
    });
    assert(!misplaced.length, 'counts not under their headers: ' + misplaced.slice(0, 5).join(', '));
    await shot('import');
    // the next file starts afresh: a file whose name names no table asks for one
    await page.setInputFiles('[data-testid=import-file]', { name: 'my-firms.csv', mimeType: 'text/csv', buffer: Buffer.from(files['companies.csv']) });
    assert(await page.inputValue('[data-testid=import-table]') === '', 'the table choice stuck from the previous file');
    assert(await page.locator('[data-testid=import-changes]').count() === 0, 'the previous report stays for a new file');
    await page.click('[data-testid=import-check]');
    await page.waitForSelector('[data-testid=import-need-table]');
    // a table-named file after a choice by hand: its own name wins
    await page.selectOption('[data-testid=import-table]', 'projects');
    await page.setInputFiles('[data-testid=import-file]', { name: 'link_feeds.csv', mimeType: 'text/csv', buffer: Buffer.from(files['link_feeds.csv']) });
    assert(await page.inputValue('[data-testid=import-table]') === 'link_feeds', 'link_feeds.csv kept the projects choice');
    await page.click('[data-testid=import-check]');
    await page.waitForSelector('[data-testid=import-changes] tr[data-table=link_feeds]');
    await axeCheck(page, 'zh import with a report');
    console.log(`  companies.csv (${n} rows) checked as companies; my-firms.csv asks for a table; link_feeds.csv recognised`);
  });
  await step('(g) screenshots of every page at 1440×900', async () => {
    const want = ['map', 'map-panel', 'targets', 'targets-district', 'company', 'projects', 'dashboard', 'import', 'login'];
    const missing = want.filter((n) => !fs.existsSync(path.join(shots, n + '.png')) || fs.statSync(path.join(shots, n + '.png')).size < 5000);
    assert(!missing.length, 'missing screenshots: ' + missing.join(', '));
    console.log(`  ${want.map((n) => n + '.png').join(' ')}`);
  });
  if (errors.length) throw new StepError('page errors: ' + errors.join('; '));
  console.log(`\nscreenshots in ${shots}`);
  console.log(`${results.length} passed, 0 failed`);
} catch (e) {
  exitCode = 1;
  console.error(`\ne2e failed: ${e.message}`);
  console.log(`${results.length} passed, 1 failed`);
} finally {
  await browser.close();
}
process.exit(exitCode);
