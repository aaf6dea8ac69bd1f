/**
 * The permutation null of PSI for one feature: pool both samples, relabel them at random (seeded)
 * into a "reference" of the original reference size and a "current" of the rest, and recompute
 * PSI exactly as for the observed samples (reference-quantile bins re-derived from each relabelled
 * reference, missing values as their own bin). Under "no drift" the observed PSI is one more draw
 * from this distribution, so its rank gives an exact p-value and the null's quantiles give the PSI
 * that chance alone reaches for these sample sizes. Each permutation is O(rows): the pooled values
 * are sorted once and every relabelling walks them in order. Pure: no Node imports.
 */
import { createRng, type Rng } from '../../kernel/core/rng.ts';
import { quantileEdges } from './binning.ts';
import { psi } from './stats.ts';

export interface PsiNull {
  /** Permutations drawn. */
  permutations: number;
  /** (1 + #{null PSI ≥ observed}) / (permutations + 1): never 0, exact under exchangeability. */
  pValue: number;
  /** Quantiles of the null PSI. */
  q95: number;
  q99: number;
  /** The quantile the alarm rule uses (settings.nullQuantile). */
  qAlarm: number;
}

/** PSI over value bins plus a missing bin (added only when either side has a missing value). */
export function psiWithMissing(refBins: readonly number[], curBins: readonly number[], refMissing: number, curMissing: number): number {
  return refMissing + curMissing > 0 ? psi([...refBins, refMissing], [...curBins, curMissing]) : psi(refBins, curBins);
}

/** 32-bit FNV-1a of a string, to mix a feature's name into the seed. */
export function hashName(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** Labels 1 (reference) × n then 0 × m, to be shuffled in place. */
function labels(n: number, m: number): Uint8Array {
  const l = new Uint8Array(n + m);
  l.fill(1, 0, n);
  return l;
}

function shuffle(l: Uint8Array, rng: Rng): void {
  for (let i = l.length - 1; i > 0; i--) {
    const j = rng.int(0, i + 1);
    const t = l[i]!;
    l[i] = l[j]!;
    l[j] = t;
  }
}

function summarize(observed: number, draws: Float64Array, nullQuantile: number): PsiNull {
  let atLeast = 0;
  for (const d of draws) if (d >= observed - 1e-12) atLeast++;
  const s = Float64Array.from(draws).sort();
  const q = (p: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))] ?? NaN;
  return { permutations: draws.length, pValue: (1 + atLeast) / (draws.length + 1), q95: q(0.95), q99: q(0.99), qAlarm: q(nullQuantile) };
}

export interface NullOptions {
  permutations: number;
  seed: number;
  nullQuantile: number;
}

/**
 * Null of numeric PSI. `ref` / `cur` hold the non-missing values; `refMissing` / `curMissing`
 * count the missing ones; `bins` as in the observed PSI.
 */
export function numericPsiNull(
  observed: number,
  ref: ArrayLike<number>,
  cur: ArrayLike<number>,
  refMissing: number,
  curMissing: number,
  bins: number,
  o: NullOptions,
): PsiNull {
  const values = new Float64Array(ref.length + cur.length);
  values.set(Array.from(ref), 0);
  values.set(Array.from(cur), ref.length);
  values.sort();
  const present = values.length,
    missing = refMissing + curMissing;
  const n = ref.length + refMissing,
    m = cur.length + curMissing;
  const l = labels(n, m);
  const rng = createRng(o.seed);
  const refSorted = new Float64Array(present);
  const draws = new Float64Array(o.permutations);
  for (let b = 0; b < o.permutations; b++) {
    shuffle(l, rng);
    let nr = 0;
    for (let i = 0; i < present; i++) if (l[i]) refSorted[nr++] = values[i]!;
    const edges = quantileEdges(refSorted.subarray(0, nr), bins);
    const rc = new Array<number>(edges.length + 1).fill(0),
      cc = new Array<number>(edges.length + 1).fill(0);
    let k = 0;
    for (let i = 0; i < present; i++) {
      const x = values[i]!;
      while (k < edges.length && x > edges[k]!) k++;
      if (l[i]) rc[k]!++;
      else cc[k]!++;
    }
    let rm = 0;
    for (let i = present; i < present + missing; i++) rm += l[i]!;
    draws[b] = psiWithMissing(rc, cc, rm, missing - rm);
  }
  return summarize(observed, draws, o.nullQuantile);
}

/** Null of categorical PSI; `null` is the missing category. */
export function categoricalPsiNull(observed: number, ref: readonly (string | null)[], cur: readonly (string | null)[], o: NullOptions): PsiNull {
  const codes = new Map<string | null, number>();
  const pooled = Int32Array.from([...ref, ...cur], (v) => {
    let c = codes.get(v);
    if (c === undefined) codes.set(v, (c = codes.size));
    return c;
  });
  const k = codes.size;
  const l = labels(ref.length, cur.length);
  const rng = createRng(o.seed);
  const draws = new Float64Array(o.permutations);
  const rc = new Array<number>(k),
    cc = new Array<number>(k);
  for (let b = 0; b < o.permutations; b++) {
    shuffle(l, rng);
    rc.fill(0);
    cc.fill(0);
    for (let i = 0; i < pooled.length; i++) {
      if (l[i]) rc[pooled[i]!]!++;
      else cc[pooled[i]!]!++;
    }
    // `null` is one more code, so missing values are a bin of their own as in the observed PSI.
    draws[b] = psi(rc, cc);
  }
  return summarize(observed, draws, o.nullQuantile);
}
