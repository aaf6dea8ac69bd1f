/**
 * Inputs synthesized from a model's signature with a seed, so every target gets identical feeds.
 * Symbolic dims default to 1 unless `--shape` fixes them; each choice is noted so a failure can
 * say which input and dim to fix.
 */
import { ParityError } from '../core/errors.ts';
import { createRng, type Rng } from '../core/rng.ts';
import { allocate, elementCount, isFloat, type DType, type Tensor, type TensorMap, type TensorSpec } from '../core/tensor.ts';
import type { Dataset, SynthesisNote } from './dataset.ts';
import type { InputOverrides } from './input-options.ts';
import { assertValueFits, storeValue } from './fit-value.ts';

const DEFAULT_FLOAT_RANGE: [number, number] = [0, 1];
const DEFAULT_INT_RANGE: [number, number] = [0, 10];
/** Synthesized inputs beyond this are a typo (`--samples 99999999999`), not a plan: refused up front. */
const MAX_SYNTHESIZED_BYTES = 2 * 2 ** 30;

function resolveDims(spec: TensorSpec, o: InputOverrides): { dims: number[]; resolved: SynthesisNote['resolved'] } {
  const fixed = o.shapes[spec.name];
  if (fixed) {
    if (spec.dims.length && fixed.length !== spec.dims.length) {
      throw new ParityError(
        'USAGE',
        `--shape ${spec.name}=${fixed.join(',')} has rank ${fixed.length}; the model declares rank ${spec.dims.length} [${spec.dims.map((d) => d ?? '?').join(',')}]`,
      );
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

/** An integer input's `--range` must contain a whole number and stay inside the dtype. */
function checkIntRange(name: string, dtype: DType, [lo, hi]: [number, number]): void {
  const where = `--range ${name}=${lo},${hi}: input '${name}' is ${dtype}`;
  if (Math.ceil(lo) > Math.floor(hi)) throw new ParityError('USAGE', `${where} and the range holds no whole number; widen it`);
  assertValueFits(dtype, Math.ceil(lo), { code: 'USAGE', where });
  assertValueFits(dtype, Math.floor(hi), { code: 'USAGE', where });
}

function fill(dtype: DType, n: number, rng: Rng, range: [number, number] | undefined, value: number | undefined): Tensor['data'] {
  const data = allocate(dtype, n);
  const [lo, hi] = range ?? (isFloat(dtype) ? DEFAULT_FLOAT_RANGE : DEFAULT_INT_RANGE);
  for (let i = 0; i < n; i++) {
    const x = value ?? (isFloat(dtype) ? rng.uniform(lo, hi) : dtype === 'bool' ? rng.int(0, 2) : rng.int(Math.ceil(lo), Math.floor(hi) + (hi === lo ? 1 : 0)));
    storeValue(dtype, data, i, x);
  }
  return data;
}

export function synthesizeDataset(specs: readonly TensorSpec[], o: InputOverrides, samples: number, seed: number): Dataset {
  const rng = createRng(seed);
  const notes: SynthesisNote[] = [];
  const plans = specs.map((spec) => {
    if (spec.dtype === 'unknown') {
      throw new ParityError(
        'INPUT_SYNTHESIS',
        `input '${spec.name}' is not a tensor of a known type, so it cannot be synthesized; pass --data FILE with real inputs`,
      );
    }
    const { dims, resolved } = resolveDims(spec, o);
    const value = o.values[spec.name];
    const range = o.ranges[spec.name];
    if (value !== undefined)
      assertValueFits(spec.dtype, value, { code: 'USAGE', where: `--value ${spec.name}=${value}: input '${spec.name}' is ${spec.dtype}` });
    if (range && !isFloat(spec.dtype)) checkIntRange(spec.name, spec.dtype, range);
    notes.push({
      input: spec.name,
      dims,
      resolved,
      values: value !== undefined ? `constant ${value}` : `uniform [${(range ?? (isFloat(spec.dtype) ? DEFAULT_FLOAT_RANGE : DEFAULT_INT_RANGE)).join(', ')}]`,
    });
    return { spec, dtype: spec.dtype, dims, value, range };
  });
  const bytes = samples * plans.reduce((n, p) => n + elementCount(p.dims) * allocate(p.dtype, 0).BYTES_PER_ELEMENT, 0);
  if (!(bytes <= MAX_SYNTHESIZED_BYTES)) {
    const shapes = plans.map((p) => `${p.spec.name} [${p.dims.join(',')}]`).join(', ');
    throw new ParityError(
      'USAGE',
      `${samples} samples of ${shapes} would need ${(bytes / 2 ** 30).toFixed(1)} GiB of inputs (at most ${MAX_SYNTHESIZED_BYTES / 2 ** 30} GiB); lower --samples or the --shape dims`,
    );
  }
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
