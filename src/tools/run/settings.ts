/**
 * Target settings as a plan dimension: `--cpu-throttle`, `--threads` and `--batch` sweeps turn one
 * planned target into one target per setting combination, each with its own id suffix
 * (`mnist-cnn:fp32@ort-web/wasm/browser[cpu×4]`, `…[threads=2]`, `…[batch=8]`). The unconstrained
 * target stays in the plan, so a report shows each setting beside the machine as it is. Sweeps
 * are opt-in: with none, the plan is exactly what it was. Pure: no Node imports.
 */
import type { BackendId, EnvKind } from '../../kernel/core/ids.ts';
import type { SettingSweeps, TargetSettings, TargetSpec } from '../../kernel/core/record.ts';

export type { SettingSweeps };
import type { PlannedTarget } from './plan.ts';

export const NO_SWEEPS: SettingSweeps = { cpuThrottle: [], threads: [], batch: [] };

/**
 * Backends whose thread count a run can set, per environment: ORT's intra-op pool (ort-node) and,
 * in the page, the wasm thread pools (`ort.env.wasm.numThreads`, tfjs-wasm's `setThreadsCount`),
 * each fixed when a page first starts it; the browser environment opens a fresh page when the
 * count changes.
 */
const THREADED_BACKENDS: readonly { backend: BackendId; environment: EnvKind }[] = [
  { backend: 'ort-node/cpu', environment: 'node' },
  { backend: 'ort-web/wasm', environment: 'browser' },
  { backend: 'ort-web-1.29/wasm', environment: 'browser' },
  { backend: 'tfjs/wasm', environment: 'browser' },
];

/** Whether a run can set this target's thread count. */
export function threadsApply(spec: Pick<TargetSpec, 'backend' | 'environment'>): boolean {
  return THREADED_BACKENDS.some((t) => t.backend === spec.backend && t.environment === spec.environment);
}

/** `[cpu×4,threads=2,batch=8]`, or '' without settings. */
export function settingsSuffix(s: TargetSettings | undefined): string {
  if (!s) return '';
  const parts = [
    ...(s.cpuThrottle !== undefined ? [`cpu×${s.cpuThrottle}`] : []),
    ...(s.threads !== undefined ? [`threads=${s.threads}`] : []),
    ...(s.batch !== undefined ? [`batch=${s.batch}`] : []),
  ];
  return parts.length ? `[${parts.join(',')}]` : '';
}

/**
 * Every target × setting combination that applies to it, in plan order (each target followed by
 * its constrained copies). Targets that are skipped anyway, or that `expand` refuses, are not expanded.
 */
export function expandSettings(planned: readonly PlannedTarget[], sweeps: SettingSweeps, expand: (p: PlannedTarget) => boolean = () => true): PlannedTarget[] {
  if (!sweeps.cpuThrottle.length && !sweeps.threads.length && !sweeps.batch.length) return [...planned];
  const out: PlannedTarget[] = [];
  for (const p of planned) {
    out.push(p);
    // The reference itself stays unconstrained; its constrained copies are targets judged against it.
    if (p.skipReason || !expand(p)) continue;
    for (const settings of combinations(p.spec, sweeps)) {
      const spec: TargetSpec = { ...p.spec, id: p.spec.id + settingsSuffix(settings), settings };
      out.push({ ...p, spec });
    }
  }
  return out;
}

/** Setting combinations for one target, the empty one (the target itself) left out. */
function combinations(spec: TargetSpec, sweeps: SettingSweeps): TargetSettings[] {
  const axis = <T>(values: readonly T[], applies: boolean, neutral?: T): (T | undefined)[] => [
    undefined,
    ...(applies ? [...new Set(values)].filter((v) => v !== neutral) : []),
  ];
  const out: TargetSettings[] = [];
  for (const cpuThrottle of axis(sweeps.cpuThrottle, spec.environment === 'browser', 1)) {
    for (const threads of axis(sweeps.threads, threadsApply(spec))) {
      for (const batch of axis(sweeps.batch, true, 1)) {
        const s: TargetSettings = {
          ...(cpuThrottle !== undefined ? { cpuThrottle } : {}),
          ...(threads !== undefined ? { threads } : {}),
          ...(batch !== undefined ? { batch } : {}),
        };
        if (Object.keys(s).length) out.push(s);
      }
    }
  }
  return out;
}

/** Sweep flags (`--threads 1,2,4`) are parsed where every run flag is: src/kernel/config/flags.ts. */
export { parseSweep } from '../../kernel/config/flags.ts';
