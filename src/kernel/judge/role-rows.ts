/**
 * Views of one output as rows of class scores: the class axis moved last, every other axis
 * flattened into positions, grouped per sequence. Shared by the ctc, tokens, segmentation and
 * classifier roles. Pure: no Node imports.
 */
import type { FloatArray } from './error-scan.ts';
import type { FlatOutput } from './float-data.ts';

/** Rows of `classes` values (row-major) and how they group: `sequences` × `steps` rows. */
export interface ClassRows {
  data: FloatArray;
  classes: number;
  rows: number;
  /** Rows per sequence: the axis just before the class axis (1 when the class axis is the only one after the batch). */
  steps: number;
  sequences: number;
}

/** A negative axis counted from the end; clamped into [0, rank-1]. */
export function normAxis(axis: number, rank: number): number {
  const a = axis < 0 ? rank + axis : axis;
  return Math.min(Math.max(a, 0), Math.max(rank - 1, 0));
}

/**
 * The output as class rows along `axis` of each sample (default the last). Every sample must have
 * the same rank; samples are concatenated. `steps` is the size of the axis before the class axis
 * in the row order (the time axis of [N, T, C]), 1 for rank <= 1.
 */
export function classRows(out: FlatOutput, axis = -1): ClassRows {
  const dims0 = out.sampleDims[0] ?? [out.data.length];
  const rank = dims0.length;
  const a = normAxis(axis, rank);
  const classes = dims0[a] ?? 1;
  const moved = [...dims0.slice(0, a), ...dims0.slice(a + 1)];
  const steps = moved.length >= 1 ? moved[moved.length - 1]! : 1;
  let data: FloatArray = out.data;
  if (a !== rank - 1) data = moveAxisLast(out, a);
  const rows = classes > 0 ? Math.floor(data.length / classes) : 0;
  return { data, classes, rows, steps: Math.max(1, steps), sequences: Math.floor(rows / Math.max(1, steps)) };
}

/** Copies every sample with axis `a` moved to the end. */
function moveAxisLast(out: FlatOutput, a: number): Float32Array {
  const res = new Float32Array(out.data.length);
  let offset = 0;
  for (const dims of out.sampleDims) {
    const outer = dims.slice(0, a).reduce((x, y) => x * y, 1);
    const c = dims[a]!;
    const inner = dims.slice(a + 1).reduce((x, y) => x * y, 1);
    for (let o = 0; o < outer; o++)
      for (let k = 0; k < c; k++) for (let i = 0; i < inner; i++) res[offset + (o * inner + i) * c + k] = out.data[offset + (o * c + k) * inner + i]!;
    offset += outer * c * inner;
  }
  return res;
}

/** Argmax of every row (lowest index wins ties; a row with NaN gives -1). */
export function argmaxRows(r: ClassRows): Int32Array {
  const res = new Int32Array(r.rows);
  for (let i = 0; i < r.rows; i++) {
    let best = -1;
    let bv = -Infinity;
    const o = i * r.classes;
    for (let c = 0; c < r.classes; c++) {
      const v = r.data[o + c]!;
      if (Number.isNaN(v)) {
        best = -1;
        break;
      }
      if (v > bv || best < 0) {
        bv = v;
        best = c;
      }
    }
    res[i] = best;
  }
  return res;
}

/** The p-quantile (0..1) of values, linear interpolation; NaN when empty. */
export function quantile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((x, y) => x - y);
  const pos = p * (s.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, s.length - 1);
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
}
