/**
 * Mergeable statistics of one replay slice, so a log of any size is replayed in bounded memory and
 * shards of it (`parity replay --shard i/n`) merge into exactly the numbers of one unsharded run.
 *
 * Decision and accuracy rates are exact integer tallies. What needs rows — the skew engine's
 * diagnoses and the drift test — runs on a bottom-k sample: the `SAMPLE_SIZE` requests with the
 * smallest request-id hash. A bottom-k sample is deterministic and mergeable (the k smallest of a
 * union are the k smallest of the parts' k smallest), and below k requests it is the whole slice.
 * Pure.
 */
import type { ScoredEntry } from './analyze-slice.ts';
import { argmax } from './decisions.ts';

/** Requests per slice kept for the skew and drift tests. @default 4096 */
export const SAMPLE_SIZE = 4096;
/** Backend tags named per slice (more are counted, not named). */
const MAX_BACKENDS = 16;

/** A tally of decisions: pairs compared and how many changed class. */
export interface FlipTally {
  pairs: number;
  flips: number;
}

/** One sampled request: its place in the log and what was computed for it. */
export interface SampledEntry {
  /** Request-id hash (request-hash.ts) that orders the sample. */
  hash: number;
  /** Position in the log: file index, then line. */
  file: number;
  scored: ScoredEntry;
}

export interface SliceStats {
  key: string;
  tags: Record<string, string>;
  n: number;
  /** Earliest position in the log (file, line): slices are listed in order of first appearance. */
  first: [number, number];
  /** served vs the end-to-end reference (pipeline + model from raw, else model on served features). */
  endToEnd: FlipTally;
  /** served vs the reference model on the served features. */
  model: FlipTally & { maxAbs: number };
  /** the reference model on served vs on recomputed features. */
  skew: FlipTally;
  labeled: number;
  served: { labeled: number; correct: number };
  reference: { labeled: number; correct: number };
  /**
   * Served outputs of requests that have an on-served reference: all zeros, any NaN, and whether
   * all are one vector (`first`, kept only while that holds).
   */
  symptoms: { outputs: number; zeros: number; nans: number; first?: number[]; constant: boolean };
  backends: string[];
  withRaw: number;
  withServedFeatures: number;
  withReferenceFeatures: number;
  sample: SampledEntry[];
}

export function newSliceStats(key: string, tags: Record<string, string>, first: [number, number]): SliceStats {
  return {
    key,
    tags,
    n: 0,
    first,
    endToEnd: { pairs: 0, flips: 0 },
    model: { pairs: 0, flips: 0, maxAbs: 0 },
    skew: { pairs: 0, flips: 0 },
    labeled: 0,
    served: { labeled: 0, correct: 0 },
    reference: { labeled: 0, correct: 0 },
    symptoms: { outputs: 0, zeros: 0, nans: 0, constant: true },
    backends: [],
    withRaw: 0,
    withServedFeatures: 0,
    withReferenceFeatures: 0,
    sample: [],
  };
}

function tally(t: FlipTally, a: ArrayLike<number> | undefined, b: ArrayLike<number> | undefined): boolean {
  if (!a || !b) return false;
  t.pairs++;
  if (argmax(a) !== argmax(b)) t.flips++;
  return true;
}

/** Largest |a − b| (Infinity when a NaN stands on one side only, or the lengths differ). */
function maxAbs(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    m = Math.max(m, Number.isNaN(d) ? (Number.isNaN(a[i]!) && Number.isNaN(b[i]!) ? 0 : Infinity) : d);
  }
  return m;
}

const before = (a: readonly [number, number], b: readonly [number, number]) => a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
/** Sample order: hash, then position (ties between equal ids stay deterministic). */
function sampleOrder(a: SampledEntry, b: SampledEntry): number {
  if (a.hash !== b.hash) return a.hash < b.hash ? -1 : 1;
  return a.file - b.file || a.scored.entry.line - b.scored.entry.line;
}

function addSymptoms(s: SliceStats['symptoms'], served: readonly number[]): void {
  let zero = served.length > 0;
  let nan = false;
  for (const x of served) {
    if (x !== 0) zero = false;
    if (Number.isNaN(x)) nan = true;
  }
  if (zero) s.zeros++;
  if (nan) s.nans++;
  if (s.outputs === 0) s.first = [...served];
  else if (s.constant && !(s.first!.length === served.length && served.every((x, i) => Object.is(x, s.first![i])))) {
    // Once outputs differ the vector is no longer needed; dropping it keeps merged stats canonical.
    s.constant = false;
    delete s.first;
  }
  s.outputs++;
}

