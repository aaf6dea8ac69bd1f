/**
 * Activation statistics for calibration (browser-safe): running min/max, histograms over a fixed
 * range, and the range choices — MinMax, Percentile (both tails of the value histogram) and
 * Entropy (the TensorRT-style KL-divergence search over a histogram of |x|).
 */
import type { TensorRange } from './static-qdq.ts';

export class MinMax {
  lo = Infinity;
  hi = -Infinity;
  add(values: ArrayLike<number>): void {
    let a = this.lo,
      b = this.hi;
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (v < a) a = v;
      if (v > b) b = v;
    }
    this.lo = a;
    this.hi = b;
  }
  range(): TensorRange {
    return Number.isFinite(this.lo) ? { lo: this.lo, hi: this.hi } : { lo: 0, hi: 0 };
  }
}

/**
 * Counts of values in `bins` equal-width bins over [lo, hi] (values outside go to the end bins).
 * With `abs`, counts |x| and skips exact zeros: zero is exactly representable whatever the range,
 * and the spike of zeros after a ReLU would otherwise dominate the entropy search.
 */
export class Histogram {
  readonly counts: Float64Array;
  total = 0;
  constructor(
    readonly lo: number,
    readonly hi: number,
    bins: number,
    readonly abs = false,
  ) {
    this.counts = new Float64Array(bins);
  }
  get width(): number {
    return (this.hi - this.lo) / this.counts.length || 1;
  }
  add(values: ArrayLike<number>): void {
    const n = this.counts.length;
    const k = n / (this.hi - this.lo || 1);
    for (let i = 0; i < values.length; i++) {
      const v = this.abs ? Math.abs(values[i]!) : values[i]!;
      if (v !== v || (this.abs && v === 0)) continue; // NaN, or a zero in |x| mode
      let b = Math.floor((v - this.lo) * k);
      b = b < 0 ? 0 : b >= n ? n - 1 : b;
      this.counts[b]!++;
    }
    this.total += values.length;
  }
}

/** The [q, 1-q] quantile range of the histogram, q = (100 - percentile) / 100. */
export function percentileRange(h: Histogram, percentile: number): TensorRange {
  const tail = ((100 - percentile) / 100) * h.total;
  let acc = 0,
    lo = 0,
    hi = h.counts.length - 1;
  for (let i = 0; i < h.counts.length; i++) {
    acc += h.counts[i]!;
    if (acc > tail) {
      lo = i;
      break;
    }
  }
  acc = 0;
  for (let i = h.counts.length - 1; i >= 0; i--) {
    acc += h.counts[i]!;
    if (acc > tail) {
      hi = i;
      break;
    }
  }
  return { lo: h.lo + lo * h.width, hi: h.lo + (hi + 1) * h.width };
}

/** KL(P || Q) after smoothing zeros with `eps` (as onnxruntime's calibrator); Infinity when P or Q is all zero. */
function smoothedKl(p: Float64Array, q: Float64Array, n: number, eps = 1e-4): number {
  let pz = 0,
    qz = 0,
    sp = 0,
    sq = 0;
  for (let i = 0; i < n; i++) {
    if (p[i] === 0) pz++;
    if (q[i] === 0) qz++;
    sp += p[i]!;
    sq += q[i]!;
  }
  if (pz === n || qz === n) return Infinity;
  const pe = (eps * pz) / (n - pz),
    qe = (eps * qz) / (n - qz);
  // Smoothing keeps each sum unchanged: zeros gain eps, non-zeros lose eps1.
  let d = 0;
  for (let i = 0; i < n; i++) {
    const a = (p[i] === 0 ? eps : p[i]! - pe) / sp;
    const b = (q[i] === 0 ? eps : q[i]! - qe) / sq;
    if (a > 0 && b > 0) d += a * Math.log(a / b);
  }
  return d;
}

/** KL divergence of cutting the |x| histogram at bin `i` and squeezing it into `levels` bins. */
function klAt(counts: Float64Array, i: number, levels: number, p: Float64Array, q: Float64Array): number {
  const n = counts.length;
  let outliers = 0;
  for (let j = i; j < n; j++) outliers += counts[j]!;
  p.set(counts.subarray(0, i));
  p[i - 1]! += outliers;
  const merged = Math.floor(i / levels);
  for (let b = 0; b < levels; b++) {
    const start = b * merged,
      end = b === levels - 1 ? i : start + merged;
    let sum = 0,
      nonzero = 0;
    for (let j = start; j < end; j++) {
      sum += counts[j]!;
      if (p[j] !== 0) nonzero++;
    }
    for (let j = start; j < end; j++) q[j] = p[j] !== 0 && nonzero ? sum / nonzero : 0;
  }
  return smoothedKl(p, q, i);
}

/**
 * The |x| threshold that minimises KL(P || Q), where P is the histogram of |x| cut at the
 * threshold (outliers folded into the last bin) and Q is P squeezed into `levels` bins. Searches
 * every 16th cut, then every cut around the best one.
 */
export function entropyThreshold(h: Histogram, levels = 128): number {
  const n = h.counts.length;
  if (n <= levels) return h.hi;
  const p = new Float64Array(n),
    q = new Float64Array(n);
  let best = n,
    bestKl = Infinity;
  const consider = (i: number) => {
    const d = klAt(h.counts, i, levels, p, q);
    if (d < bestKl) {
      bestKl = d;
      best = i;
    }
  };
  const step = 16;
  for (let i = levels; i <= n; i += step) consider(i);
  const coarse = best;
  for (let i = Math.max(levels, coarse - step + 1); i <= Math.min(n, coarse + step - 1); i++) if (i !== coarse) consider(i);
  return h.lo + best * h.width;
}
