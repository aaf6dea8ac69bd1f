/**
 * Calibration for `int8-static` (Node: runs onnxruntime-node). The calibration samples go through
 * the float32 model with the activations to quantize exposed as extra outputs; per tensor we keep
 * MinMax, or a histogram for Percentile / Entropy (a second pass over the data, with the
 * histogram range fixed by the first).
 */
import * as ort from 'onnxruntime-node';
import type { ModelProto } from 'onnx-buf';
import { ParityError, errorMessage } from '../../kernel/core/errors.ts';
import { allocate, type Tensor, type TensorMap } from '../../kernel/core/tensor.ts';
import { feedsToOrt } from '../../kernel/runtime/ort-tensors.ts';
import { encodeModel } from '../../kernel/onnx/io.ts';
import { Histogram, MinMax, entropyThreshold, percentileRange } from '../../tools/quantize/calib-stats.ts';
import { exposeForCalibration } from '../../tools/quantize/expose-bodies.ts';
import type { CalibrationMethod } from '../../tools/quantize/recipe.ts';
import type { TensorRange } from '../../tools/quantize/static-qdq.ts';
import { checkFeedsFit } from '../../tools/quantize/feeds-fit.ts';

export interface CalibrateOptions {
  /** Default `minmax`. */
  method?: CalibrationMethod;
  /** Percentile kept in range for `percentile`. Default 99.999. */
  percentile?: number;
  /** Samples per inference when the batch dimension is free. Default 16. */
  batchSize?: number;
}

export interface CalibrationResult {
  ranges: Map<string, TensorRange>;
  samples: number;
  /** Passes over the data (1 for minmax, 2 for histogram methods). */
  passes: number;
  /** Tensors without a range, and why (their nodes get int8 weights, float activations). Default none. */
  uncalibrated?: { name: string; reason: string }[];
  ms: number;
}

function concat(parts: readonly Tensor[]): Tensor {
  if (parts.length === 1) return parts[0]!;
  const first = parts[0]!;
  const per = first.data.length;
  const data = allocate(first.dtype, per * parts.length);
  parts.forEach((p, i) => (data as unknown as { set(a: ArrayLike<unknown>, o: number): void }).set(p.data as ArrayLike<unknown>, i * per));
  return { dtype: first.dtype, dims: [parts.length * first.dims[0]!, ...first.dims.slice(1)], data };
}

/** Groups samples into batches along axis 0 when every input has a free batch dimension. */
function batches(model: ModelProto, samples: readonly TensorMap[], size: number): TensorMap[] {
  const free = model.graph!.input.every((v) => {
    const d0 = v.type?.value.case === 'tensorType' ? v.type.value.value.shape?.dim[0] : undefined;
    return !d0 || d0.value.case !== 'dimValue';
  });
  const unit = samples.every((s) => Object.values(s).every((t) => t.dims[0] === 1));
  // Control flow may depend on the whole batch (an If on a mean): one sample per run keeps each sample's branch.
  const controlFlow = model.graph!.node.some((n) => n.opType === 'If' || n.opType === 'Loop' || n.opType === 'Scan');
  if (!free || !unit || size <= 1 || controlFlow) return [...samples];
  const out: TensorMap[] = [];
  for (let i = 0; i < samples.length; i += size) {
    const group = samples.slice(i, i + size);
    const feeds: TensorMap = {};
    for (const name of Object.keys(group[0]!)) feeds[name] = concat(group.map((s) => s[name]!));
    out.push(feeds);
  }
  return out;
}

/** MinMax ranges when every tensor to calibrate is a graph input: read the samples, run nothing. */
function inputRanges(tensors: readonly string[], samples: readonly TensorMap[], started: number): CalibrationResult {
  const ranges = new Map<string, TensorRange>();
  for (const t of tensors) {
    const m = new MinMax();
    for (const s of samples) m.add(s[t]!.data as Float32Array);
    ranges.set(t, m.range());
  }
  return { ranges, samples: samples.length, passes: 1, ms: performance.now() - started };
}

