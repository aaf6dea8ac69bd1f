/** The pure parts of localization: pairing, isolation graphs, conversion, verdicts, renderers. */
import { describe, expect, it } from 'vitest';
import { nodeOnlyImports } from './helpers/imports.ts';
import { tensor } from '../src/kernel/core/tensor.ts';
import { attr, makeInitializer, makeModel, makeNode, makeValueInfo } from '../src/kernel/onnx/builder.ts';
import { classify } from '../src/tools/localize/isolate.ts';
import { convertTensor } from '../src/tools/localize/convert.ts';
import { isolateGraph } from '../src/tools/localize/isolate-graph.ts';
import { parseLocalizeJson, renderLocalizeJson } from '../src/tools/localize/json.ts';
import { planRows } from '../src/tools/localize/pairing.ts';
import { detectPrecision } from '../src/tools/localize/precision.ts';
import { renderLocalizeHtml } from '../src/tools/localize/render-html.ts';
import { renderLocalizeText, visibleRows } from '../src/node/localize/render-text.ts';
import type { LocalizeReport, NodeRow, TensorError } from '../src/tools/localize/types.ts';

const f32 = (dims: number[], ...v: number[]) => tensor('float32', dims, Float32Array.from(v));
const scalar = (name: string, v: number) => makeInitializer(name, f32([], v));
const u8 = (name: string, v: number) => makeInitializer(name, tensor('uint8', [], Uint8Array.of(v)));

/** fp32: x → Relu 'relu' → r → MatMul 'mm' (w) → y. */
function reference() {
  return makeModel({
    nodes: [makeNode('Relu', ['x'], ['r'], {}, 'relu'), makeNode('MatMul', ['r', 'w'], ['y'], {}, 'mm')],
    inputs: [makeValueInfo('x', 'float32', [1, 2])],
    outputs: [makeValueInfo('y', 'float32', [1, 2])],
    initializers: [makeInitializer('w', f32([2, 2], 1, 2, 3, 4))],
  });
}

/** onnxruntime-style QDQ: r → Q → r_QuantizeLinear_Output → DQ → r_DequantizeLinear_Output → MatMul (DQ weight); the graph output y comes out of a DQ with the producer renamed y_QuantizeLinear_Input. */
function ortQdq() {
  return makeModel({
    nodes: [
      makeNode('Relu', ['x'], ['r'], {}, 'relu'),
      makeNode('QuantizeLinear', ['r', 'r_scale', 'r_zp'], ['r_QuantizeLinear_Output'], {}, 'r_QuantizeLinear'),
      makeNode('DequantizeLinear', ['r_QuantizeLinear_Output', 'r_scale', 'r_zp'], ['r_DequantizeLinear_Output'], {}, 'r_DequantizeLinear'),
      makeNode('DequantizeLinear', ['w_q', 'w_scale'], ['w_DequantizeLinear_Output'], {}, 'w_DequantizeLinear'),
      makeNode('MatMul', ['r_DequantizeLinear_Output', 'w_DequantizeLinear_Output'], ['y_QuantizeLinear_Input'], {}, 'mm'),
      makeNode('QuantizeLinear', ['y_QuantizeLinear_Input', 'y_scale', 'y_zp'], ['y_QuantizeLinear_Output'], {}, 'y_QuantizeLinear'),
      makeNode('DequantizeLinear', ['y_QuantizeLinear_Output', 'y_scale', 'y_zp'], ['y'], {}, 'y_DequantizeLinear'),
    ],
    inputs: [makeValueInfo('x', 'float32', [1, 2])],
    outputs: [makeValueInfo('y', 'float32', [1, 2])],
    initializers: [
      scalar('r_scale', 0.02),
      u8('r_zp', 0),
      scalar('w_scale', 0.05),
      scalar('y_scale', 0.1),
      u8('y_zp', 3),
      makeInitializer('w_q', tensor('int8', [2, 2], Int8Array.of(20, 40, 60, 80))),
    ],
  });
}

describe('pairing', () => {
  it('pairs by name, records the QDQ of a re-quantized tensor with its scale, and follows renamed graph outputs', () => {
    const rows = planRows(reference(), ortQdq());
    expect(rows.map((r) => [r.node, r.output, r.target])).toEqual([
      ['relu', 'r', 'r'],
      ['mm', 'y', 'y'],
    ]);
    expect(rows[0]!.qdq).toEqual({ tensor: 'r_DequantizeLinear_Output', quantizeNode: 'r_QuantizeLinear', scale: 0.019999999552965164, zeroPoint: 0 });
    expect(rows[1]!.qdq).toBeUndefined();
    expect(detectPrecision(ortQdq())).toBe('int8');
    expect(detectPrecision(reference())).toBe('fp32');
  });

  it('tries the renamed forms when the name is gone, else leaves the row unpaired', () => {
    const target = makeModel({
      nodes: [makeNode('Relu', ['x'], ['r_fp16'], {}, 'relu'), makeNode('Cast', ['r_fp16'], ['z'], { to: attr.int(1) }, 'cast')],
      inputs: [makeValueInfo('x', 'float32', [1, 2])],
      outputs: [makeValueInfo('z', 'float32', [1, 2])],
    });
    const rows = planRows(reference(), target);
    expect(rows[0]!.target).toBe('r_fp16');
    expect(rows[1]!.target).toBeUndefined();
    expect(rows[1]!.reason).toMatch(/no tensor of this name/);
  });
});

