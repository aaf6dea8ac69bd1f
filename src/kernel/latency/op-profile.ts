/**
 * Per-op time (`--profile`): op-type totals from a runtime's profiler, turned into the report's
 * top-ops list (`targets[].profile.top: [{ op, ms, share }]`). Parsers for ORT's session profile
 * (a Chrome-trace JSON array) and tfjs's `tf.profile` kernel list live here too. Pure: no Node
 * imports.
 */
import type { OpProfile } from '../core/record.ts';

/** Ops kept in a profile's `top` list. */
const TOP_OPS = 10;

/** Runs a profiled target makes (each once more under the profiler, after the timed runs). */
export const PROFILE_RUNS = 10;

/** Adds `ms` to op `op` in `totals`. */
export function addOpTime(totals: Map<string, number>, op: string, ms: number): void {
  if (Number.isFinite(ms) && ms >= 0) totals.set(op, (totals.get(op) ?? 0) + ms);
}

/** The `k` most expensive ops with their share of the summed op time. */
export function topOps(totals: ReadonlyMap<string, number>, runs: number, source: string, k = TOP_OPS): OpProfile {
  const sum = [...totals.values()].reduce((a, b) => a + b, 0);
  const top = [...totals]
    .sort((a, b) => b[1] - a[1])
    .slice(0, k)
    .map(([op, ms]) => ({ op, ms: round(ms), share: sum > 0 ? round(ms / sum) : 0 }));
  return { source, runs, top };
}

/** A profile that could not be taken, with the reason. */
export function noProfile(source: string, reason: string): OpProfile {
  return { source, runs: 0, top: [], unavailable: reason };
}

/**
 * Op-type totals (ms) from an ORT profile file: the `Node` events named `<node>_kernel_time`,
 * grouped by `args.op_name` (`dur` is in µs).
 */
export function parseOrtProfile(events: unknown): Map<string, number> {
  const totals = new Map<string, number>();
  if (!Array.isArray(events)) return totals;
  for (const e of events as { cat?: string; name?: string; dur?: number; args?: { op_name?: string } }[]) {
    if (e?.cat !== 'Node' || !e.name?.endsWith('_kernel_time') || typeof e.dur !== 'number') continue;
    addOpTime(totals, e.args?.op_name ?? e.name, e.dur / 1000);
  }
  return totals;
}

/**
 * Adds tfjs `tf.profile(...).kernels` times into `totals`. Op wrappers (`fusedConv2d__op`) time
 * the kernels they run and are left out, as are kernels whose timer failed.
 */
export function addTfKernels(totals: Map<string, number>, kernels: readonly { name: string; kernelTimeMs: unknown }[]): void {
  for (const k of kernels) if (typeof k.kernelTimeMs === 'number' && !k.name.endsWith('__op')) addOpTime(totals, k.name, k.kernelTimeMs);
}

const round = (x: number): number => Math.round(x * 1e4) / 1e4;
