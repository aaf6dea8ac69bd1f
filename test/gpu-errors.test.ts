/**
 * GPU errors and node placement as record data (src/kernel/runtime/gpu-errors.ts,
 * src/kernel/runtime/ort-placement.ts), on the messages the runtimes really print: Chromium's WGSL
 * error for f16 without shader-f16, the native WebGPU EP's GenerateSourceCode failure, and ORT's
 * verbose placement log; and the judge reading what the page recorded (the cause leads a failed
 * verdict, `computePrecision: 'fp16'` picks the fp16 tolerances). The browser run that produces
 * them is in browser-backend-matrix.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { dedupeErrors, gpuErrorCause, MAX_DISTINCT_ERRORS, withGpuErrors } from '../src/kernel/runtime/gpu-errors.ts';
import { fallbackNodes, parsePlacement, withPlacementLog } from '../src/kernel/runtime/ort-placement.ts';
import { judgeTarget } from '../src/kernel/judge/judge-target.ts';
import { SCHEMA_VERSION, type RunRecord } from '../src/kernel/core/record.ts';
import { encodeTensor } from '../src/kernel/core/tensor-codec.ts';

const WGSL = "WebGPU: Error while parsing WGSL: :8:71 error: 'f16' type used without 'f16' extension enabled";
const NATIVE =
  "load failed: Can't create a session. ERROR_CODE: 1, ERROR_MESSAGE: shader_helper.cc:416 GenerateSourceCode Program Transpose requires f16 but the device does not support it.";
const record = (status: RunRecord['status'], reason?: string): RunRecord => ({
  schemaVersion: SCHEMA_VERSION,
  target: { id: 'm:fp16@ort-web/webgpu/browser', model: 'm', variant: 'fp16', backend: 'ort-web/webgpu', environment: 'browser' },
  status,
  ...(reason ? { reason } : {}),
  facts: { 'webgpu.shaderF16': false },
  startedAt: '2026-12-01T00:00:00Z',
});

describe('GPU errors in the record', () => {
  it('counts each distinct message once, strips ORT colours and caps the list', () => {
    expect(dedupeErrors([WGSL, 'x', WGSL, '\u001b[1;31mx\u001b[m'])).toEqual([
      { message: WGSL, count: 2 },
      { message: 'x', count: 2 },
    ]);
    const many = dedupeErrors(Array.from({ length: MAX_DISTINCT_ERRORS + 5 }, (_, i) => `e${i}`));
    expect(many).toHaveLength(MAX_DISTINCT_ERRORS + 1);
    expect(many.at(-1)).toEqual({ message: '… 5 more distinct messages', count: 5 });
  });

  it('names the cause of the JSEP zeros: an ok record keeps its status and gains the errors and cause', () => {
    const r = withGpuErrors(record('ok'), [WGSL, WGSL, WGSL]);
    expect(r.status).toBe('ok');
    expect(r.facts.gpuErrors).toEqual([{ message: WGSL, count: 3 }]);
    expect(r.facts.gpuErrorCause).toBe('fp16 shaders on an adapter without shader-f16');
  });

  it("puts the cause first in a failed record's reason (the native EP throws)", () => {
    const r = withGpuErrors(record('error', NATIVE), []);
    expect(r.reason).toBe(`fp16 shaders on an adapter without shader-f16: ${NATIVE}`);
    expect(r.facts.gpuErrors).toBeUndefined();
    // The same message on an adapter with shader-f16 is not blamed on it.
    const withF16 = { ...record('error', NATIVE), facts: { 'webgpu.shaderF16': true } };
    expect(gpuErrorCause([NATIVE], { ...withF16.facts, variant: 'fp16' })).toBeUndefined();
    expect(withGpuErrors(withF16, [])).toBe(withF16);
  });
});

describe('ORT node placement', () => {
  const log = [
    '2026-12-01 22:34:36.750478 [V:onnxruntime:, session_state.cc:1377 VerifyEachNodeIsAssignedToAnEp] Node placements',
    '2026-12-01 22:34:36.751478 [V:onnxruntime:, session_state.cc:1383 VerifyEachNodeIsAssignedToAnEp]  Node(s) placed on [JsExecutionProvider]. Number of nodes: 2',
    '2026-12-01 22:34:36.752289 [V:onnxruntime:, session_state.cc:1385 VerifyEachNodeIsAssignedToAnEp]   Cast (conv1_Cast)',
    '2026-12-01 22:34:36.752933 [V:onnxruntime:, session_state.cc:1385 VerifyEachNodeIsAssignedToAnEp]   Mul (conv1_scale_Mul)',
    '2026-12-01 22:34:36.751478 [V:onnxruntime:, session_state.cc:1383 VerifyEachNodeIsAssignedToAnEp]  Node(s) placed on [CPUExecutionProvider]. Number of nodes: 1',
    '2026-12-01 22:34:36.752289 [V:onnxruntime:, session_state.cc:1385 VerifyEachNodeIsAssignedToAnEp]   DynamicQuantizeLinear (conv1_quant)',
    '2026-12-01 22:34:36.760000 [V:onnxruntime:, sequential_executor.cc:1 Execute] unrelated (line)',
  ];

  it('reads which EP each node was placed on and lists those off the requested EP', () => {
    const p = parsePlacement(log)!;
    expect(p.JsExecutionProvider).toEqual({
      count: 2,
      nodes: [
        { op: 'Cast', node: 'conv1_Cast' },
        { op: 'Mul', node: 'conv1_scale_Mul' },
      ],
    });
    expect(fallbackNodes(p, ['JsExecutionProvider'])).toEqual([{ node: 'conv1_quant', op: 'DynamicQuantizeLinear', ep: 'CPUExecutionProvider' }]);
    expect(
      parsePlacement([
        '[V:onnxruntime:, x] All nodes placed on [JsExecutionProvider]. Number of nodes: 157'.replace(
          'x]',
          'session_state.cc:1380 VerifyEachNodeIsAssignedToAnEp]',
        ),
      ]),
    ).toEqual({ JsExecutionProvider: { count: 157, nodes: [] } });
    expect(parsePlacement(['no placement here'])).toBeUndefined();
  });

  it('adds placement and fallback nodes to a record that names its EP, and leaves others alone', () => {
    const r = withPlacementLog({ facts: { executionProvider: 'webgpu' } }, log);
    expect(r.facts).toEqual({
      executionProvider: 'webgpu',
      placementSource: 'log',
      placement: { JsExecutionProvider: 2, CPUExecutionProvider: 1 },
      fallbackNodes: [{ node: 'conv1_quant', op: 'DynamicQuantizeLinear', ep: 'CPUExecutionProvider' }],
    });
    const plain = { facts: { library: 'onnxruntime-web' } };
    expect(withPlacementLog(plain, log)).toBe(plain);
  });
});

describe('the judge reads what the page recorded', () => {
  const probs = (values: number[]) => ({ probs: [encodeTensor({ dtype: 'float32', dims: [1, values.length], data: Float32Array.from(values) })] });
  const reference: RunRecord = {
    ...record('ok'),
    target: { ...record('ok').target, id: 'm:fp32@ort-node/cpu', variant: 'fp32', backend: 'ort-node/cpu', environment: 'node' },
    outputs: probs([0.7, 0.2, 0.1]),
  };

  it("leads a failed verdict's reason with the recorded GPU cause", () => {
    const zeros = withGpuErrors({ ...record('ok'), outputs: probs([0, 0, 0]) }, [WGSL]);
    const v = judgeTarget({ reference, target: zeros });
    expect(v.status).toBe('failed');
    expect(v.reason).toMatch(/^fp16 shaders on an adapter without shader-f16: probs\b/);
  });

  it('judges a backend that records computePrecision fp16 with the fp16 tolerances', () => {
    const target = (facts: Record<string, unknown>): RunRecord => ({
      ...record('ok'),
      target: { ...record('ok').target, id: 'm:fp32@tfjs/webgl-f16/browser', variant: 'fp32', backend: 'tfjs/webgl-f16' },
      facts,
      // ~43 dB from the reference: below fp32's collapse floor (60 dB), well inside fp16's (15 dB)
      outputs: probs([0.703, 0.198, 0.099]),
    });
    const f16 = judgeTarget({ reference, target: target({ computePrecision: 'fp16' }) });
    expect(f16.precision).toBe('fp16');
    expect(f16.status, f16.reason).toBe('passed');
    const plain = judgeTarget({ reference, target: target({}) });
    expect(plain.precision).toBe('fp32');
    expect(plain.status).toBe('failed');
  });
});