describe('isolation graph', () => {
  it('keeps the node with its Q/DQ and weight DQ, feeds the reference tensor, and takes constants from the target', () => {
    const iso = isolateGraph({
      target: ortQdq(),
      output: 'y',
      own: new Set(['y']),
      hasReference: (n) => ['x', 'r', 'y'].includes(n),
      dtypeOf: () => 'float32',
      rankOf: () => 2,
    });
    expect(iso.inputs).toEqual(['r']);
    expect(iso.nodes).toEqual(['r_QuantizeLinear', 'r_DequantizeLinear', 'w_DequantizeLinear', 'mm', 'y_QuantizeLinear', 'y_DequantizeLinear']);
    expect(iso.model.graph!.initializer.map((t) => t.name).sort()).toEqual(['r_scale', 'r_zp', 'w_q', 'w_scale', 'y_scale', 'y_zp']);
    expect(iso.model.graph!.output.map((v) => v.name)).toEqual(['y']);
  });

  it('refuses a region that never reaches a reference tensor within the node budget', () => {
    const nodes = Array.from({ length: 70 }, (_, i) => makeNode('Relu', [i === 0 ? 'x' : `t${i - 1}`], [`t${i}`], {}, `n${i}`));
    const model = makeModel({ nodes, inputs: [makeValueInfo('x', 'float32', [1])], outputs: [makeValueInfo('t69', 'float32', [1])] });
    expect(() => isolateGraph({ target: model, output: 't69', own: new Set(), hasReference: () => false, dtypeOf: () => 'float32', rankOf: () => 1 })).toThrow(
      /more than 64 nodes/,
    );
  });
});

describe('conversion and verdicts', () => {
  it('rounds float32 to float16 bits and back, and refuses integer re-typing', () => {
    const h = convertTensor(f32([3], 1, 65504, 1e6), 'float16');
    expect(Array.from(h.data as Uint16Array)).toEqual([0x3c00, 0x7bff, 0x7bff]);
    expect(Array.from(convertTensor(h, 'float32').data as Float32Array)).toEqual([1, 65504, 65504]);
    expect(() => convertTensor(tensor('int64', [1], BigInt64Array.of(1n)), 'float32', "'n'")).toThrow(/cannot feed 'n' \(int64\)/);
  });

  const err = (maxAbs: number, leaves: boolean): TensorError => ({
    elements: 4,
    maxAbs,
    meanAbs: maxAbs,
    cosine: 1,
    sqnrDb: 40,
    mismatchFraction: leaves ? 0.5 : 0,
    newNonFinite: 0,
    leaves,
  });
  it.each([
    [err(1, true), err(0.9, true), 'created'],
    [err(1, true), err(0.6, false), 'created'],
    [err(1, true), err(0.01, false), 'inherited'],
    [err(1, true), err(0.2, true), 'mixed'],
    [err(Infinity, true), err(Infinity, true), 'created'],
    [err(Infinity, true), err(3, false), 'inherited'],
  ])('in-graph %o, alone %o → %s', (inGraph, isolated, verdict) => {
    expect(classify(inGraph, isolated).verdict).toBe(verdict);
  });
});

