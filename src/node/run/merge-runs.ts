/**
 * Joins the output directories of several runs (the shards of one run, or runs on different
 * machines or browsers) into one: records united in plan order, judged again with the runs'
 * shared references, labels, tolerances and gates — the same report one unsharded run gives.
 * A target whose raw outputs were not kept (`--keep-outputs reference`, the default) keeps the
 * verdict its own run's report.json gave it. Node only.
 */
import { parseTaskFlag } from '../../kernel/judge/role-spec.ts';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decideVerdict } from '../../kernel/judge/verdict.ts';
import { attachNoiseFloors } from '../../kernel/judge/noise-floor.ts';
import { reviveNonFinite } from '../../kernel/render/json.ts';
import type { TargetVerdict } from '../../kernel/judge/types.ts';
import { judgeRun } from '../../kernel/judge/judge.ts';
import type { Report } from '../../kernel/judge/types.ts';
import { ParityError } from '../../kernel/core/errors.ts';
import type { RunRecord } from '../../kernel/core/record.ts';
import { readRecords } from './records-writer.ts';
import { REPORT_FILES } from '../report/write-all.ts';
import { readRunMeta, type RunMeta } from './run-meta.ts';

export interface MergedRun {
  records: RunRecord[];
  /** The merged meta (no shard). */
  meta: RunMeta;
  report: Report;
  /** Things worth telling: unreadable lines, targets no shard ran, duplicates. */
  warnings: string[];
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function unite<T>(into: Record<string, T>, from: Record<string, T>, what: string, dir: string): void {
  for (const [k, v] of Object.entries(from)) {
    if (k in into && !same(into[k], v)) {
      throw new ParityError(
        'CONFIG_INVALID',
        `${dir}: its ${what} for '${k}' differs from the other runs'; only runs of the same suite and data can be merged`,
      );
    }
    into[k] = v;
  }
}

/** Reads and merges `dirs`. @throws ParityError FILE_NOT_FOUND, CONFIG_INVALID (runs that do not fit together). */
/**
 * `options.tasks`: `--task OUTPUT=ROLE` given to merge — it replaces the role the runs recorded for
 * that output, in every model that has it, so a wrong inferred role is corrected without rerunning.
 */
export function mergeRuns(dirs: readonly string[], options: { createdAt?: string; tasks?: readonly string[] } = {}): MergedRun {
  if (dirs.length === 0) throw new ParityError('USAGE', 'parity merge needs at least one run directory');
  const warnings: string[] = [];
  const metas = dirs.map((d) => readRunMeta(d));
  const first = metas[0]!;
  const references: Record<string, string> = {};
  const labels: Record<string, readonly number[]> = {};
  const classifierOutputs: Record<string, string> = {};
  const plan: string[] = [];
  const byId = new Map<string, { record: RunRecord; dir: string }>();
  /** Verdicts of targets whose outputs were not kept, from their run's report.json. */
  const judged = new Map<string, TargetVerdict>();
  metas.forEach((m, i) => {
    const dir = dirs[i]!;
    for (const key of ['policy', 'gates', 'expectedFailures', 'seed'] as const) {
      if (!same(m[key], first[key]))
        throw new ParityError('CONFIG_INVALID', `${dir}: its ${key} differs from ${dirs[0]}'s; only runs of the same suite can be merged`);
    }
    unite(references, m.references, 'reference target', dir);
    unite(labels, m.labels, 'labels', dir);
    unite(classifierOutputs, m.classifierOutputs, 'classifier output', dir);
    for (const id of m.plan) if (!plan.includes(id)) plan.push(id);
    const { records, skipped } = readRecords(join(dir, REPORT_FILES.records));
    const saved = savedVerdicts(dir);
    for (const s of skipped) warnings.push(`${dir}/${REPORT_FILES.records}:${s.line}: ${s.reason} (${s.preview})`);
    const refs = new Set(Object.values(m.references));
    for (const r of records) {
      const prev = byId.get(r.target.id);
      if (prev && refs.has(r.target.id)) {
        if (!same(prev.record.outputs, r.outputs))
          warnings.push(`reference ${r.target.id}: outputs in ${dir} differ from ${prev.dir}'s (a non-deterministic reference); the first is used`);
        continue;
      }
      if (prev) warnings.push(`${r.target.id} was recorded in ${prev.dir} and ${dir}; the one from ${dir} is used`);
      byId.set(r.target.id, { record: r, dir });
      if (outputsDropped(r)) {
        const v = saved.get(r.target.id);
        if (v) judged.set(r.target.id, v);
        else warnings.push(`${r.target.id}: its outputs were not kept and ${dir}/${REPORT_FILES.json} has no verdict for it; judged without outputs`);
      } else judged.delete(r.target.id);
    }
  });
  const missing = plan.filter((id) => !byId.has(id));
  if (missing.length)
    warnings.push(`${missing.length} planned target(s) are in no run (a shard missing?): ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', …' : ''}`);
  const order = (id: string) => (plan.includes(id) ? plan.indexOf(id) : plan.length);
  const records = [...byId.values()].map((v) => v.record).sort((a, b) => order(a.target.id) - order(b.target.id));
  const union = (xs: string[][]) => [...new Set(xs.flat())];
  const { shard: _shard, ...base } = first;
  const meta: RunMeta = {
    ...base,
    references,
    labels,
    classifierOutputs,
    plan,
    config: {
      models: union(metas.map((m) => m.config.models)),
      samples: Math.max(...metas.map((m) => m.config.samples)),
      seed: first.config.seed,
      variants: union(metas.map((m) => m.config.variants)),
      backends: union(metas.map((m) => m.config.backends)),
    },
    environment: { ...withoutShard(first.environment), mergedFrom: dirs.join(', ') },
  };
  if (options.tasks?.length) {
    const given = options.tasks.map((t) => parseTaskFlag(t));
    const models = new Set([...Object.keys(references), ...Object.keys(meta.roles ?? {})]);
    const roles = { ...(meta.roles ?? {}) };
    for (const model of models)
      roles[model] = { ...(roles[model] ?? {}), ...Object.fromEntries(given.map((g) => [g.output, { ...g.spec, source: 'cli' as const }])) };
    meta.roles = roles;
    if (judged.size)
      warnings.push(
        `--task cannot change ${judged.size} target(s) whose outputs were not kept (their saved verdicts stand); run with --keep-outputs all to re-judge them`,
      );
  }
  const { schemaVersion: _v, plan: _p, ...judge } = meta;
  const rejudged = judgeRun({ ...judge, records, ...(options.createdAt ? { createdAt: options.createdAt } : {}) });
  const targets = rejudged.targets.map((t) => judged.get(t.id) ?? t);
  if (judged.size) {
    // Noise floors come from the fp32 targets of all runs together, as one unsharded run measures them.
    for (const t of targets) for (const m of Object.values(t.outputs)) delete (m as { noiseFloor?: unknown }).noiseFloor;
    attachNoiseFloors(targets);
  }
  const report = judged.size ? { ...rejudged, targets, verdict: decideVerdict(targets, []) } : rejudged;
  return { records, meta, report, warnings };
}

function withoutShard(env: Record<string, unknown>): Record<string, unknown> {
  const { shard: _s, ...rest } = env;
  return rest;
}

const outputsDropped = (r: RunRecord) => r.status === 'ok' && !r.outputs && (r as { outputsKept?: boolean }).outputsKept === false;

/** Target verdicts of a run's report.json, by id (none when it has no readable report). */
function savedVerdicts(dir: string): Map<string, TargetVerdict> {
  const path = join(dir, REPORT_FILES.json);
  if (!existsSync(path)) return new Map();
  try {
    const report = JSON.parse(readFileSync(path, 'utf8'), reviveNonFinite) as { targets?: TargetVerdict[] };
    return new Map((report.targets ?? []).map((t) => [t.id, t]));
  } catch {
    return new Map();
  }
}
