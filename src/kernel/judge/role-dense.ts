/**
 * Dense and vector roles: `regression` (relative MAE), `segmentation` (argmax per pixel: pixel
 * agreement, mIoU), `score-map` (binarized map: agreement, IoU of the positive region) and
 * `embedding` (cosine per vector, its 5th percentile, top-k neighbour overlap). Pure.
 */
import type { FlatOutput } from './float-data.ts';
import type { RoleMetrics } from './judge-outputs-types.ts';
import { argmaxRows, classRows, normAxis, quantile } from './role-rows.ts';
import { decisions, DEFAULT_THRESHOLD, inUnitRange, sameDecision } from './role-decisions.ts';
import type { RoleOptions } from './role-spec.ts';

/** `regression`: `relMae` = mean|a−r| / mean|r|, `relMaxErr` = max|a−r| / max|r|; with labels (one per value), `maeDelta` relative to mean|label|. */
export function regressionMetrics(ref: FlatOutput, tgt: FlatOutput, labels?: unknown): RoleMetrics {
  let sumAbs = 0,
    sumRef = 0,
    maxErr = 0,
    maxRef = 0;
  const n = ref.data.length;
  for (let i = 0; i < n; i++) {
    const e = Math.abs(tgt.data[i]! - ref.data[i]!);
    sumAbs += e;
    sumRef += Math.abs(ref.data[i]!);
    maxErr = Math.max(maxErr, e);
    maxRef = Math.max(maxRef, Math.abs(ref.data[i]!));
  }
  const result: RoleMetrics = {
    role: 'regression',
    metrics: { relMae: sumRef > 0 ? sumAbs / sumRef : sumAbs > 0 ? Infinity : 0, relMaxErr: maxRef > 0 ? maxErr / maxRef : maxErr > 0 ? Infinity : 0 },
  };
  if (Array.isArray(labels) && labels.length === n && labels.every((l) => typeof l === 'number')) {
    const y = labels as number[];
    let rm = 0,
      tm = 0,
      ym = 0;
    for (let i = 0; i < n; i++) {
      rm += Math.abs(ref.data[i]! - y[i]!);
      tm += Math.abs(tgt.data[i]! - y[i]!);
      ym += Math.abs(y[i]!);
    }
    result.labels = { referenceMae: rm / n, targetMae: tm / n, maeDelta: (tm - rm) / Math.max(ym, 1e-12) };
  }
  return result;
}

/** `segmentation` along the class axis (default 1 for rank 4, NCHW, else the last): `pixelAgreement`, `mIoU` (target vs reference, over classes present on either side). */
export function segmentationMetrics(ref: FlatOutput, tgt: FlatOutput, options: RoleOptions): RoleMetrics {
  const rank = (ref.sampleDims[0] ?? []).length;
  const axis = options.axis ?? (rank === 4 ? 1 : -1);
  const r = argmaxRows(classRows(ref, normAxis(axis, rank)));
  const t = argmaxRows(classRows(tgt, normAxis(axis, rank)));
  const inter = new Map<number, number>();
  const union = new Map<number, number>();
  let same = 0;
  for (let i = 0; i < r.length; i++) {
    const a = r[i]!;
    const b = t[i]!;
    if (a === b) {
      same++;
      inter.set(a, (inter.get(a) ?? 0) + 1);
      union.set(a, (union.get(a) ?? 0) + 1);
    } else {
      union.set(a, (union.get(a) ?? 0) + 1);
      union.set(b, (union.get(b) ?? 0) + 1);
    }
  }
  let iou = 0;
  for (const [c, u] of union) iou += (inter.get(c) ?? 0) / u;
  return { role: 'segmentation', metrics: { pixelAgreement: r.length ? same / r.length : NaN, mIoU: union.size ? iou / union.size : NaN, pixels: r.length } };
}

/** `score-map` binarized at `threshold` (default 0.5): `agreement` (share of equal pixels), `positiveIoU` (IoU of the positive regions; 1 when both are empty). */
export function scoreMapMetrics(ref: FlatOutput, tgt: FlatOutput, options: RoleOptions): RoleMetrics {
  const probs = inUnitRange(ref.data);
  const r = decisions(ref.data, options.threshold ?? DEFAULT_THRESHOLD, probs);
  const t = decisions(tgt.data, options.threshold ?? DEFAULT_THRESHOLD, probs);
  let same = 0,
    inter = 0,
    uni = 0;
  for (let i = 0; i < r.length; i++) {
    if (r[i] === t[i]) same++;
    if (r[i] && t[i]) inter++;
    if (r[i] || t[i]) uni++;
  }
  const result: RoleMetrics = {
    role: 'score-map',
    metrics: { agreement: r.length ? same / r.length : NaN, positiveIoU: uni ? inter / uni : 1, pixels: r.length },
  };
  const flat = sameDecision(r, options.threshold ?? DEFAULT_THRESHOLD);
  if (flat) result.warnings = [flat];
  return result;
}

/** `embedding`: vectors along the last axis. `cosineP5` / `cosineMean` per vector; `neighbourOverlap` of each vector's top-k (default 5) cosine neighbours among the others (NaN with < 3 vectors). */
export function embeddingMetrics(ref: FlatOutput, tgt: FlatOutput, options: RoleOptions): RoleMetrics {
  const r = classRows(ref, -1);
  const t = classRows(tgt, -1);
  const d = r.classes;
  const cos = (x: typeof r, i: number, y: typeof r, j: number) => {
    let xy = 0,
      xx = 0,
      yy = 0;
    for (let c = 0; c < d; c++) {
      const a = x.data[i * d + c]!;
      const b = y.data[j * d + c]!;
      xy += a * b;
      xx += a * a;
      yy += b * b;
    }
    return xx === 0 && yy === 0 ? 1 : xx === 0 || yy === 0 ? 0 : xy / Math.sqrt(xx * yy);
  };
  const per: number[] = [];
  for (let i = 0; i < r.rows; i++) per.push(cos(r, i, t, i));
  const metrics: Record<string, number> = {
    cosineP5: quantile(per, 0.05),
    cosineMean: per.reduce((a, b) => a + b, 0) / Math.max(1, per.length),
    vectors: r.rows,
  };
  const k = Math.min(options.k ?? 5, r.rows - 1);
  if (r.rows >= 3 && r.rows <= 5000) {
    const top = (x: typeof r, i: number) =>
      [...Array(x.rows).keys()]
        .filter((j) => j !== i)
        .map((j) => [j, cos(x, i, x, j)] as const)
        .sort((a, b) => b[1] - a[1] || a[0] - b[0])
        .slice(0, k)
        .map(([j]) => j);
    let overlap = 0;
    for (let i = 0; i < r.rows; i++) {
      const a = new Set(top(r, i));
      overlap += top(t, i).filter((j) => a.has(j)).length / k;
    }
    metrics.neighbourOverlap = overlap / r.rows;
  }
  return { role: 'embedding', metrics };
}
