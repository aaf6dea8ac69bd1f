/**
 * The run's self-noise floor: when a model ran in fp32 on more than one backend, the error of the
 * best fp32 non-reference target is what "the same model, another runtime" costs on these inputs.
 * Every other target reports it beside its own error, so a reader sees whether an fp16 error of
 * 47 dB sits near the runtime floor or far below it. Information only: it does not change a status.
 * Pure: no Node imports.
 */
import type { NoiseFloor, OutputMetrics, TargetVerdict } from './types.ts';

/** True for a verdict whose output was compared element by element. */
function compared(m: OutputMetrics | undefined): m is OutputMetrics {
  return !!m && !m.reason && !Number.isNaN(m.sqnrDb);
}

/** Better = higher SQNR, then smaller maxAbs. */
function better(a: OutputMetrics, b: OutputMetrics): boolean {
  return a.sqnrDb > b.sqnrDb || (a.sqnrDb === b.sqnrDb && a.maxAbs < b.maxAbs);
}

/**
 * Per output, the floor for target `forId`: the best compared output among the fp32 non-reference
 * targets of the same model other than `forId` itself (so the best fp32 target is measured against
 * the next best). Undefined per output when no such target exists.
 */
export function noiseFloorFor(verdicts: readonly TargetVerdict[], forId: string): Record<string, NoiseFloor> {
  const self = verdicts.find((v) => v.id === forId);
  const floors: Record<string, NoiseFloor> = {};
  if (!self) return floors;
  const candidates = verdicts.filter(
    (v) => v.model === self.model && v.precision === 'fp32' && !v.isReference && v.id !== forId && (v.status === 'passed' || v.status === 'failed'),
  );
  for (const name of Object.keys(self.outputs)) {
    let best: { m: OutputMetrics; id: string } | undefined;
    for (const c of candidates) {
      const m = c.outputs[name];
      if (compared(m) && (!best || better(m, best.m))) best = { m, id: c.id };
    }
    if (best) floors[name] = { sqnrDb: best.m.sqnrDb, maxAbs: best.m.maxAbs, from: best.id };
  }
  return floors;
}

/**
 * Sets `noiseFloor` on every compared output of every non-reference target (in place; returns the
 * same array). Models without a second fp32 backend get none.
 */
export function attachNoiseFloors(verdicts: TargetVerdict[]): TargetVerdict[] {
  for (const v of verdicts) {
    if (v.isReference || (v.status !== 'passed' && v.status !== 'failed')) continue;
    const floors = noiseFloorFor(verdicts, v.id);
    for (const [name, floor] of Object.entries(floors)) {
      const m = v.outputs[name];
      if (compared(m)) m.noiseFloor = floor;
    }
  }
  return verdicts;
}
