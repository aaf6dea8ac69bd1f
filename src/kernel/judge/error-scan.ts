/**
 * The single pass behind per-output metrics: one loop over reference and actual that accumulates
 * every sum, maximum and count at once and writes |a-b| into a scratch buffer for the p99
 * (`scratch[i]` = |a-b| of element i; 0 for equal infinities, Infinity for other non-finite pairs).
 *
 * Speed (10M float32 pairs in ~60 ms on one core; bench/comparator.ts) comes from keeping the
 * loop monomorphic and branch-light: the fast loop gives up at the first NaN/Inf and the careful
 * loop redoes the scan; the top offending elements are found by a second pass only when there are
 * mismatches; the loop runs in 64K-element chunks so optimized code takes over early even on a
 * first call; and the loops run on tiny inputs at load time so the optimizing compiler has type
 * feedback for every branch (a never-taken branch otherwise deoptimizes the loop the first time
 * data takes it). Pure: no Node imports.
 */

/** How many offending elements a metric keeps to explain itself. */
const WORST_COUNT = 5;

/** Flat numeric data the comparator works on (float16 arrives converted to float32). */
export type FloatArray = Float32Array | Float64Array;

/** Raw accumulators of one scan; `output-metrics.ts` turns them into `OutputMetrics`. */
export interface ErrorScan {
  n: number;
  /** Elements where both sides are finite. */
  finite: number;
  sumAbs: number;
  maxAbs: number;
  sumSq: number;
  /** Σref², Σactual², Σref·actual over finite pairs. */
  rr: number;
  aa: number;
  ra: number;
  sumAbsRef: number;
  maxRel: number;
  maxUlp: number;
  /** max over finite pairs of |a-b| - rtol|ref| (may be negative: clamp at 0). */
  minAtol: number;
  mismatches: number;
  nanCount: number;
  infCount: number;
  nonFiniteMismatches: number;
  /** True when some pair has an infinite error (a NaN/Inf mismatch, or an overflowing difference). */
  infiniteError: boolean;
  /** Up to {@link WORST_COUNT} flat indices, most out of tolerance first (NaN/Inf mismatches count as infinitely far). */
  worst: number[];
}

// Slots of the accumulator vector the loops write (a Float64Array: no object shapes in the loop).
const SUM_ABS = 0,
  MAX_ABS = 1,
  SUM_SQ = 2,
  RR = 3,
  AA = 4,
  RA = 5,
  SUM_ABS_REF = 6,
  MAX_REL = 7;
const MAX_ULP = 8,
  MIN_ATOL = 9,
  MISMATCHES = 10,
  NAN = 11,
  INF = 12,
  NON_FINITE = 13,
  SLOW = 14,
  INFINITE = 15;
const SLOTS = 16;
const MAX = Number.MAX_VALUE;

/** Elements per call of the fast loop: small enough that a first, unoptimized call ends quickly and later chunks run optimized code. */
const CHUNK = 1 << 16;

/**
 * Scans `ref` against `act` (same length). `refBits`/`actBits` are the float32 bit patterns of the
 * same values (an Int32Array view), for ULP distances. `scratch` must hold at least `ref.length`.
 */
export function scanErrors(
  ref: FloatArray,
  act: FloatArray,
  refBits: Int32Array,
  actBits: Int32Array,
  atol: number,
  rtol: number,
  scratch: Float32Array,
): ErrorScan {
  const n = ref.length;
  const acc = new Float64Array(SLOTS);
  let fast = true;
  for (let start = 0; start < n && fast; start += CHUNK) {
    fast = fastLoop(ref, act, refBits, actBits, atol, rtol, scratch, acc, start, Math.min(n, start + CHUNK));
  }
  if (!fast) {
    acc.fill(0);
    carefulLoop(ref, act, refBits, actBits, atol, rtol, scratch, acc);
  }
  return {
    n,
    finite: n - acc[SLOW]!,
    sumAbs: acc[SUM_ABS]!,
    maxAbs: acc[MAX_ABS]!,
    sumSq: acc[SUM_SQ]!,
    rr: acc[RR]!,
    aa: acc[AA]!,
    ra: acc[RA]!,
    sumAbsRef: acc[SUM_ABS_REF]!,
    maxRel: acc[MAX_REL]!,
    maxUlp: acc[MAX_ULP]!,
    minAtol: acc[MIN_ATOL]!,
    mismatches: acc[MISMATCHES]!,
    nanCount: acc[NAN]!,
    infCount: acc[INF]!,
    nonFiniteMismatches: acc[NON_FINITE]!,
    infiniteError: acc[INFINITE]! > 0,
    worst: acc[MISMATCHES]! > 0 ? findWorst(ref, act, atol, rtol) : [],
  };
}