/** Keeps the list sorted, so merged statistics do not depend on the order requests came in. */
function addBackend(list: string[], b: string | undefined): void {
  if (!b || list.includes(b)) return;
  list.push(b);
  list.sort();
  if (list.length > MAX_BACKENDS) list.length = MAX_BACKENDS;
}

/** Adds one scored request (at log position `file`, `entry.line`) to its slice. */
export function addToSlice(s: SliceStats, x: ScoredEntry, hash: number, file: number, sampleSize = SAMPLE_SIZE): void {
  s.n++;
  const pos: [number, number] = [file, x.entry.line];
  if (before(pos, s.first)) s.first = pos;
  const endRef = x.onReference ?? x.onServed;
  tally(s.endToEnd, x.served, endRef);
  if (tally(s.model, x.served, x.onServed)) {
    s.model.maxAbs = Math.max(s.model.maxAbs, maxAbs(x.served, x.onServed!));
    addSymptoms(s.symptoms, x.served);
  }
  tally(s.skew, x.onServed, x.onReference);
  if (x.label !== undefined) {
    s.labeled++;
    s.served.labeled++;
    if (argmax(x.served) === x.label) s.served.correct++;
    if (endRef) {
      s.reference.labeled++;
      if (argmax(endRef) === x.label) s.reference.correct++;
    }
  }
  addBackend(s.backends, x.entry.env.backend);
  if (x.entry.raw) s.withRaw++;
  if (x.servedFeatures) s.withServedFeatures++;
  if (x.referenceFeatures) s.withReferenceFeatures++;
  insertSample(s.sample, { hash, file, scored: x }, sampleSize);
}

/** Keeps the `k` smallest by {@link sampleOrder}, sorted. */
function insertSample(sample: SampledEntry[], e: SampledEntry, k: number): void {
  if (sample.length >= k && sampleOrder(e, sample[sample.length - 1]!) >= 0) return;
  let lo = 0;
  let hi = sample.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sampleOrder(sample[mid]!, e) < 0) lo = mid + 1;
    else hi = mid;
  }
  sample.splice(lo, 0, e);
  if (sample.length > k) sample.pop();
}

/** The union of two slices' statistics (same key): exactly what one pass over both parts gives. */
export function mergeSliceStats(a: SliceStats, b: SliceStats, sampleSize = SAMPLE_SIZE): SliceStats {
  const sum = (x: FlipTally, y: FlipTally): FlipTally => ({ pairs: x.pairs + y.pairs, flips: x.flips + y.flips });
  const fa = a.symptoms.first;
  const fb = b.symptoms.first;
  const sameFirst = !a.symptoms.outputs || !b.symptoms.outputs || (!!fa && !!fb && fa.length === fb.length && fa.every((x, i) => Object.is(x, fb[i])));
  const constant = a.symptoms.constant && b.symptoms.constant && sameFirst;
  const first = constant ? (fa ?? fb) : undefined;
  const backends = [...a.backends];
  for (const x of b.backends) addBackend(backends, x);
  backends.sort();
  const sample = [...a.sample, ...b.sample].sort(sampleOrder).slice(0, sampleSize);
  return {
    key: a.key,
    tags: a.tags,
    n: a.n + b.n,
    first: before(b.first, a.first) ? b.first : a.first,
    endToEnd: sum(a.endToEnd, b.endToEnd),
    model: { ...sum(a.model, b.model), maxAbs: Math.max(a.model.maxAbs, b.model.maxAbs) },
    skew: sum(a.skew, b.skew),
    labeled: a.labeled + b.labeled,
    served: { labeled: a.served.labeled + b.served.labeled, correct: a.served.correct + b.served.correct },
    reference: { labeled: a.reference.labeled + b.reference.labeled, correct: a.reference.correct + b.reference.correct },
    symptoms: {
      outputs: a.symptoms.outputs + b.symptoms.outputs,
      zeros: a.symptoms.zeros + b.symptoms.zeros,
      nans: a.symptoms.nans + b.symptoms.nans,
      constant,
      // after `constant`: the key order of an engine-built slice, so merged statistics encode identically
      ...(first ? { first } : {}),
    },
    backends,
    withRaw: a.withRaw + b.withRaw,
    withServedFeatures: a.withServedFeatures + b.withServedFeatures,
    withReferenceFeatures: a.withReferenceFeatures + b.withReferenceFeatures,
    sample,
  };
}

/** The sample's requests in log order (the order the skew and drift engines see them in). */
export function sampleInLogOrder(s: SliceStats): ScoredEntry[] {
  return [...s.sample].sort((a, b) => a.file - b.file || a.scored.entry.line - b.scored.entry.line).map((x) => x.scored);
}
