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
import { capText } from '../core/cap-text.ts';

/** A runtime's complaint about an element type ("must be int32, but was float32", "expected int64"). */
const DTYPE_CAUSE = /\bdtype\b|must be (int|float|bool)|but was (int|float|bool)|data type/i;
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

/** The ids the graph says an integer input indexes (no user --range or --value): the default range. */
function validRange(spec: TensorSpec, value: number | undefined): [number, number] | undefined {
  const r = spec.valid?.range;
  return r && value === undefined && !isFloat(spec.dtype) ? [r[0], r[1]] : undefined;
}

/**
 * Synthesized integer inputs must be valid: sparse coordinates cannot be made at random (refused,
 * naming --data / --range / --value), and a user's --range or --value must stay inside the ids
 * the graph indexes.
 */
function checkValid(spec: TensorSpec, value: number | undefined, range: [number, number] | undefined): void {
  const v = spec.valid;
  if (!v) return;
  if (v.coordinates && value === undefined && !range) {
    throw new ParityError(
      'INPUT_SYNTHESIS',
      `input '${spec.name}' holds sparse coordinates (${v.coordinates}); random values would not make a valid sparse tensor: ` +
        `pass --data FILE with real inputs (JSONL, one sample per line), or --range ${spec.name}=0,0 / --value ${spec.name}=0 for a one-entry tensor`,
    );
  }
  const [lo, hi] = v.range ?? [-Infinity, Infinity];
  const outside =
    value !== undefined
      ? value < lo || value > hi
        ? `--value ${spec.name}=${value}`
        : ''
      : range && (range[0] < lo || range[1] > hi)
        ? `--range ${spec.name}=${range.join(',')}`
        : '';
  if (outside) throw new ParityError('USAGE', `${outside}: input '${spec.name}' takes ids ${lo}..${hi} (${v.why}); choose values inside, or pass --data FILE`);
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
    const range = o.ranges[spec.name] ?? validRange(spec, value);
    if (value !== undefined)
      assertValueFits(spec.dtype, value, { code: 'USAGE', where: `--value ${spec.name}=${value}: input '${spec.name}' is ${spec.dtype}` });
    if (range && !isFloat(spec.dtype)) checkIntRange(spec.name, spec.dtype, range);
    checkValid(spec, value, o.ranges[spec.name]);
    notes.push({
      input: spec.name,
      dims,
      resolved,
      values:
        value !== undefined
          ? `constant ${value}`
          : `uniform [${(range ?? (isFloat(spec.dtype) ? DEFAULT_FLOAT_RANGE : DEFAULT_INT_RANGE)).join(', ')}]${range && !o.ranges[spec.name] ? ` (the valid ids: ${spec.valid!.why})` : ''}`,
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
  // A dtype problem gets a dtype hint: --shape cannot fix it.
  if (DTYPE_CAUSE.test(cause)) {
    return `the model failed on synthesized inputs with a dtype problem: ${capText(cause, 300)}\n  inputs were ${notes.map((n) => `'${n.input}'`).join(', ')}; the input dtypes come from the model's signature — pass --data FILE with arrays of the dtype the model expects (see parity inspect)`;
  }
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