/**
 * Ranges of `tensors` (graph inputs, main-graph values, values inside If branches) over `samples`.
 * Tensors that cannot be exposed (inside Loop/Scan bodies) or that no sample produced (an If
 * branch never taken) get no range; `uncalibrated` says which and why.
 * @throws ParityError `INPUT_DATA` when the samples do not fit the model's inputs.
 */
export async function calibrateActivations(
  model: ModelProto,
  requested: readonly string[],
  samples: readonly TensorMap[],
  opts: CalibrateOptions = {},
): Promise<CalibrationResult> {
  const started = performance.now();
  let tensors = [...requested];
  if (samples.length === 0) throw new ParityError('INPUT_DATA', 'the calibration set is empty');
  checkFeedsFit(model, samples[0]!, 'calibration data');
  const inputs = new Set(model.graph!.input.map((v) => v.name));
  const wanted = tensors.filter((t) => !inputs.has(t));
  if (wanted.length === 0) return inputRanges(tensors, samples, started);
  const probe = exposeForCalibration(model, wanted);
  const uncalibrated = probe.notExposed.map((n) => ({ name: n.name, reason: `not exposable: ${n.reason}` }));
  const gone = new Set(uncalibrated.map((u) => u.name));
  tensors = tensors.filter((t) => !gone.has(t));
  const fetch = [...new Set(probe.fetch.values())];
  if (fetch.length === 0) return { ...inputRanges(tensors, samples, started), uncalibrated };
  const session = await ort.InferenceSession.create(encodeModel(probe.model), { logSeverityLevel: 3 });
  const data = batches(model, samples, opts.batchSize ?? 16);
  const pass = async (visit: (name: string, values: Float32Array) => void): Promise<void> => {
    for (const feeds of data) {
      let out: Record<string, ort.Tensor>;
      try {
        out = await session.run(feedsToOrt(ort.Tensor as never, feeds), fetch);
      } catch (e) {
        throw new ParityError(
          'INPUT_DATA',
          `calibration failed: running a calibration sample through the float32 model with ${fetch.length} activation(s) exposed failed, so the data does not fit the model (check shapes and dtypes against the model inputs); onnxruntime-node says: ${errorMessage(e)}`,
        );
      }
      for (const name of tensors) visit(name, (inputs.has(name) ? feeds[name]!.data : out[probe.fetch.get(name)!]!.data) as Float32Array);
      for (const t of Object.values(out)) t.dispose();
    }
  };
  try {
    const minmax = new Map(tensors.map((t) => [t, new MinMax()]));
    await pass((name, v) => minmax.get(name)!.add(v));
    for (const [t, m] of minmax) {
      if (Number.isFinite(m.lo)) continue;
      minmax.delete(t);
      uncalibrated.push({ name: t, reason: 'no calibration sample produced it (an If branch none of them took)' });
    }
    tensors = [...minmax.keys()];
    const method = opts.method ?? 'minmax';
    const ranges = new Map<string, TensorRange>();
    if (method === 'minmax') {
      for (const [t, m] of minmax) ranges.set(t, m.range());
      return { ranges, samples: samples.length, passes: 1, ms: performance.now() - started, uncalibrated };
    }
    const hists = new Map(
      tensors.map((t) => {
        const r = minmax.get(t)!.range();
        return [t, method === 'percentile' ? new Histogram(r.lo, r.hi, 8192) : new Histogram(0, Math.max(Math.abs(r.lo), Math.abs(r.hi)), 2048, true)];
      }),
    );
    await pass((name, v) => hists.get(name)!.add(v));
    for (const t of tensors) {
      const r = minmax.get(t)!.range();
      const h = hists.get(t)!;
      if (method === 'percentile') ranges.set(t, percentileRange(h, opts.percentile ?? 99.999));
      else {
        const thr = entropyThreshold(h);
        ranges.set(t, { lo: Math.max(r.lo, -thr), hi: Math.min(r.hi, thr) });
      }
    }
    return { ranges, samples: samples.length, passes: 2, ms: performance.now() - started, uncalibrated };
  } finally {
    await session.release();
  }
}
