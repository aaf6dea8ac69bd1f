/**
 * The two self-contained programs `--repro` writes beside repro.onnx and repro-data.json:
 * `repro.mjs` (Node: onnxruntime-node, or onnxruntime-web's wasm EP in Node) and `repro.html`
 * (a browser: onnxruntime-web wasm / webgpu / webgl). Both run the one-node model on the recorded
 * inputs and print max |Δ| and SQNR against the fp32 reference's expected output. They share one
 * block of plain JavaScript ({@link CORE_JS}) and import nothing but onnxruntime. Pure strings.
 */

/** Decoding, running and measuring, shared by both programs (plain ES2020, no imports). */
const CORE_JS = String.raw`
const ARRAYS = { float32: Float32Array, float64: Float64Array, float16: Uint16Array, int8: Int8Array, uint8: Uint8Array,
  int16: Int16Array, uint16: Uint16Array, int32: Int32Array, uint32: Uint32Array, int64: BigInt64Array, uint64: BigUint64Array, bool: Uint8Array };
function decode(t) {
  const bin = atob(t.b64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  const Arr = ARRAYS[t.dtype];
  if (!Arr) throw new Error('unsupported dtype ' + t.dtype);
  return { dtype: t.dtype, dims: t.dims, data: new Arr(bytes.buffer, 0, bytes.length / Arr.BYTES_PER_ELEMENT) };
}
function half(h) {
  const s = h & 0x8000 ? -1 : 1, e = (h >> 10) & 0x1f, f = h & 0x3ff;
  if (e === 0) return s * f * 2 ** -24;
  if (e === 31) return f ? NaN : s * Infinity;
  return s * (1 + f / 1024) * 2 ** (e - 15);
}
function floats(dtype, data) {
  // float16 arrives as raw bits (Uint16Array), or as values where the platform has Float16Array.
  if (dtype === 'float16' && data instanceof Uint16Array) return Float64Array.from(data, half);
  if (data instanceof BigInt64Array || data instanceof BigUint64Array) return Float64Array.from(data, Number);
  return Float64Array.from(data);
}
function measure(expected, actual) {
  let sig = 0, noise = 0, max = 0, nonFinite = 0;
  for (let i = 0; i < expected.length; i++) {
    const d = actual[i] - expected[i];
    if (!Number.isFinite(actual[i]) && Number.isFinite(expected[i])) { nonFinite++; continue; }
    sig += expected[i] * expected[i]; noise += d * d; max = Math.max(max, Math.abs(d));
  }
  const sqnr = nonFinite ? -Infinity : noise === 0 ? Infinity : 10 * Math.log10(sig / noise);
  return { maxAbs: nonFinite ? Infinity : max, sqnrDb: sqnr, nonFinite, elements: expected.length };
}
const fmt = (x) => Number.isFinite(x) ? Number(x.toPrecision(3)).toString() : String(x);
const db = (x) => Number.isFinite(x) ? x.toFixed(1) + ' dB' : String(x) + ' dB';
async function runRepro(ort, modelBytes, data, options, print) {
  const session = await ort.InferenceSession.create(modelBytes, options);
  const exp = [], act = [];
  for (const sample of data.samples) {
    const feeds = {};
    for (const [name, t] of Object.entries(sample.inputs)) { const d = decode(t); feeds[name] = new ort.Tensor(d.dtype, d.data, d.dims); }
    const out = await session.run(feeds);
    const got = out[data.output];
    const want = decode(sample.expected);
    exp.push(...floats(want.dtype, want.data));
    act.push(...floats(got.type, got.data));
  }
  await session.release?.();
  const m = measure(exp, act);
  print('repro: ' + "'" + data.node + "' (" + data.op + ') alone, ' + data.samples.length + ' sample(s), ' + m.elements + ' elements of ' + data.output);
  print('  max |Δ| ' + fmt(m.maxAbs) + ', SQNR ' + db(m.sqnrDb) + (m.nonFinite ? ', ' + m.nonFinite + ' NaN/Inf' : '') + ' vs the fp32 reference');
  if (data.recorded) print('  parity localize recorded on ' + data.backend + ': alone max |Δ| ' + fmt(data.recorded.isolated?.maxAbs ?? NaN) + ', SQNR ' + db(data.recorded.isolated?.sqnrDb ?? NaN) + '; in the graph SQNR ' + db(data.recorded.inGraph.sqnrDb));
  return m;
}
`;