function fakeReport(n: number, divergent: number): LocalizeReport {
  const rows: NodeRow[] = Array.from({ length: n }, (_, i) => ({
    index: i,
    node: `n${i}`,
    op: 'Relu',
    output: `t${i}`,
    targetTensor: `t${i}`,
    targetDtype: 'float32',
    refMaxAbs: 2,
    error: {
      elements: 8,
      maxAbs: i === divergent ? Infinity : 1e-6 * (i + 1),
      meanAbs: 1e-7,
      cosine: i === divergent ? NaN : 1,
      sqnrDb: 90,
      mismatchFraction: i === divergent ? 1 : 0,
      newNonFinite: i === divergent ? 8 : 0,
      leaves: i === divergent,
    },
    flags: i === divergent ? ['nonfinite-new', 'leaves-tolerance'] : [],
    flagged: i === divergent,
  }));
  return {
    schemaVersion: 1,
    createdAt: '2026-11-25T00:00:00.000Z',
    reference: { model: 'ref.onnx', backend: 'ort-node/cpu', graphOptimizationLevel: 'disabled', exposed: n, skipped: [] },
    target: { model: 'ref.fp16.onnx', backend: 'ort-node/cpu', graphOptimizationLevel: 'all', exposed: n, skipped: [], precision: 'fp16' },
    samples: 1,
    feedsSource: 'given <feeds>',
    tolerance: { atol: 2e-3, rtol: 1e-2, stat: 'elemwise' },
    maxMismatchFraction: 0,
    hazardThreshold: 32752,
    rows,
    firstDivergent: divergent,
    firstNonFinite: divergent,
    hazards: [],
    isolations: [],
    culprits: [],
    rejected: [],
    finalOutputs: [],
    flagged: true,
    verdict: {
      ok: false,
      exitCode: 1,
      headline: 'FAIL: 0 of 1 final output(s) pass fp16',
      counts: { outputs: 1, failing: 1, culprits: 0 },
      reasons: ['y: failed'],
      warnings: [],
    },
    headline: `first divergent node: 'n${divergent}' <Relu>`,
    notes: [],
    timings: {},
  };
}

describe('renderers', () => {
  it('collapses long runs of quiet rows around the divergent one, and marks it', () => {
    const r = fakeReport(40, 20);
    const show = visibleRows(r, false);
    expect(show.filter(Boolean).length).toBeLessThan(20);
    expect(show[20] && show[18] && show[22] && show[0] && show[39]).toBe(true);
    const text = renderLocalizeText(r);
    expect(text).toMatch(/▶ 20/);
    expect(text).toMatch(/rows within tolerance/);
    expect(renderLocalizeText(r, { allRows: true })).not.toMatch(/rows within tolerance/);
  });

  it('writes localize.json with non-finite numbers that parse back', () => {
    const r = fakeReport(3, 1);
    const back = parseLocalizeJson(renderLocalizeJson(r));
    expect(back.rows[1]!.error!.maxAbs).toBe(Infinity);
    expect(back.rows[1]!.error!.cosine).toBeNaN();
    expect(back.rows[1]!.node).toBe('n1');
  });

  it('renders a self-contained page with the per-node chart and escaped text', () => {
    const html = renderLocalizeHtml(fakeReport(5, 2));
    expect(html).toMatch(/<svg[^>]*aria-label="Max absolute error per node/);
    expect(html).toContain('first out of elementwise tolerance: n2'); // no culprit: the grey marker is labelled
    expect(html).not.toMatch(/<line class="first"[^>]*stroke="#[0-9a-f]{6}"/i); // grey, not red
    for (const col of ['maxAbs', 'cosine', 'SQNR', 'noise added', 'mismatch', 'max|ref|', 'flags']) expect(html).toContain(`<dt>${col}</dt>`);
    expect(html).not.toContain('SQNR drop');
    expect(html).toContain('given &lt;feeds&gt;');
    expect(html).not.toMatch(/<script|https?:\/\//);
  });
});

describe('localize.html agrees with its verdict', () => {
  it('marks the culprit (not the first node out of tolerance) in the headline, the chart and the table', () => {
    const r = fakeReport(6, 2);
    r.rows[4]!.addedNsr = 0.7;
    r.culprits = [
      {
        row: 4,
        kind: 'node',
        node: 'n4',
        op: 'Relu',
        output: 't4',
        inputSqnrDb: 40,
        outputSqnrDb: 1.4,
        sqnrDropDb: 38.6,
        isolation: 'created',
        addedNsr: 0.7,
        recoveredShare: 0.97,
        passesWhenFixed: true,
      },
    ];
    r.headline = "culprit: 'n4' (Relu)";
    const html = renderLocalizeHtml(r);
    expect(html).toContain('culprit: n4'); // chart marker
    expect(html).not.toContain('first out of elementwise tolerance: n2'); // grey marker unlabelled beside a culprit
    expect(html).toMatch(/<tr class="culprit">[^]*?<code>n4<\/code>/); // table row
    expect(html).toMatch(/class="banner bad">culprit: &#39;n4&#39;|class="banner bad">culprit: 'n4'/);
    expect(html).toContain('97.0%');
  });

  it('shows no red line or red row under a green verdict', () => {
    const r = fakeReport(5, 2);
    r.flagged = false;
    r.headline = 'outputs pass fp16: no culprit';
    const html = renderLocalizeHtml(r);
    expect(html).toContain('class="banner ok"');
    expect(html).not.toMatch(/<tr class="[^"]*culprit/);
    expect(html).not.toMatch(/class="culprit"/);
  });
});

describe('purity', () => {
  it('the localization core (src/tools/localize/index.ts) imports nothing Node-only', () => {
    expect(nodeOnlyImports('src/tools/localize/index.ts')).toEqual([]);
  });
});
