/**
 * Inferring an output's role from the reference's values when none is given, never silently: the
 * guess comes back with its evidence, and the report shows both. A wrong guess is corrected by
 * declaring the role (`--task OUTPUT=ROLE`). Thresholds are data ({@link INFERENCE}). Pure.
 */
import type { FlatOutput } from './float-data.ts';
import { argmaxRows, classRows } from './role-rows.ts';
import type { ResolvedRole } from './role-spec.ts';

/** What counts as evidence. */
export const INFERENCE = {
  /** |row sum − 1| at most this on every row: a softmax over that axis. */
  sumSlack: 1e-2,
  /** A class that is the argmax of at least this share of steps at one end of the vocabulary (index 0 or C−1) reads as a CTC blank. */
  blankShare: 0.3,
  /** Fewest classes for a sequence role. */
  minVocabulary: 3,
  /** Fewest pixels of a one-channel [N,1,H,W] map in [0,1] to read it as a score map. */
  minMapPixels: 16,
  /** Fewest values of a pooled vector ([N,1,…,1,D], rank ≥ 3) to read it as an embedding. */
  minEmbeddingWidth: 16,
} as const;

const shape = (dims: readonly number[]) => `[${dims.join(',')}]`;

/** True when every finite row along the last axis of the class rows lies in [0,1] and sums to 1. */
function softmaxRows(data: ArrayLike<number>, classes: number): boolean {
  const rows = Math.floor(data.length / classes);
  if (rows === 0 || classes < 2) return false;
  for (let r = 0; r < rows; r++) {
    let sum = 0;
    for (let c = 0; c < classes; c++) {
      const v = data[r * classes + c]!;
      if (v < -1e-6 || v > 1 + 1e-6) return false;
      sum += v;
    }
    if (Number.isFinite(sum) && Math.abs(sum - 1) > INFERENCE.sumSlack) return false;
  }
  return true;
}

function inUnit(data: ArrayLike<number>): boolean {
  for (let i = 0; i < data.length; i++) if (data[i]! < -1e-6 || data[i]! > 1 + 1e-6) return false;
  return true;
}

/**
 * The role the reference's values suggest:
 * - rank ≥ 3, softmax over the last axis, ≥ 3 classes: `ctc` (blank = the end class that is the
 *   argmax of ≥ 30% of steps) else `tokens`;
 * - rank 4, softmax over axis 1: `segmentation`;
 * - rank 4 with one channel ([N,1,H,W], H·W ≥ 16), every value in [0,1]: `score-map`;
 * - one value per sample ([N,1], [1] or a scalar) in [0, 1]: `binary`;
 * - rank 2, softmax over the last axis: `classifier`;
 * - `classifierHint` (an output named and shaped like class scores, src/tools/run/classifier-output.ts): `classifier`;
 * - rank ≥ 3 with every axis 1 but the last (≥ 16 values), not in [0,1]: `embedding` (a pooled
 *   feature vector, e.g. openWakeWord's [N,1,1,96]; without this its int8 variants passed the
 *   tensor rule at 16–20 dB while the wake-word detector behind it flipped 2 of 32 clips);
 * - otherwise `tensor` (source `default`), with what was looked at.
 */
export function inferRole(ref: FlatOutput, classifierHint?: string): ResolvedRole {
  const dims = ref.sampleDims[0] ?? [];
  const rank = dims.length;
  const last = dims[rank - 1] ?? 1;
  const per = dims.reduce((a, b) => a * b, 1);
  if (rank >= 3 && last >= INFERENCE.minVocabulary && softmaxRows(ref.data, last)) {
    const rows = classRows(ref, -1);
    const best = argmaxRows(rows);
    const counts = new Map<number, number>();
    for (const c of best) counts.set(c, (counts.get(c) ?? 0) + 1);
    const share = (c: number) => (counts.get(c) ?? 0) / Math.max(1, best.length);
    const blank = share(0) >= share(last - 1) ? 0 : last - 1;
    const soft = `rank ${rank} ${shape(dims)}, every row over the last axis in [0,1] summing to 1 (softmax over ${last} classes)`;
    if (share(blank) >= INFERENCE.blankShare) {
      return {
        role: 'ctc',
        options: { blank },
        source: 'inferred',
        evidence: `${soft}; class ${blank} is the argmax of ${(100 * share(blank)).toFixed(0)}% of ${best.length} steps (a CTC blank); candidates ctc, tokens`,
      };
    }
    return { role: 'tokens', source: 'inferred', evidence: `${soft}; no class dominates the steps (no CTC blank); candidates tokens, ctc` };
  }
  if (rank === 4 && (dims[1] ?? 0) >= 2 && softmaxRows(classRows(ref, 1).data, dims[1]!)) {
    return {
      role: 'segmentation',
      options: { axis: 1 },
      source: 'inferred',
      evidence: `rank 4 ${shape(dims)}, softmax over axis 1 (${dims[1]} classes per pixel)`,
    };
  }
  if (rank === 4 && dims[1] === 1 && (dims[2] ?? 1) * (dims[3] ?? 1) >= INFERENCE.minMapPixels && inUnit(ref.data)) {
    return {
      role: 'score-map',
      source: 'inferred',
      evidence: `rank 4 ${shape(dims)}: one channel over ${dims[2]}×${dims[3]} pixels, every value in [0,1] (a per-pixel probability map, e.g. text detection); threshold 0.5 unless --task sets one`,
    };
  }
  if (per === 1 && inUnit(ref.data)) {
    return { role: 'binary', source: 'inferred', evidence: `one value per sample ${shape(dims)}, every value in [0,1] (a sigmoid probability)` };
  }
  if (rank === 2 && softmaxRows(ref.data, last)) {
    return { role: 'classifier', source: 'inferred', evidence: `rank 2 ${shape(dims)}, rows in [0,1] summing to 1 (class probabilities)` };
  }
  if (classifierHint) return { role: 'classifier', source: 'inferred', evidence: classifierHint };
  if (rank >= 3 && last >= INFERENCE.minEmbeddingWidth && per === last && !inUnit(ref.data)) {
    return {
      role: 'embedding',
      source: 'inferred',
      evidence: `rank ${rank} ${shape(dims)}: one ${last}-value vector per sample (a pooled feature), values not probabilities; judged by cosine and neighbours — candidates embedding, tensor`,
    };
  }
  return {
    role: 'tensor',
    source: 'default',
    evidence: `no task evidence in ${shape(dims)} (not a softmax over an axis, not a single probability): judged as a tensor`,
  };
}