/**
 * Elements [start, end) of finite data, accumulating into `acc`. Returns false at the first NaN/Inf
 * (or overflowing difference) so the careful loop takes over. Branch-free where the data decides
 * (maxima via Math.max, the mismatch count via Number(bool)): a 50% mismatch rate would otherwise
 * mispredict half the time.
 */
function fastLoop(
  ref: FloatArray,
  act: FloatArray,
  refBits: Int32Array,
  actBits: Int32Array,
  atol: number,
  rtol: number,
  scratch: Float32Array,
  acc: Float64Array,
  start: number,
  end: number,
): boolean {
  let sumAbs = acc[SUM_ABS]!,
    maxAbs = acc[MAX_ABS]!,
    sumSq = acc[SUM_SQ]!,
    rr = acc[RR]!,
    aa = acc[AA]!;
  let ra = acc[RA]!,
    sumAbsRef = acc[SUM_ABS_REF]!,
    maxRel = acc[MAX_REL]!,
    maxUlp = acc[MAX_ULP]!;
  let minAtol = acc[MIN_ATOL]!,
    mismatches = acc[MISMATCHES]!;
  for (let i = start; i < end; i++) {
    const r = ref[i]!;
    const a = act[i]!;
    const ad = Math.abs(a - r);
    if (!(ad <= MAX)) return false;
    sumAbs += ad;
    maxAbs = Math.max(maxAbs, ad);
    sumSq += ad * ad;
    rr += r * r;
    aa += a * a;
    ra += r * a;
    const absR = Math.abs(r);
    sumAbsRef += absR;
    const rt = rtol * absR;
    minAtol = Math.max(minAtol, ad - rt);
    // ex > 0 exactly when |a-b| > atol + rtol|ref|, the documented rule (IEEE subtraction is zero
    // only for equal values; `ad - rt > atol` would round differently at the boundary).
    mismatches += Number(ad - (atol + rt) > 0);
    if (ad > maxRel * absR && absR > 0) maxRel = ad / absR;
    const ib = actBits[i]!;
    const jb = refBits[i]!;
    // Sign-magnitude bits to a monotonic integer (-0 and +0 both 0), branch-free.
    const sa = ib >> 31;
    const sr = jb >> 31;
    maxUlp = Math.max(maxUlp, Math.abs(((ib & 0x7fffffff) ^ sa) - sa - (((jb & 0x7fffffff) ^ sr) - sr)));
    scratch[i] = ad;
  }
  acc[SUM_ABS] = sumAbs;
  acc[MAX_ABS] = maxAbs;
  acc[SUM_SQ] = sumSq;
  acc[RR] = rr;
  acc[AA] = aa;
  acc[RA] = ra;
  acc[SUM_ABS_REF] = sumAbsRef;
  acc[MAX_REL] = maxRel;
  acc[MAX_ULP] = maxUlp;
  acc[MIN_ATOL] = minAtol;
  acc[MISMATCHES] = mismatches;
  return true;
}

