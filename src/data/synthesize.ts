/**
 * Inputs synthesized from a model's signature with a seed, so every target gets identical feeds.
 * Symbolic dims default to 1 unless `--shape` fixes them; each choice is noted so a failure can
 * say which input and dim to fix.
 */
import { ParityError } from '../core/errors.ts';
import { createRng, type Rng } from '../core/rng.ts';
import { allocate, elementCount, isFloat, type DType, type Tensor, type TensorMap, type TensorSpec } from '../core/tensor.ts';
import { numberToF16Bits } from '../core/float16.ts';
import type { Dataset, SynthesisNote } from './dataset.ts';
import type { InputOverrides } from './input-options.ts';

const DEFAULT_FLOAT_RANGE: [number, number] = [0, 1];
const DEFAULT_INT_RANGE: [number, number] = [0, 10];

function resolveDims(spec: TensorSpec, o: InputOverrides): { dims: number[]; resolved: SynthesisNote['resolved'] } {
  const fixed = o.shapes[spec.name];
  if (fixed) {
    if (spec.dims.length && fixed.length !== spec.dims.length) {
      throw new ParityError('USAGE', `--shape ${spec.name}=${fixed.join(',')} has rank ${fixed.length}; the model declares rank ${spec.dims.length} [${spec.dims.map((d) => d ?? '?').join(',')}]`);
    }
    spec.dims.forEach((d, i) => {
      if (typeof d === 'number' && d !== fixed[i]) {
        throw new ParityError('USAGE', `--shape ${spec.name}: axis ${i} is fixed to ${d} by the model, got ${fixed[i]}`);
      }
    });
    const resolved = spec.dims.flatMap((d, axis) => (typeof d === 'number' ? [] : [{ axis, symbol: d ?? '?', value: fixed[axis]!, fromUser: true }]));
    return { dims: fixed, resolved };
  }
  const resolved: SynthesisNote['resolved'] = [];
  const dims = spec.dims.map((d, axis) => {
    if (typeof d === 'number') return d;
    resolved.push({ axis, symbol: d ?? '?', value: 1, fromUser: false });
    return 1;
  });
  return { dims, resolved };
}

function fill(dtype: DType, n: number, rng: Rng, range: [number, number] | undefined, value: number | undefined): Tensor['data'] {
  const data = allocate(dtype, n);
  const [lo, hi] = range ?? (isFloat(dtype) ? DEFAULT_FLOAT_RANGE : DEFAULT_INT_RANGE);
  for (let i = 0; i < n; i++) {
    const x = value ?? (isFloat(dtype) ? rng.uniform(lo, hi) : dtype === 'bool' ? rng.int(0, 2) : rng.int(Math.ceil(lo), Math.floor(hi) + (hi === lo ? 1 : 0)));
    if (dtype === 'int64') (data as BigInt64Array)[i] = BigInt(Math.trunc(x));
    else if (dtype === 'float16') (data as Uint16Array)[i] = numberToF16Bits(x);
    else (data as Float32Array)[i] = x;
  }
  return data;
}

export function synthesizeDataset(specs: readonly TensorSpec[], o: InputOverrides, samples: number, seed: number): Dataset {
  const rng = createRng(seed);
  const notes: SynthesisNote[] = [];
  const plans = specs.map((spec) => {
    if (spec.dtype === 'unknown') {
      throw new ParityError('INPUT_SYNTHESIS', `input '${spec.name}' is not a tensor of a known type, so it cannot be synthesized; pass --data FILE with real inputs`);
    }
    const { dims, resolved } = resolveDims(spec, o);
    const value = o.values[spec.name];
    const range = o.ranges[spec.name];
    notes.push({
      input: spec.name,
      dims,
      resolved,
      values: value !== undefined ? `constant ${value}` : `uniform [${(range ?? (isFloat(spec.dtype) ? DEFAULT_FLOAT_RANGE : DEFAULT_INT_RANGE)).join(', ')}]`,
    });
    return { spec, dtype: spec.dtype, dims, value, range };
  });
  const out: TensorMap[] = [];
  for (let s = 0; s < samples; s++) {
    const feeds: TensorMap = {};
    for (const p of plans) feeds[p.spec.name] = { dtype: p.dtype, dims: p.dims, data: fill(p.dtype, elementCount(p.dims), rng, p.range, p.value) };
    out.push(feeds);
  }
  return { source: `synthesized from the signature (seed ${seed})`, samples: out, notes };
}

/** Explains a failure on synthesized inputs: which input had which dims, and the flag to fix it. */
export function explainSynthesisFailure(notes: readonly SynthesisNote[], cause: string): string {
  const lines = notes.map((n) => {
    const guessed = n.resolved.filter((r) => !r.fromUser);
    const dimsText = `[${n.dims.join(',')}]`;
    const hint = guessed.length
      ? ` — symbolic dim${guessed.length > 1 ? 's' : ''} ${guessed.map((g) => `'${g.symbol}' (axis ${g.axis})`).join(', ')} resolved to 1; fix with --shape ${n.input}=${n.dims.map((d, i) => (guessed.some((g) => g.axis === i) ? `<${guessed.find((g) => g.axis === i)!.symbol}>` : d)).join(',')}`
      : '';
    return `  input '${n.input}': dims ${dimsText}, values ${n.values}${hint}`;
  });
  return `the model failed on synthesized inputs: ${cause}\n${lines.join('\n')}\n  use --shape NAME=dims, --range NAME=lo,hi, --value NAME=x or --data FILE to give realistic inputs`;
}
