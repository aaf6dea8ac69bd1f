/**
 * Localization with the target side in headless Chromium (through the harness page) and the
 * reference kept in Node (fp32 on ort-node/cpu, recorded and replayed in the page): a planted
 * fp16 overflow (x·1000 squared, then scaled back) as its fp16 variant on ort-web/wasm and
 * ort-web/webgpu, identical models, and `parity localize --browser` end to end. WebGPU runs on
 * SwiftShader here (fallback adapter, no shader-f16): a tiny model and two samples.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeRegistry } from '../src/node/runtimes/node-registry.ts';
import type { Backend } from '../src/kernel/runtime/types.ts';
import type { BrowserEnvironment } from '../src/node/browser/browser-environment.ts';
import { localizeInBrowser, type BrowserLocalizeResult } from '../src/node/browser/localize-browser.ts';
import type { PageLocalizeBackend } from '../src/contract/localize-job.ts';
import { recordingBackend, replayBackend } from '../src/contract/recorded-backend.ts';
import { NO_OVERRIDES } from '../src/kernel/data/input-options.ts';
import { synthesizeDataset } from '../src/kernel/data/synthesize.ts';
import { localize } from '../src/tools/localize/localize.ts';
import type { LocalizeReport } from '../src/tools/localize/types.ts';
import { convertToFloat16 } from '../src/kernel/onnx/fp16.ts';
import { inspectModel } from '../src/kernel/onnx/inspect.ts';
import { decodeModel, encodeModel } from '../src/kernel/onnx/io.ts';
import { overflowModel } from './fixtures/localize/models.ts';
import { harnessEnvironment } from './helpers/browser.ts';
import { parity } from './helpers/cli.ts';

let env: BrowserEnvironment;
let cpu: Backend;
const ref = overflowModel();
const fp16 = (() => {
  const m = decodeModel(ref);
  convertToFloat16(m);
  return encodeModel(m);
})();
const feeds = synthesizeDataset(inspectModel(ref).inputs, NO_OVERRIDES, 2, 3).samples;
const rowOf = (r: LocalizeReport, node: string) => r.rows.find((x) => x.node === node)!;

/** Localizes `model` on `backend` in the page against the Node reference. */
const inPage = (model: Uint8Array, backend: PageLocalizeBackend, name = 'overflow.fp16.onnx'): Promise<BrowserLocalizeResult> =>
  localizeInBrowser({ browser: env, reference: { model: ref, name: 'overflow.onnx', backend: cpu }, target: { model, name, backend }, feeds });

beforeAll(async () => {
  env = harnessEnvironment('localize');
  cpu = await createNodeRegistry().get('ort-node/cpu');
}, 60_000);

afterAll(async () => {
  await env?.close();
});

