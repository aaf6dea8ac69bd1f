/**
 * Decision roles: `classifier` (argmax over the class axis), `binary` and `multilabel` (each value
 * a decision at a threshold). Metrics against the reference's decisions, and against labels when
 * given. Pure: no Node imports.
 */
import { computeDecisionMetrics } from './decision.ts';
import type { FloatArray } from './error-scan.ts';
import type { FlatOutput } from './float-data.ts';
import type { RoleMetrics } from './judge-outputs-types.ts';
import { argmaxRows, classRows } from './role-rows.ts';
import type { RoleOptions } from './role-spec.ts';

/** Default decision threshold (on probabilities) of binary, multilabel and score-map roles. */
export const DEFAULT_THRESHOLD = 0.5;

/** True when every finite value lies in [0, 1] (probabilities); else the values are logits. */
export function inUnitRange(data: FloatArray): boolean {
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (Number.isFinite(v) && (v < -1e-6 || v > 1 + 1e-6)) return false;
  }
  return true;
}

/**
 * Decisions (1/0) at `threshold`: on probabilities `v >= threshold`, on logits
 * `v >= ln(t / (1 - t))`. Each side is classified as probabilities or logits from the reference,
 * so a target that drifts slightly outside [0, 1] is still read the same way.
 */
export function decisions(data: FloatArray, threshold: number, probabilities: boolean): Uint8Array {
  const cut = probabilities ? threshold : Math.log(threshold / (1 - threshold));
  const out = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = data[i]! >= cut ? 1 : 0;
  return out;
}

/** F1 of predictions against 0/1 truth (1 when neither has a positive). */
function f1(pred: Uint8Array, truth: readonly number[]): number {
  let tp = 0,
    fp = 0,
    fn = 0;
  for (let i = 0; i < pred.length; i++) {
    const y = truth[i] ? 1 : 0;
    if (pred[i] && y) tp++;
    else if (pred[i]) fp++;
    else if (y) fn++;
  }
  return tp + fp + fn === 0 ? 1 : (2 * tp) / (2 * tp + fp + fn);
}

function accuracy(pred: ArrayLike<number>, truth: readonly number[]): number {
  let ok = 0;
  const n = Math.min(pred.length, truth.length);
  for (let i = 0; i < n; i++) if (pred[i] === truth[i]) ok++;
  return n ? ok / n : NaN;
}

/**
 * `binary` / `multilabel` metrics: `flipRate` (share of decisions that differ from the
 * reference's), `positiveRate` of both sides, and for multilabel `sampleAgreement` (share of rows
 * whose whole label set matches). With 0/1 labels (one per value): `referenceF1`, `targetF1`,
 * `f1Delta`, `accuracyDelta`.
 */
export function binaryMetrics(ref: FlatOutput, tgt: FlatOutput, options: RoleOptions, role: 'binary' | 'multilabel', labels?: unknown): RoleMetrics {
  const threshold = options.threshold ?? DEFAULT_THRESHOLD;
  const probs = inUnitRange(ref.data);
  const r = decisions(ref.data, threshold, probs);
  const t = decisions(tgt.data, threshold, probs);
  let flips = 0,
    rp = 0,
    tp = 0;
  for (let i = 0; i < r.length; i++) {
    if (r[i] !== t[i]) flips++;
    rp += r[i]!;
    tp += t[i]!;
  }
  const n = r.length;
  const metrics: Record<string, number> = {
    flipRate: n ? flips / n : NaN,
    flips,
    decisions: n,
    referencePositiveRate: n ? rp / n : NaN,
    targetPositiveRate: n ? tp / n : NaN,
  };
  if (role === 'multilabel') {
    const dims = ref.sampleDims[0] ?? [];
    const width = Math.max(1, dims[dims.length - 1] ?? 1);
    let same = 0;
    const rows = Math.floor(n / width);
    for (let row = 0; row < rows; row++) {
      let ok = true;
      for (let c = 0; c < width && ok; c++) ok = r[row * width + c] === t[row * width + c];
      if (ok) same++;
    }
    metrics.sampleAgreement = rows ? same / rows : NaN;
  }
  const result: RoleMetrics = { role, metrics };
  const same = sameDecision(r, threshold);
  if (same) result.warnings = [same];
  if (Array.isArray(labels) && labels.length === n && labels.every((l) => typeof l === 'number')) {
    const y = labels as number[];
    const rf = f1(r, y);
    const tf = f1(t, y);
    const ra = accuracy(r, y);
    result.labels = {
      referenceF1: rf,
      targetF1: tf,
      f1Delta: tf - rf,
      referenceAccuracy: ra,
      targetAccuracy: accuracy(t, y),
      accuracyDelta: accuracy(t, y) - ra,
    };
  }
  return result;
}

/**
 * `classifier` metrics along the class axis (default last): `top1Agreement`, `topkOverlap`
 * (k = min(5, classes)), `flipRate`, `kl`; with a class index per row: `referenceAccuracy`,
 * `targetAccuracy`, `accuracyDelta`.
 */
export function classifierMetrics(ref: FlatOutput, tgt: FlatOutput, options: RoleOptions, labels?: unknown): RoleMetrics {
  const r = classRows(ref, options.axis ?? -1);
  const t = classRows(tgt, options.axis ?? -1);
  const d = computeDecisionMetrics({ output: '', reference: r.data, target: t.data, classes: r.classes });
  const result: RoleMetrics = {
    role: 'classifier',
    metrics: { top1Agreement: d.top1Agreement, topkOverlap: d.topkOverlap, flipRate: d.flipRate, kl: d.kl, rows: d.samples },
  };
  if (Array.isArray(labels) && labels.length === r.rows && labels.every((l) => typeof l === 'number')) {
    const y = labels as number[];
    const single = r.classes === 1;
    const ra = single ? decisions(r.data, DEFAULT_THRESHOLD, inUnitRange(r.data)) : argmaxRows(r);
    const ta = single ? decisions(t.data, DEFAULT_THRESHOLD, inUnitRange(r.data)) : argmaxRows(t);
    const refAcc = accuracy(ra, y);
    const tgtAcc = accuracy(ta, y);
    result.labels = { referenceAccuracy: refAcc, targetAccuracy: tgtAcc, accuracyDelta: tgtAcc - refAcc };
  }
  return result;
}

/** Fewest decisions for "the reference decides the same every time" to mean something. */
const SAME_DECISION_MIN = 5;

/** A warning when every reference decision is the same (the flip rate then compares nothing), else undefined. */
export function sameDecision(r: Uint8Array, threshold: number): string | undefined {
  if (r.length < SAME_DECISION_MIN) return undefined;
  const first = r[0]!;
  for (let i = 1; i < r.length; i++) if (r[i] !== first) return undefined;
  return `every one of the ${r.length} reference decisions is ${first ? 'positive' : 'negative'} at threshold ${threshold}: the decision metrics compare nothing; feed inputs where the decision varies (--data FILE)`;
}
