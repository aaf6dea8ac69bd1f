/**
 * `compareBaseline(report, saved)`: every target of this run against the same target (by id) in a
 * saved report.json — status, output errors, decision and task metrics, latency — with the
 * noise-aware rules of rules.ts. The result goes into `report.baseline`; its regressions fail the
 * run (see `baselineReasons`). Pure: the caller reads the saved file.
 */
import { choices, ParityError } from '../../kernel/core/errors.ts';
import { SCHEMA_VERSION } from '../../kernel/core/record.ts';
import type { Report } from '../../kernel/judge/types.ts';
import { DEFAULT_BASELINE_RULES, RULES, type BaselineRules, type MetricChange } from './rules.ts';

export type { MetricChange, BaselineRules } from './rules.ts';
export { DEFAULT_BASELINE_RULES } from './rules.ts';

export interface BaselineComparison {
  /** The saved report compared with. */
  baseline: { name: string; createdAt: string; schemaVersion: number };
  /** Targets found in both. */
  compared: string[];
  regressions: MetricChange[];
  improvements: MetricChange[];
  /** Targets in only one of the two reports. */
  unmatched: { current: string[]; baseline: string[] };
  rules: BaselineRules;
  notes: string[];
}

/** A report with its baseline comparison. */
export type ReportWithBaseline = Report & { baseline: BaselineComparison };

/**
 * Checks that `doc` is a report.json this tool can compare with.
 * @throws ParityError CONFIG_INVALID naming what is wrong (not a report, another schema version).
 */
export function parseSavedReport(doc: unknown, name: string): Report {
  const d = doc as Partial<Report> | null;
  if (!d || typeof d !== 'object' || !Array.isArray(d.targets) || d.tool?.name !== 'infer-parity') {
    throw new ParityError(
      'CONFIG_INVALID',
      `baseline ${name} is not an infer-parity report.json (expected an object with tool.name 'infer-parity' and a targets array)`,
    );
  }
  if (d.schemaVersion !== SCHEMA_VERSION) {
    throw new ParityError(
      'CONFIG_INVALID',
      `baseline ${name} was written with report schema version ${String(d.schemaVersion)} (tool ${d.tool?.version ?? 'unknown'}); this tool reads schema version ${SCHEMA_VERSION} — re-run the baseline with this version, or compare with the version that wrote it`,
    );
  }
  return d as Report;
}

export function compareBaseline(current: Report, saved: unknown, options: { name?: string; rules?: Partial<BaselineRules> } = {}): BaselineComparison {
  const name = options.name ?? 'baseline';
  const base = parseSavedReport(saved, name);
  const rules: BaselineRules = { ...DEFAULT_BASELINE_RULES, ...options.rules };
  const byId = new Map(base.targets.map((t) => [t.id, t]));
  const currentIds = current.targets.map((t) => t.id);
  const compared = currentIds.filter((id) => byId.has(id));
  if (compared.length === 0) {
    throw new ParityError(
      'INPUT_DATA',
      `baseline ${name} has no target of this run, so nothing can be compared: baseline targets ${choices(base.targets.map((t) => t.id))}; this run ${choices(currentIds)} — compare runs of the same models and backends`,
    );
  }
  const changes: MetricChange[] = [];
  const notes: string[] = [];
  for (const t of current.targets) {
    const b = byId.get(t.id);
    if (!b) continue;
    if (b.status === 'skipped' || t.status === 'skipped')
      notes.push(`${t.id}: skipped in ${b.status === 'skipped' ? 'the baseline' : 'this run'}, metrics not compared`);
    for (const rule of RULES) changes.push(...rule(t.id, b, t, rules));
  }
  const unmatched = { current: currentIds.filter((id) => !byId.has(id)), baseline: base.targets.map((t) => t.id).filter((id) => !currentIds.includes(id)) };
  if (unmatched.baseline.length) notes.push(`not in this run: ${unmatched.baseline.join(', ')}`);
  if (unmatched.current.length) notes.push(`new in this run (no baseline): ${unmatched.current.join(', ')}`);
  if (base.config?.samples !== current.config.samples || base.config?.seed !== current.config.seed) {
    notes.push(
      `the baseline ran ${base.config?.samples} samples with seed ${base.config?.seed}, this run ${current.config.samples} with seed ${current.config.seed}: error metrics are over different inputs`,
    );
  }
  return {
    baseline: { name, createdAt: base.createdAt, schemaVersion: base.schemaVersion },
    compared,
    rules,
    notes,
    unmatched,
    regressions: changes.filter((c) => c.direction === 'regression'),
    improvements: changes.filter((c) => c.direction === 'improvement'),
  };
}

/** One verdict reason per regression (`baseline: <message>`); empty when none. Feed these to the verdict. */
export function baselineReasons(b: BaselineComparison): string[] {
  return b.regressions.map((r) => `baseline regression: ${r.message}`);
}
