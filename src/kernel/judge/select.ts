/**
 * Exact order statistics in O(n) expected time: Floyd–Rivest selection on a typed array, in
 * place. Used for p99 of |a-b| over tens of millions of elements without sorting.
 * Pure: no Node imports.
 */

/** Arrays the selection works on. They must not contain NaN (the comparator never puts one in). */
export type NumericArray = Float32Array | Float64Array;

/**
 * Rearranges `arr[left..right]` so that `arr[k]` holds the value it would have if that range were
 * sorted ascending, everything before it is `<=` and everything after is `>=`.
 * Floyd & Rivest (1975), algorithm SELECT: a recursive sample narrows the range first, so the
 * expected number of comparisons is n + min(k, n-k) + o(n).
 */
export function selectInPlace(arr: NumericArray, k: number, left = 0, right = arr.length - 1): void {
  while (right > left) {
    if (right - left > 600) {
      const n = right - left + 1;
      const i = k - left + 1;
      const z = Math.log(n);
      const s = 0.5 * Math.exp((2 * z) / 3);
      const sd = 0.5 * Math.sqrt((z * s * (n - s)) / n) * (i - n / 2 < 0 ? -1 : 1);
      const newLeft = Math.max(left, Math.floor(k - (i * s) / n + sd));
      const newRight = Math.min(right, Math.floor(k + ((n - i) * s) / n + sd));
      selectInPlace(arr, k, newLeft, newRight);
    }
    const t = arr[k]!;
    let i = left;
    let j = right;
    swap(arr, left, k);
    if (arr[right]! > t) swap(arr, left, right);
    while (i < j) {
      swap(arr, i, j);
      i++;
      j--;
      while (arr[i]! < t) i++;
      while (arr[j]! > t) j--;
    }
    if (arr[left] === t) swap(arr, left, j);
    else {
      j++;
      swap(arr, j, right);
    }
    if (j <= k) left = j + 1;
    if (k <= j) right = j - 1;
  }
}

function swap(arr: NumericArray, i: number, j: number): void {
  const t = arr[i]!;
  arr[i] = arr[j]!;
  arr[j] = t;
}

/**
 * The `q` quantile (0..1) of `arr[0..n)` with linear interpolation between order statistics
 * (numpy's default, Hyndman–Fan type 7): position h = (n-1)q, value x[⌊h⌋] + (h-⌊h⌋)(x[⌊h⌋+1]-x[⌊h⌋]).
 * Reorders `arr[0..n)`. Returns NaN for n = 0.
 */
export function quantileInPlace(arr: NumericArray, n: number, q: number): number {
  if (n <= 0) return NaN;
  const h = (n - 1) * Math.min(1, Math.max(0, q));
  const lo = Math.floor(h);
  selectInPlace(arr, lo, 0, n - 1);
  const below = arr[lo]!;
  const frac = h - lo;
  if (frac === 0 || lo + 1 >= n) return below;
  // After selection everything right of `lo` is >= arr[lo]; the next order statistic is their minimum.
  let above = Infinity;
  for (let i = lo + 1; i < n; i++) {
    const v = arr[i]!;
    if (v < above) above = v;
  }
  // Infinity - Infinity would be NaN; an infinite neighbour makes the interpolated value infinite.
  if (above === Infinity) return below === Infinity ? Infinity : frac > 0 ? Infinity : below;
  return below + frac * (above - below);
}

// Type feedback for every branch before real data arrives: a branch first taken inside optimized
// code deoptimizes it, which costs tens of ms on 10M elements. V8 allocates a function's feedback
// vector only after several calls, hence the repetitions.
for (let k = 0; k < 20; k++) {
  const a = new Float32Array(1500);
  for (let i = 0; i < a.length; i++) a[i] = ((i * 7919) % 1499) / 7;
  quantileInPlace(a, a.length, 0.99);
  quantileInPlace(a, a.length, 0.5);
  a[3] = Infinity;
  a[1400] = Infinity;
  quantileInPlace(a, a.length, 0.999);
  quantileInPlace(a, 10, 1);
  quantileInPlace(a, 0, 0.5);
}
