/**
 * Comparisons that compare nothing get named (issue 16): degenerate reference outputs (near-zero,
 * near-constant, sample-invariant, one class for every sample), implausible inputs (MNIST with H
 * and W swapped, on the real model and runtimes), and the fp32 self-noise floor beside each error.
 */
import { describe, expect, it } from 'vitest';
import { degenerateWarnings } from '../src/kernel/judge/degenerate.ts';
import { judgeRun } from '../src/kernel/judge/judge.ts';
import { noiseFloorFor } from '../src/kernel/judge/noise-floor.ts';
import type { BackendId } from '../src/kernel/core/ids.ts';
import type { VariantName } from '../src/kernel/core/record.ts';
import { createRng } from '../src/kernel/core/rng.ts';
import { renderConsoleTable } from '../src/node/report/console.ts';
import { renderHtml } from '../src/kernel/render/html.ts';
import { renderJunit } from '../src/kernel/render/junit.ts';
import { renderMarkdown } from '../src/kernel/render/markdown.ts';
import type { Tensor } from '../src/kernel/core/tensor.ts';
import { makeRecord, mnistOnnx, mnistTest, onnxSource, runSamples, transposeHW } from './helpers/compare-corpus.ts';

const t = (data: Float32Array, dims = [1, data.length]): Tensor => ({ dtype: 'float32', dims, data });

/** Samples of one output, each `per` values from `f(sample, index)`. */
function samples(count: number, per: number, f: (s: number, i: number) => number, dims = [1, per]): Tensor[] {
  return Array.from({ length: count }, (_, s) =>
    t(
      Float32Array.from({ length: per }, (_, i) => f(s, i)),
      dims,
    ),
  );
}

function record(variant: VariantName, backend: BackendId, outputs: Record<string, Tensor[]>) {
  return makeRecord('det', variant, backend, outputs);
}