describe('fp16 overflow, target on ort-web/wasm in the page', () => {
  let result: BrowserLocalizeResult;
  beforeAll(async () => {
    result = await inPage(fp16, 'ort-web/wasm');
  }, 90_000);

  it('keeps the reference in Node and names the squaring node as the first divergent node', () => {
    const { report } = result;
    expect(report.reference.backend).toBe('ort-node/cpu');
    expect(report.reference.graphOptimizationLevel).toBe('disabled');
    expect(report.target).toMatchObject({ backend: 'ort-web/wasm', precision: 'fp16', graphOptimizationLevel: 'all' });
    // wasm runs the unmarked fp16 graph in float32 (no float16 Mul kernel): the deployed outputs
    // pass, so no culprit is named; the marked rows still show where float16 would overflow.
    expect(report.flagged).toBe(false);
    const first = report.rows[report.firstDivergent!]!;
    expect(first.node).toBe('square');
    expect(first.flags).toEqual(expect.arrayContaining(['fp16-range', 'fp16-overflow', 'nonfinite-new', 'leaves-tolerance']));
    expect(first.error!.maxAbs).toBe(Infinity);
    expect(rowOf(report, 'scale').error!.leaves).toBe(false);
    expect(report.culprits).toEqual([]);
    expect(report.headline).toMatch(/^outputs pass fp16 .*: no culprit/);
    expect(report.notes.join('\n')).toMatch(/reference recorded in Node on ort-node\/cpu; target ran in the browser \(Chrom\w* \d+[\d.]*\) on ort-web\/wasm/);
  });

  it('flags the range hazard that still fits float16, and finds the overflow created at the node', () => {
    const { report } = result;
    const big = rowOf(report, 'big');
    expect(big.refMaxAbs).toBeGreaterThan(report.hazardThreshold);
    expect(big.flags).toContain('fp16-range');
    expect(big.error!.leaves).toBe(false);
    expect(report.hazards).toEqual(expect.arrayContaining([rowOf(report, 'square').index, big.index]));
    const iso = report.isolations.find((i) => i.node === 'square')!;
    expect(iso).toMatchObject({ verdict: 'created', nodes: ['square'], inputs: ['a'] });
    expect(iso.isolated!.newNonFinite).toBeGreaterThan(0);
  });

  it('gives the same table as localize() with ort-web/wasm in Node', async () => {
    const wasm = await createNodeRegistry().get('ort-web/wasm');
    const node = await localize({
      reference: { model: ref, name: 'overflow.onnx', backend: cpu },
      target: { model: fp16, name: 'overflow.fp16.onnx', backend: wasm },
      feeds,
    });
    const table = (r: LocalizeReport) => r.rows.map((x) => [x.node, x.flags, x.error!.maxAbs, x.error!.newNonFinite]);
    expect(table(result.report)).toEqual(table(node));
    expect(result.report.firstDivergent).toBe(node.firstDivergent);
  });
});

// JSEP (onnxruntime-web/all) runs fp16 graphs on an adapter without shader-f16 and returns zeros;
// the native EP (ort-web/webgpu) refuses them at load (see browser-backend-matrix.test.ts).
describe('fp16 overflow, target on ort-web/webgpu-jsep in the page', () => {
  let result: BrowserLocalizeResult;
  beforeAll(async () => {
    result = await inPage(fp16, 'ort-web/webgpu-jsep');
  }, 90_000);

  it("flags the reference's range hazards whatever the adapter", () => {
    const { report } = result;
    expect(report.target.backend).toBe('ort-web/webgpu-jsep');
    expect(report.hazards).toEqual(expect.arrayContaining([rowOf(report, 'square').index, rowOf(report, 'big').index]));
    expect(report.flagged).toBe(true);
  });

  it('localizes what this adapter does to float16: the overflow with shader-f16, zeros from the first fp16 node without', () => {
    const { report, facts } = result;
    if (facts['webgpu.shaderF16'] === true) {
      expect(report.rows[report.firstDivergent!]!.node).toBe('square');
      return;
    }
    // SwiftShader's fallback adapter has no shader-f16. ORT's WebGPU EP loads and runs the fp16
    // graph anyway, raises nothing, and every float16 node returns zeros: the first node that
    // computes in float16 is the first divergent one, and alone it makes the same error.
    expect(facts['webgpu.isFallbackAdapter']).toBe(true);
    expect(report.notes.join('\n')).toMatch(/WebGPU adapter google swiftshader \(fallback adapter: software\), shader-f16 no/);
    const first = report.rows[report.firstDivergent!]!;
    expect(first.node).toBe('scale');
    for (const r of report.rows) {
      expect(r.error!.cosine, r.node).toBe(0);
      expect(r.error!.maxAbs, r.node).toBe(r.refMaxAbs); // the target is all zeros
    }
    const iso = report.isolations.find((i) => i.node === 'scale')!;
    expect(iso.verdict).toBe('created');
    expect(iso.isolated!.cosine).toBe(0);
    expect(report.marking!.unmarkedVsReference.y).toBe(rowOf(report, 'normalize').refMaxAbs);
  });
});

