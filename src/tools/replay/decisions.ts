/** Decision and output comparisons between two sets of classifier outputs, row by row. Pure. */

export function argmax(v: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < v.length; i++) if (v[i]! > v[best]! || (Number.isNaN(v[best]!) && !Number.isNaN(v[i]!))) best = i;
  return best;
}

/** Share of pairs whose argmax differs; undefined without pairs. */
export function flipRate(pairs: readonly (readonly [ArrayLike<number>, ArrayLike<number>])[]): number | undefined {
  if (pairs.length === 0) return undefined;
  let flips = 0;
  for (const [a, b] of pairs) if (argmax(a) !== argmax(b)) flips++;
  return flips / pairs.length;
}

/** Largest |a − b| over all pairs (Infinity when a NaN appears on one side only). */
export function maxAbsDiff(pairs: readonly (readonly [ArrayLike<number>, ArrayLike<number>])[]): number | undefined {
  if (pairs.length === 0) return undefined;
  let m = 0;
  for (const [a, b] of pairs) {
    if (a.length !== b.length) return Infinity;
    for (let i = 0; i < a.length; i++) {
      const d = Math.abs(a[i]! - b[i]!);
      m = Math.max(m, Number.isNaN(d) ? (Number.isNaN(a[i]!) && Number.isNaN(b[i]!) ? 0 : Infinity) : d);
    }
  }
  return m;
}
