/**
 * `parity localize --repro DIR`: the top culprit alone, as one attaches it to an upstream runtime
 * issue. {@link reproFiles} turns the {@link ReproMaterial} localize hands out into the files:
 *
 * - `repro.onnx`: the one-node model in the target's form (`isolate-graph.ts`);
 * - `repro-data.json`: the reference's values of its inputs (in the target's element types) and
 *   the fp32 reference's expected output, per sample (tensors as base64, exact), with the numbers
 *   localize measured;
 * - `repro.mjs` (Node) and `repro.html` (browser): run it and print max |Δ| and SQNR
 *   (`repro-scripts.ts`);
 * - `package.json` (onnxruntime-node and onnxruntime-web at the versions localize ran) and
 *   `README.md` (how to run both).
 * Pure: returns names and contents; node-io.ts writes them.
 */
import { encodeTensor } from '../../kernel/core/tensor-codec.ts';
import { reproHtml, reproMjs } from './repro-scripts.ts';
import type { ReproMaterial } from './types.ts';

/** Samples written at most (the first ones): enough to show the divergence, small enough to attach. */
export const MAX_REPRO_SAMPLES = 4;

export interface ReproVersions {
  /** onnxruntime-node version for package.json. Default `*`. */
  node?: string;
  /** onnxruntime-web version. Default `*`. */
  web?: string;
}

const pick = (e: ReproMaterial['inGraph'] | undefined) => (e ? { maxAbs: e.maxAbs, sqnrDb: e.sqnrDb, elements: e.elements } : undefined);
const safe = (x: unknown) => JSON.stringify(x, (_, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v), 2);

/** The repro folder's files, by name. */
export function reproFiles(m: ReproMaterial, versions: ReproVersions = {}): Record<string, Uint8Array | string> {
  const web = m.backend.startsWith('ort-web/');
  const ep = web ? m.backend.slice('ort-web/'.length) : 'wasm';
  const n = Math.min(MAX_REPRO_SAMPLES, m.inputs.length);
  const data = {
    node: m.node,
    op: m.op,
    output: m.output,
    backend: m.backend,
    precision: m.precision,
    graphOptimizationLevel: m.graphOptimizationLevel,
    recorded: { inGraph: pick(m.inGraph), isolated: pick(m.isolated) },
    samples: m.inputs.slice(0, n).map((inputs, s) => ({
      inputs: Object.fromEntries(Object.entries(inputs).map(([k, t]) => [k, encodeTensor(t)])),
      expected: encodeTensor(m.expected[s]!),
    })),
  };
  const title = `'${m.node}' (${m.op}) on ${m.backend}`;
  const readme = `# repro: ${title}

Written by \`parity localize --repro\`: the node that creates the ${m.precision} divergence, alone, in the
target's form, with the reference's values of its inputs and the fp32 reference's expected output
(${n} sample(s)). Localize measured it alone at SQNR ${m.isolated ? m.isolated.sqnrDb.toFixed(1) : '?'} dB
(in the graph ${m.inGraph.sqnrDb.toFixed(1)} dB).

    npm install              # onnxruntime-node and onnxruntime-web, the versions localize ran
    node repro.mjs           # ${web ? 'onnxruntime-web (wasm EP) in Node' : 'onnxruntime-node (cpu EP)'}
    node repro.mjs ${web ? 'node   # onnxruntime-node instead' : 'web    # onnxruntime-web (wasm EP) in Node instead'}

Browser: serve this folder over HTTP after \`npm install\` (repro.html loads
\`./node_modules/onnxruntime-web/dist/ort.all.min.mjs\` through an import map), e.g.
\`npx http-server .\` or \`python3 -m http.server\`, then open \`repro.html?ep=${ep}\` (\`ep\`: wasm, webgpu, webgl).
The page prints the same two numbers.
`;
  const pkg = {
    name: 'parity-repro',
    private: true,
    type: 'module',
    dependencies: { 'onnxruntime-node': versions.node ?? '*', 'onnxruntime-web': versions.web ?? '*' },
  };
  return {
    'repro.onnx': m.model,
    'repro-data.json': `${safe(data)}\n`,
    'repro.mjs': reproMjs(web ? 'web' : 'node', m.graphOptimizationLevel),
    'repro.html': reproHtml(ep, m.graphOptimizationLevel, title),
    'package.json': `${JSON.stringify(pkg, null, 2)}\n`,
    'README.md': readme,
  };
}