describe('degenerate reference outputs', () => {
  it('a detector map ~1e-7 everywhere: every target passes only with a warning naming the output and advising --data', () => {
    const rng = createRng(1);
    const ref = samples(4, 4096, () => 1e-7 * rng.next(), [1, 1, 64, 64]);
    const noisy = (scale: number) =>
      ref.map((x) =>
        t(
          Float32Array.from(x.data as Float32Array, (v) => Math.abs(v + scale * rng.normal())),
          [...x.dims],
        ),
      );
    const report = judgeRun({
      records: [
        record('fp32', 'ort-node/cpu', { maps: ref }),
        record('fp32', 'ort-web/wasm', { maps: noisy(5e-8) }),
        record('int8-dynamic', 'ort-node/cpu', { maps: noisy(1e-4) }),
      ],
      references: { det: 'det:fp32@ort-node/cpu/node' },
    });
    const [reference, fp32, int8] = report.targets;
    expect(int8!.outputs.maps!.sqnrDb).toBeLessThan(-50); // the "pass at −64 dB"
    expect(fp32!.outputs.maps!.cosine).toBeLessThan(0.99);
    for (const v of [reference!, fp32!, int8!]) {
      expect(v.status, v.reason).toBe('passed');
      expect(v.warnings).toEqual([
        expect.stringMatching(
          /^output 'maps': the reference is near-zero on these 4 input samples \(RMS 5\.\de-8 over 16384 elements\): cosine and SQNR of near-zero vectors are meaningless.*--data/,
        ),
        // Inferred a score map (one channel in [0,1]) whose every pixel is below the threshold (issue 20).
        expect.stringMatching(/^output 'maps' \(score-map\): every one of the 16384 reference decisions is negative at threshold 0\.5/),
      ]);
    }
    expect(report.verdict.counts.warn).toBe(3);
    expect(report.verdict.headline).toMatch(/3 passed with warnings/);
    // Every report shows the status and the warning itself.
    const text = /the reference is near-zero on these 4 input samples/;
    const consoleOut = renderConsoleTable(report, { color: false });
    expect(consoleOut).toMatch(/passed \(warnings\)/);
    // A warning shared by several targets is printed once, naming them.
    expect(consoleOut).toMatch(new RegExp(`warning 3 targets \\([^)]*\\): output 'maps': ${text.source}`));
    expect(renderMarkdown(report)).toMatch(
      new RegExp(`\\*\\*Warnings\\*\\*[\\s\\S]*- \`det:int8-dynamic@ort-node/cpu/node\` ⚠️ 2 warnings\\n  - output 'maps': ${text.source}`),
    );
    expect(renderHtml(report)).toMatch(new RegExp(`<div class="warn">warning: output &#39;maps&#39;: ${text.source}`));
    expect(renderJunit(report)).toMatch(
      new RegExp(`<testcase name="det:int8-dynamic@ort-node/cpu/node"[^>]*>\\s*<system-out>warning: output &apos;maps&apos;: ${text.source}`),
    );
  });

  it('near-constant, sample-invariant and single-class outputs are named; a working classifier is not', () => {
    const constant = {
      data: new Float32Array(300).fill(0.5),
      sampleDims: [
        [1, 100],
        [1, 100],
        [1, 100],
      ],
    };
    expect(degenerateWarnings('y', constant)).toEqual([expect.stringMatching(/^output 'y': the reference is near-constant .*every element ≈ 0\.5/)]);
    const same = {
      data: Float32Array.from({ length: 300 }, (_, i) => Math.sin(i % 100)),
      sampleDims: [
        [1, 100],
        [1, 100],
        [1, 100],
      ],
    };
    expect(degenerateWarnings('y', same)).toEqual([expect.stringMatching(/the reference output is the same for all 3 samples/)]);
    const rng = createRng(2);
    const oneClass = {
      data: Float32Array.from({ length: 80 }, (_, i) => (i % 10 === 3 ? 5 : 0) + rng.next()),
      sampleDims: Array.from({ length: 8 }, () => [1, 10]),
    };
    expect(degenerateWarnings('probs', oneClass, 10)).toEqual([expect.stringMatching(/every one of the 8 samples gives the same class \(3\)/)]);
    const varied = {
      data: Float32Array.from({ length: 80 }, (_, i) => (i % 10 === Math.floor(i / 10) % 10 ? 5 : 0) + rng.next()),
      sampleDims: Array.from({ length: 8 }, () => [1, 10]),
    };
    expect(degenerateWarnings('probs', varied, 10)).toEqual([]);
  });
});

