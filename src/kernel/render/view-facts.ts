/**
 * What a reader needs at a glance, shared by report.html and the benchmark page: the decisive
 * metric of a target (the figure that decided its status), the one-line reason of a target that
 * did not pass, target ids that break at their separators, and per-model header facts taken
 * from what ran (samples actually compared, variants actually planned). Pure: no Node imports.
 */
import type { Report, TargetVerdict } from '../judge/types.ts';
import { escapeHtml } from './escape.ts';
import { fmtCosine, fmtNum, fmtPct, fmtPoints } from './format.ts';
import { displayStatus, failedGates, failingOutputs, gateExplain, outputExplain, worstOutput } from './view.ts';

/** The figure that decided a target's status, short enough for a matrix cell: `top-1 98.2% (needs ≥ 99.9%)`. */
export function decisiveMetric(t: TargetVerdict): string {
  const s = displayStatus(t);
  if (s === 'skip' || s === 'na') return s === 'na' ? 'n/a' : 'skipped';
  if (s === 'error') return t.errorCode ?? 'error';
  const gate = failedGates(t)[0];
  if (gate && s !== 'pass' && s !== 'warn') {
    return gate.value === null ? `${gate.metric}: n/a` : `${gate.metric} ${fmtNum(gate.value, 4)} (${gate.op} ${fmtNum(gate.threshold, 6)})`;
  }
  const [name, failing] = failingOutputs(t)[0] ?? [];
  if (name && failing) return failing.reason ? `${name}: not compared` : `${name}: SQNR ${fmtNum(failing.sqnrDb, 3)} dB, max abs ${fmtNum(failing.maxAbs)}`;
  if (t.isReference) return t.task ? `acc ${fmtPct(t.task.accuracy)}` : 'the reference';
  if (t.task) return `acc Δ ${fmtPoints(t.task.accuracyDelta)}`;
  if (t.decision) return `top-1 ${fmtPct(t.decision.top1Agreement)}`;
  const w = worstOutput(t);
  return w ? `cos ${fmtCosine(w.cosine)}` : '—';
}

/**
 * Why a target did not pass, in one line (first failing output or gate, else its recorded reason);
 * also the declared reason of an expected failure and the first warning of a pass with warnings.
 * Empty for a plain pass.
 */
export function reasonLine(t: TargetVerdict): string {
  const s = displayStatus(t);
  if (s === 'pass') return '';
  if (s === 'warn') return t.warnings?.[0] ?? '';
  if (s === 'xpass') return `declared expected failure (${t.expectedFailure?.reason ?? ''}) now passes: remove the entry`;
  if (s === 'xfail') return `expected: ${t.expectedFailure?.reason ?? ''}${t.reason ? ` — ${firstLine(t.reason)}` : ''}`;
  const [name, m] = failingOutputs(t)[0] ?? [];
  if (name && m) return outputExplain(name, m);
  const gate = failedGates(t)[0];
  if (gate) return `gate failed: ${gateExplain(gate)}`;
  return firstLine(t.reason ?? 'no reason recorded');
}

const firstLine = (s: string) => s.split('\n')[0]!;

/** An id as HTML that wraps only after `:`, `@` and `/` (never mid-token): `a:<wbr>b@<wbr>c/<wbr>d`. */
export function breakableId(id: string): string {
  return escapeHtml(id).replace(/([:@/])/g, '$1<wbr>');
}

/** A stable fragment id for a target's detail card. */
export function targetAnchor(id: string): string {
  return `t-${id.replace(/[^A-Za-z0-9_-]+/g, '-')}`;
}

/** Facts of one model for the header: samples compared (from what ran), variants and backends planned. */
export interface ModelFacts {
  model: string;
  reference: string;
  /** Samples the comparison used; undefined when no target recorded a count. */
  samples?: number;
  variants: string[];
  backends: string[];
}

export function modelFacts(report: Report): ModelFacts[] {
  const byModel = new Map<string, TargetVerdict[]>();
  for (const t of report.targets) byModel.set(t.model, [...(byModel.get(t.model) ?? []), t]);
  return [...byModel].map(([model, targets]) => {
    const counts = targets.map((t) => t.decision?.samples ?? t.task?.samples).filter((n): n is number => typeof n === 'number' && n > 0);
    return {
      model,
      reference: report.references[model] ?? report.reference,
      ...(counts.length ? { samples: Math.max(...counts) } : {}),
      variants: [...new Set(targets.map((t) => t.variant))],
      backends: [...new Set(targets.map((t) => (t.environment === 'browser' ? `${t.backend} (browser)` : t.backend)))],
    };
  });
}