describe('identical models in the page', () => {
  it.each(['ort-web/wasm', 'ort-web/webgpu'] as const)('flags no node on %s', async (backend) => {
    const { report } = await inPage(ref, backend, 'overflow.onnx');
    expect(report.target.precision).toBe('fp32');
    expect(report.flagged).toBe(false);
    expect(report.firstDivergent).toBeUndefined();
    expect(report.isolations).toEqual([]);
    for (const r of report.rows) expect(r.error!.leaves, r.node).toBe(false);
    expect(report.culprits).toEqual([]);
    expect(report.headline).toMatch(/^outputs pass fp32 .*: no culprit/);
  });
});

describe('the recorded reference and its checks', () => {
  it('replays only the recorded model and feeds', async () => {
    const rec = recordingBackend(cpu);
    const session = await rec.backend.load({ format: 'onnx', name: 'overflow.onnx', bytes: ref }, { graphOptimizationLevel: 'disabled' });
    const out = await session.run(feeds[0]!);
    await session.dispose();
    const replay = replayBackend(rec.recording());
    await expect(replay.load({ format: 'onnx', name: 'other.onnx', bytes: fp16 }, { graphOptimizationLevel: 'disabled' })).rejects.toThrow(
      /the model 'other.onnx' \(bytes\) differs from the recorded one/,
    );
    await expect(replay.load({ format: 'onnx', name: 'overflow.onnx', bytes: ref })).rejects.toThrow(
      /graph optimization level differs .*recorded disabled, asked all/,
    );
    const again = await replay.load({ format: 'onnx', name: 'overflow.onnx', bytes: ref }, { graphOptimizationLevel: 'disabled' });
    await expect(again.run(feeds[1]!)).rejects.toThrow(/the feeds of run 1 differ/);
    expect((await again.run(feeds[0]!)).y!.data).toEqual(out.y!.data);
    await expect(again.run(feeds[0]!)).rejects.toThrow(/run 2 was asked for, 1 were recorded/);
  });

  it('refuses a backend the page cannot localize on before starting anything', async () => {
    await expect(inPage(fp16, 'tfjs/webgpu' as PageLocalizeBackend)).rejects.toMatchObject({
      code: 'USAGE',
      message: expect.stringMatching(/expected one of ort-web\/wasm, ort-web\/webgl, ort-web\/webgpu/),
    });
  });
});

describe('parity localize --browser', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'parity-browser-localize-'));
    writeFileSync(join(dir, 'overflow.onnx'), ref);
    writeFileSync(join(dir, 'overflow.fp16.onnx'), fp16);
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('prints the per-node table with the target in headless Chromium and exits 0 (the deployed outputs pass)', () => {
    const r = parity([
      'localize',
      '--model',
      join(dir, 'overflow.onnx'),
      '--variant',
      join(dir, 'overflow.fp16.onnx'),
      '--browser',
      '--backend',
      'ort-web/wasm',
      '--samples',
      '2',
      '--out',
      join(dir, 'out'),
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/localize: browser: chromium \d+[\d.]* \(headless\), harness http:\/\/127\.0\.0\.1:\d+\//);
    expect(r.stdout).toMatch(/▶ 1 │ square/);
    expect(r.stdout).toContain('no culprit');
    expect(r.stdout).toMatch(/target ran in the browser .* on ort-web\/wasm through the harness page/);
  });

  it('says a browser backend needs --browser, and --browser needs a page backend', () => {
    const gpu = parity(['localize', '--model', join(dir, 'overflow.onnx'), '--backend', 'ort-web/webgpu', '--out', join(dir, 'x')]);
    expect(gpu.code).toBe(2);
    expect(gpu.stderr).toMatch(/--backend 'ort-web\/webgpu' runs only in the browser: add --browser/);
    const cpuInPage = parity(['localize', '--model', join(dir, 'overflow.onnx'), '--browser', '--backend', 'ort-node/cpu', '--out', join(dir, 'y')]);
    expect(cpuInPage.code).toBe(2);
    expect(cpuInPage.stderr).toMatch(
      /--backend 'ort-node\/cpu' with --browser: the harness page localizes on 'ort-web\/wasm', 'ort-web\/webgl', 'ort-web\/webgpu'/,
    );
  });
});