describe('input plausibility on the real mnist-cnn (ort-node/cpu vs ort-web/wasm)', () => {
  const N = 200;
  const { images, labels } = mnistTest(N);
  const judge = async (feeds: Tensor[], accept = false) => {
    const model = onnxSource('mnist-cnn', mnistOnnx());
    const ref = await runSamples('ort-node/cpu', model, feeds);
    const web = await runSamples('ort-web/wasm', model, feeds);
    return judgeRun({
      ...(accept ? { acceptImplausibleReference: { 'mnist-cnn': true } } : {}),
      records: [makeRecord('mnist-cnn', 'fp32', 'ort-node/cpu', ref), makeRecord('mnist-cnn', 'fp32', 'ort-web/wasm', web)],
      references: { 'mnist-cnn': 'mnist-cnn:fp32@ort-node/cpu/node' },
      labels: { 'mnist-cnn': labels },
      classifierOutputs: { 'mnist-cnn': 'probs' },
      expectedAccuracy: { 'mnist-cnn': 0.974 },
      inputNames: { 'mnist-cnn': ['image'] },
    });
  };

  it('H and W swapped: every backend agrees, the reference scores far below 97.4%, every target says so, and the run fails (exit 1) unless accepted', async () => {
    const swapped = images.map(transposeHW);
    const report = await judge(swapped);
    const [ref, web] = report.targets;
    expect(ref!.task!.accuracy).toBeLessThan(0.6);
    expect(web!.status).toBe('passed');
    // Since issue 20 an implausible reference fails the run instead of "PASS (warnings)".
    expect(ref!.status).toBe('failed');
    expect(ref!.reason).toMatch(/^implausible reference: inputs look wrong for mnist-cnn: .*set acceptImplausibleReference: true/);
    expect(report.verdict.exitCode).toBe(1);
    const accepted = await judge(swapped, true);
    expect(accepted.targets[0]!.status).toBe('passed');
    expect(accepted.verdict.exitCode).toBe(0);
    for (const v of [ref!, web!]) {
      expect(v.warnings).toEqual([
        expect.stringMatching(
          /^inputs look wrong for mnist-cnn: the reference scores [\d.]+% \(95% CI [\d.]+%–[\d.]+%, 200 labelled samples\) on output 'probs' against its documented 97\.4%; check input 'image' for layout \(NCHW vs NHWC, H and W swapped\), scale \(0–255 vs 0–1/,
        ),
      ]);
    }
  }, 120_000);

  it('the right inputs: no warning (no false alarm)', async () => {
    const report = await judge(images);
    expect(report.targets[0]!.task!.accuracy).toBeGreaterThan(0.9);
    for (const v of report.targets) expect(v.warnings, v.warnings?.join('\n')).toBeUndefined();
    expect(report.verdict.headline).toMatch(/^PASS: 2 passed$/);
  }, 120_000);
});

describe('self-noise floor', () => {
  it("each target reports the best other fp32 backend's error beside its own", () => {
    const ref = samples(2, 50, (s, i) => Math.sin(s + i));
    const shift = (d: number) =>
      ref.map((x) =>
        t(
          Float32Array.from(x.data as Float32Array, (v) => v + d),
          [...x.dims],
        ),
      );
    const report = judgeRun({
      records: [
        record('fp32', 'ort-node/cpu', { y: ref }),
        record('fp32', 'ort-web/wasm', { y: shift(1e-7) }),
        record('fp32', 'tfjs/cpu', { y: shift(1e-6) }),
        record('fp16', 'ort-node/cpu', { y: shift(1e-3) }),
      ],
      references: { det: 'det:fp32@ort-node/cpu/node' },
    });
    const byId = (id: string) => report.targets.find((v) => v.id === id)!;
    expect(byId('det:fp32@ort-node/cpu/node').outputs.y!.noiseFloor).toBeUndefined();
    expect(byId('det:fp16@ort-node/cpu/node').outputs.y!.noiseFloor).toMatchObject({ from: 'det:fp32@ort-web/wasm/node' });
    expect(byId('det:fp16@ort-node/cpu/node').outputs.y!.noiseFloor!.maxAbs).toBeLessThan(2e-7);
    expect(byId('det:fp16@ort-node/cpu/node').outputs.y!.noiseFloor!.sqnrDb).toBeGreaterThan(130);
    // The best fp32 target is measured against the next best, never against itself.
    expect(byId('det:fp32@ort-web/wasm/node').outputs.y!.noiseFloor!.from).toBe('det:fp32@tfjs/cpu/node');
    expect(
      noiseFloorFor(
        report.targets.filter((v) => v.backend !== 'tfjs/cpu'),
        'det:fp32@ort-web/wasm/node',
      ),
    ).toEqual({});
  });
});

describe('thin coverage', () => {
  it('a variant that compressed under 5% of the weight bytes passes only with a warning; a real one without', () => {
    const out = samples(4, 16, (s, i) => Math.sin(s + i));
    const ref = record('fp32', 'ort-node/cpu', { y: out });
    const judge = (lowPrecision: number) => {
      const target = record('int4-weight', 'ort-node/cpu', { y: out });
      target.target = { ...target.target, id: `det:int4-weight@ort-node/cpu:${lowPrecision}` };
      target.facts = {
        variantRecipe: { text: 'int4-weight', coverage: { nodes: { quantized: 1, eligible: 1 }, weightBytes: { lowPrecision, total: 10_000 } } },
      };
      return judgeRun({ records: [ref, target], references: { det: ref.target.id } }).targets[1]!;
    };
    const thin = judge(30);
    expect(thin.status).toBe('passed');
    expect(thin.warnings?.join('\n')).toMatch(/int4-weight compressed only 0\.3% of the weight bytes \(1\/1 nodes\)/);
    expect(judge(9_000).warnings ?? []).toEqual([]);
  });
});