/** The Node built-ins repro.mjs imports (kept out of this module's own import lines). */
const NODE_IMPORTS = [
  "import { readFileSync } from 'node:fs';",
  "import { createRequire } from 'node:module';",
  "import { dirname, join } from 'node:path';",
  "import { fileURLToPath, pathToFileURL } from 'node:url';",
];

/** repro.mjs: `node repro.mjs [node|web]` (default: the runtime localize used). */
export function reproMjs(defaultRuntime: 'node' | 'web', level: string): string {
  return `#!/usr/bin/env node
// One-node repro written by \`parity localize --repro\`. Runs repro.onnx on the recorded inputs of
// repro-data.json and prints max |Δ| and SQNR against the fp32 reference's output.
// Usage: node repro.mjs [node|web]   (node: onnxruntime-node; web: onnxruntime-web, wasm EP)
// Needs onnxruntime-node / onnxruntime-web where Node finds them (npm install in this folder,
// or run it from a project that has them).
${NODE_IMPORTS.join('\n')}
${CORE_JS}
const here = dirname(fileURLToPath(import.meta.url));
const runtime = process.argv[2] ?? '${defaultRuntime}';
const pkg = runtime === 'web' ? 'onnxruntime-web' : 'onnxruntime-node';
async function load(name) {
  try { return await import(name); } catch {}
  const req = createRequire(pathToFileURL(join(process.cwd(), 'noop.js')));
  return await import(pathToFileURL(req.resolve(name)).href);
}
const ort = await load(pkg).catch((e) => { console.error('cannot load ' + pkg + ': ' + e.message + ' (npm install ' + pkg + ')'); process.exit(2); });
const data = JSON.parse(readFileSync(join(here, 'repro-data.json'), 'utf8'));
const model = new Uint8Array(readFileSync(join(here, 'repro.onnx')));
const options = { graphOptimizationLevel: '${level}', executionProviders: [runtime === 'web' ? 'wasm' : 'cpu'] };
console.log('runtime: ' + pkg + ' (' + options.executionProviders[0] + ', optimization ${level})');
await runRepro(ort.default ?? ort, model, data, options, (line) => console.log(line));
`;
}

/**
 * repro.html: serve this folder over HTTP with onnxruntime-web next to it (the import map points
 * at ./node_modules/onnxruntime-web/dist/: \`npm install\` here, then any static server, e.g.
 * \`npx http-server\` or \`python3 -m http.server\`). \`?ep=webgpu\` picks the EP (default: the one
 * localize used, else wasm).
 */
export function reproHtml(defaultEp: string, level: string, title: string): string {
  const safe = title.replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>repro: ${safe}</title>
<script type="importmap">{ "imports": { "onnxruntime-web": "./node_modules/onnxruntime-web/dist/ort.all.min.mjs" } }</script>
</head><body>
<h1>repro: ${safe}</h1>
<p>Runs <code>repro.onnx</code> on the inputs in <code>repro-data.json</code> with onnxruntime-web and compares with the fp32 reference.
Serve this folder over HTTP after <code>npm install</code> here (see README.md); <code>?ep=wasm|webgpu|webgl</code> picks the execution provider.</p>
<pre id="out">running…</pre>
<script type="module">
import * as ort from 'onnxruntime-web';
${CORE_JS}
const out = document.getElementById('out');
const lines = [];
const print = (line) => { lines.push(line); out.textContent = lines.join('\\n'); };
try {
  ort.env.wasm.wasmPaths = new URL('./node_modules/onnxruntime-web/dist/', location.href).href;
  const ep = new URLSearchParams(location.search).get('ep') ?? '${defaultEp}';
  const [model, data] = await Promise.all([fetch('repro.onnx').then((r) => r.arrayBuffer()), fetch('repro-data.json').then((r) => r.json())]);
  print('runtime: onnxruntime-web ' + ort.env.versions.web + ' (' + ep + ', optimization ${level})');
  const m = await runRepro(ort, new Uint8Array(model), data, { graphOptimizationLevel: '${level}', executionProviders: [ep] }, print);
  window.reproResult = m;
} catch (e) {
  print('failed: ' + (e && e.message || e));
  window.reproResult = { error: String(e && e.message || e) };
}
</script>
</body></html>
`;
}
