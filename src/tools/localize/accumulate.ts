/**
 * Accumulation gets an answer: when no single node recovers enough of the final error, search the
 * smallest set of nodes that, run as the reference runs them (`recovery.ts`), makes the final
 * outputs pass. Over the nodes the target changed, in topological order: the shortest suffix that
 * passes (bisection), then the shortest segment from its start (bisection), then the fewest of that
 * segment's changed nodes, most added noise first (bisection). Assumes fixing more nodes never
 * hurts (the usual case); each answer is a measured pass, never inferred. Polygraphy's
 * `debug precision` bisects the same way over layers. Pure: any Backend.
 */
import { recover, type Fix, type Recovery, type RecoveryContext } from './recovery.ts';
import type { AccumulationFix, RecoveryRecord } from './types.ts';

export interface AccumulateInput {
  ctx: RecoveryContext;
  /** Every reference node label in topological order (Constant nodes left out). */
  order: readonly string[];
  /** Labels the target changed (rewritten, re-typed, other constants). */
  changed: ReadonlySet<string>;
  /** Noise each node adds (for the last step's ordering); missing counts as 0. */
  addedNsr: ReadonlyMap<string, number>;
  log: (line: string) => void;
  /** Recovery runs allowed. Default 40. */
  maxTrials?: number;
}

/** Turns a recovery into its record. */
export function recordOf(r: Recovery): RecoveryRecord {
  return {
    label: r.label,
    nodes: r.fix.kind === 'nodes' ? r.fix.nodes : r.fix.cuts.map((c) => c.tensor),
    share: r.share,
    passes: r.error.passes,
    finalNsr: r.error.nsr,
    ...(r.failed ? { failed: r.failed } : {}),
  };
}

/** Searches the smallest passing set; undefined when there is nothing changed to fix. */
export async function accumulate(a: AccumulateInput): Promise<{ fix?: AccumulationFix; trials: RecoveryRecord[] }> {
  const changedPos = a.order.flatMap((label, i) => (a.changed.has(label) ? [i] : []));
  const trials: RecoveryRecord[] = [];
  if (!changedPos.length) return { trials };
  const budget = a.maxTrials ?? 40;
  const cache = new Map<string, Recovery>();
  const tryNodes = async (nodes: string[], what: string): Promise<Recovery> => {
    const key = nodes.join('\u0000');
    const hit = cache.get(key);
    if (hit) return hit;
    if (cache.size >= budget)
      return { label: what, fix: { kind: 'nodes', nodes }, error: { nsr: NaN, passes: false }, share: NaN, failed: 'trial budget spent' };
    a.log(`accumulation: fixing ${what}`);
    const fix: Fix = { kind: 'nodes', nodes };
    const r = await recover(a.ctx, fix, what);
    cache.set(key, r);
    trials.push(recordOf(r));
    return r;
  };
  const segment = (i: number, j: number) => a.order.slice(changedPos[i]!, changedPos[j]! + 1) as string[];
  const label = (i: number, j: number) => `${changedPos[j]! - changedPos[i]! + 1} nodes '${a.order[changedPos[i]!]}' … '${a.order[changedPos[j]!]}'`;
  const n = changedPos.length;
  const full = await tryNodes(segment(0, n - 1), label(0, n - 1));
  if (!full.error.passes) {
    const why = full.failed
      ? `the recovery failed: ${full.failed}`
      : `fixing all ${n} changed node(s) recovers ${(100 * full.share).toFixed(0)}% and still fails`;
    return { trials, fix: result(segment(0, n - 1), full, trials.length, `no set of the target's changed nodes restores the gate (${why})`) };
  }
  let lo = 0,
    hi = n - 1;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if ((await tryNodes(segment(mid, n - 1), label(mid, n - 1))).error.passes) lo = mid;
    else hi = mid - 1;
  }
  const start = lo;
  lo = start;
  hi = n - 1;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if ((await tryNodes(segment(start, mid), label(start, mid))).error.passes) hi = mid;
    else lo = mid + 1;
  }
  const seg = segment(start, lo);
  let best = (await tryNodes(seg, label(start, lo)))!;
  let nodes = seg;
  // Fewest changed nodes of the segment, most added noise first.
  const ranked = seg.filter((l) => a.changed.has(l)).sort((x, y) => (a.addedNsr.get(y) ?? 0) - (a.addedNsr.get(x) ?? 0));
  let k0 = 1,
    k1 = ranked.length;
  while (k0 < k1) {
    const mid = Math.floor((k0 + k1) / 2);
    const pick = new Set(ranked.slice(0, mid));
    const set = seg.filter((l) => pick.has(l));
    const r = await tryNodes(set, `the ${mid} noisiest changed node(s) of the segment`);
    if (r.error.passes) {
      k1 = mid;
      best = r;
      nodes = set;
    } else k0 = mid + 1;
  }
  const note = `${nodes.filter((l) => a.changed.has(l)).length} changed node(s) at reference precision restore the gate (${(100 * best.share).toFixed(0)}% of the final error recovered; ${trials.length} recovery run(s))`;
  return { trials, fix: result(nodes, best, trials.length, note) };

  function result(nodes: string[], r: Recovery, count: number, note: string): AccumulationFix {
    const excludeNodes = nodes.filter((l) => a.changed.has(l));
    return { nodes, excludeNodes, recoveredShare: r.share, passes: r.error.passes, trials: count, command: `--exclude-nodes ${excludeNodes.join(',')}`, note };
  }
}
