/**
 * Tensors of any runtime → plain number arrays, duck-typed: onnxruntime tensors (`data` + `dims`),
 * TF.js tensors (`dataSync()`), typed arrays and nested arrays. Pure; imports no runtime.
 */

type Numeric = ArrayLike<number> | ArrayLike<bigint>;

function isTypedOrArray(v: unknown): v is Numeric {
  return Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView));
}

function flattenArray(v: unknown, out: number[]): boolean {
  if (typeof v === 'number') return (out.push(v), true);
  if (typeof v === 'bigint') return (out.push(Number(v)), true);
  if (typeof v === 'boolean') return (out.push(v ? 1 : 0), true);
  if (isTypedOrArray(v)) {
    for (let i = 0; i < v.length; i++) if (!flattenArray((v as ArrayLike<unknown>)[i], out)) return false;
    return true;
  }
  return false;
}

import type { EncodedF32 } from './format.ts';

/** Values as captured, before formatting: float32 data copied as is, or already encoded. */
export type Snapshot = Float32Array | number[] | EncodedF32;

/** What happens to float32 data at capture time: copied (the default) or encoded at once. */
export type KeepF32 = (data: Float32Array) => Float32Array | EncodedF32;
const copy: KeepF32 = (d) => d.slice();

/**
 * The values of one tensor-like, flattened and copied (the caller may reuse its buffers);
 * undefined when `v` is not one (e.g. a map of feeds). Float32 data is copied as is — the cheap
 * path; formatting waits for the batch.
 */
export function toFlatNumbers(v: unknown, keep: KeepF32 = copy): Snapshot | undefined {
  if (v === null || v === undefined) return undefined;
  if (v instanceof Float32Array) return keep(v);
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
    const a = v as unknown as Numeric;
    const out = new Array<number>(a.length);
    for (let i = 0; i < a.length; i++) out[i] = Number(a[i]);
    return out;
  }
  if (Array.isArray(v)) {
    const out: number[] = [];
    return flattenArray(v, out) ? out : undefined;
  }
  if (typeof v === 'object') {
    const o = v as { data?: unknown; dims?: unknown; dataSync?: unknown };
    if (typeof o.dataSync === 'function') return toFlatNumbers((o.dataSync as () => unknown).call(v), keep);
    if (o.dims !== undefined && o.data !== undefined && isTypedOrArray(o.data)) return toFlatNumbers(o.data, keep);
  }
  return undefined;
}

/**
 * A map of tensors (ORT results, TF.js NamedTensorMap), an array of tensors (TF.js multi-output
 * predict: named `${kind}0`, `${kind}1`…) or one tensor (named `${kind}`) → name → numbers.
 * @throws TypeError naming the entry that is not a tensor.
 */
export function toNamedNumbers(v: unknown, kind: 'input' | 'output', keep: KeepF32 = copy): Record<string, Snapshot> {
  const one = toFlatNumbers(v, keep);
  if (one) return { [kind]: one };
  if (Array.isArray(v)) {
    const out: Record<string, Snapshot> = {};
    v.forEach((t, i) => (out[`${kind}${i}`] = mustFlat(t, `${kind} ${i}`, keep)));
    return out;
  }
  if (v && typeof v === 'object') {
    const out: Record<string, Snapshot> = {};
    for (const [name, t] of Object.entries(v)) out[name] = mustFlat(t, `${kind} '${name}'`, keep);
    return out;
  }
  throw new TypeError(`capture: ${kind} is not a tensor, array or map of tensors (got ${typeof v})`);
}

function mustFlat(t: unknown, what: string, keep: KeepF32): Snapshot {
  const f = toFlatNumbers(t, keep);
  if (!f) throw new TypeError(`capture: ${what} is not a tensor or numeric array`);
  return f;
}
