/**
 * Drift's verdict: each failed gate is a failure (exit 1), in the one verdict shape every command
 * reports (src/kernel/judge/verdict.ts). Features that could not be compared are warnings.
 * Pure: no Node imports.
 */
import { buildVerdict, type Verdict } from '../../kernel/judge/verdict.ts';
import type { GateResult } from './types.ts';

/** What drift counts: features compared and drifted (alarms), gates checked and failed. */
export interface DriftCounts {
  features: number;
  drifted: number;
  skipped: number;
  gates: number;
  gatesFailed: number;
}

export type DriftVerdict = Verdict<DriftCounts>;

/** One line per failed gate: `gate failed: psi <= 0.2 (worst 0.41; temp_max, humidity)`. */
function gateLine(g: GateResult): string {
  const where = g.failures.length ? `; ${g.failures.map((f) => f.feature).join(', ')}` : '';
  return `gate failed: ${g.gate} (${g.value === null ? (g.note ?? 'no value') : `worst ${g.value}`}${where})`;
}

/** The verdict of a drift report, from its gates. */
export function driftVerdict(r: {
  features: readonly { significance: { alarm: boolean } }[];
  skipped: readonly { name: string; reason: string }[];
  gates: readonly GateResult[];
}): DriftVerdict {
  const failed = r.gates.filter((g) => !g.passed);
  const drifted = r.features.filter((f) => f.significance.alarm).length;
  const counts = { features: r.features.length, drifted, skipped: r.skipped.length, gates: r.gates.length, gatesFailed: failed.length };
  return buildVerdict({
    counts,
    summary: `${drifted} of ${r.features.length} features drifted; ${r.gates.length - failed.length} of ${r.gates.length} gates passed`,
    failures: failed.map(gateLine),
    warnings: r.skipped.map((s) => `feature '${s.name}' not compared: ${s.reason}`),
  });
}