/** Any data: NaN/Inf are counted and classified (see `OutputMetrics` in types.ts). */
function carefulLoop(
  ref: FloatArray,
  act: FloatArray,
  refBits: Int32Array,
  actBits: Int32Array,
  atol: number,
  rtol: number,
  scratch: Float32Array,
  acc: Float64Array,
): void {
  let sumAbs = 0,
    maxAbs = 0,
    sumSq = 0,
    rr = 0,
    aa = 0,
    ra = 0,
    sumAbsRef = 0,
    maxRel = 0,
    maxUlp = 0;
  let minAtol = 0,
    mismatches = 0,
    nan = 0,
    inf = 0,
    nonFinite = 0,
    slow = 0,
    infinite = 0;
  const n = ref.length;
  for (let i = 0; i < n; i++) {
    const r = ref[i]!;
    const a = act[i]!;
    const ad = Math.abs(a - r);
    if (ad <= MAX) {
      sumAbs += ad;
      maxAbs = Math.max(maxAbs, ad);
      sumSq += ad * ad;
      rr += r * r;
      aa += a * a;
      ra += r * a;
      const absR = Math.abs(r);
      sumAbsRef += absR;
      const rt = rtol * absR;
      minAtol = Math.max(minAtol, ad - rt);
      if (ad - (atol + rt) > 0) mismatches++;
      if (absR > 0) maxRel = Math.max(maxRel, ad / absR);
      const ib = actBits[i]!;
      const jb = refBits[i]!;
      const sa = ib >> 31;
      const sr = jb >> 31;
      maxUlp = Math.max(maxUlp, Math.abs(((ib & 0x7fffffff) ^ sa) - sa - (((jb & 0x7fffffff) ^ sr) - sr)));
      scratch[i] = ad;
      continue;
    }
    slow++;
    if (a !== a) nan++;
    else if (a === Infinity || a === -Infinity) inf++;
    if (a === r) {
      scratch[i] = 0; // equal infinities of the same sign: no error
      continue;
    }
    // NaN on either side (NaN always fails), Inf against anything else, or an overflowing difference.
    mismatches++;
    if (!(Number.isFinite(a) && Number.isFinite(r))) nonFinite++;
    infinite = 1;
    scratch[i] = Infinity;
  }
  acc[SUM_ABS] = sumAbs;
  acc[MAX_ABS] = maxAbs;
  acc[SUM_SQ] = sumSq;
  acc[RR] = rr;
  acc[AA] = aa;
  acc[RA] = ra;
  acc[SUM_ABS_REF] = sumAbsRef;
  acc[MAX_REL] = maxRel;
  acc[MAX_ULP] = maxUlp;
  acc[MIN_ATOL] = minAtol;
  acc[MISMATCHES] = mismatches;
  acc[NAN] = nan;
  acc[INF] = inf;
  acc[NON_FINITE] = nonFinite;
  acc[SLOW] = slow;
  acc[INFINITE] = infinite;
}

/**
 * The most offending elements, by excess over tolerance (NaN/Inf mismatches first, as Infinity;
 * ties keep the earliest index). A second pass, run only when there are mismatches: tracking
 * them inside the main loop costs more (register pressure) than this pass.
 */
function findWorst(ref: FloatArray, act: FloatArray, atol: number, rtol: number): number[] {
  const idx = new Int32Array(WORST_COUNT);
  const exs = new Float64Array(WORST_COUNT);
  let size = 0;
  let floor = 0; // only a positive excess (a mismatch) enters
  const n = ref.length;
  for (let i = 0; i < n; i++) {
    const r = ref[i]!;
    const a = act[i]!;
    // NaN when a NaN is involved, or for equal infinities (not a mismatch).
    let ex = Math.abs(a - r) - (atol + rtol * Math.abs(r));
    if (!(ex > floor)) {
      if (ex === ex || a === r || floor === Infinity) continue;
      ex = Infinity;
    }
    let pos = size;
    while (pos > 0 && exs[pos - 1]! < ex) pos--;
    for (let j = Math.min(size, WORST_COUNT - 1); j > pos; j--) {
      exs[j] = exs[j - 1]!;
      idx[j] = idx[j - 1]!;
    }
    exs[pos] = ex;
    idx[pos] = i;
    if (size < WORST_COUNT) size++;
    if (size === WORST_COUNT) floor = exs[WORST_COUNT - 1]!;
  }
  return Array.from(idx.subarray(0, size));
}

// Type feedback for every branch (see the file comment). V8 allocates a function's feedback vector
// only after several calls, hence the repetitions. Float32 only: keeps the common case monomorphic.
for (let k = 0; k < 20; k++) {
  const r = new Float32Array([1, -2, 0, 3, 1e-30, -1, 4, 0.5]);
  const a = new Float32Array([1, 2, 0.5, 3.5, -1e-30, -1.5, 4, 0.5]);
  const bad = new Float32Array([NaN, Infinity, -Infinity, 3, 0, -1, 4, 0.5]);
  const rb = new Int32Array(r.buffer);
  const ab = new Int32Array(a.buffer);
  const s = new Float32Array(8);
  scanErrors(r, a, rb, ab, 0.1, 0.1, s);
  scanErrors(r, bad, rb, new Int32Array(bad.buffer), 0.1, 0.1, s);
}
