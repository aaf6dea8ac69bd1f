/**
 * Task-truth corpus: drives the real `parity run` CLI in a child process (as a user would) on one
 * model and data file, and reads back each target's verdict from report.json plus the variant files the
 * run built (from its own variant cache folder), so the task judges run the very bytes the tool judged.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeNpz } from '../../src/kernel/data/npy.ts';
import type { Tensor } from '../../src/kernel/core/tensor.ts';

const BIN = fileURLToPath(new URL('../../bin/parity.js', import.meta.url));

export interface ToolRun {
  /** The model file given to `--model`. */
  model: string;
  /** NPZ written from these arrays (keyed by input name) and passed as `--data`. */
  data: Record<string, Tensor>;
  variants: readonly string[];
  backends: readonly string[];
  /** Extra CLI arguments, e.g. `['--task', 'out=ctc:blank=0']`. */
  args?: readonly string[];
  /** Work folder: the variant cache, and per process `<label>/<pid>/` with the data file and the report. */
  dir: string;
  /** Sub-folder name for this run's data and report (e.g. the roles mode). */
  label?: string;
}

export interface ToolTarget {
  variant: string;
  backend: string;
  status: string;
  /** Gates that failed, `metric op threshold (value)`; and the report's own words when it has some. */
  why: string;
}

export interface ToolResult {
  exitCode: number;
  targets: ToolTarget[];
  /** Variant name -> the ONNX file the run built and judged. */
  variantFiles: Record<string, string>;
  headline: string;
  /** The verdict's reasons (why the run failed), joined. */
  reasons: string;
  stderr: string;
}

export function runTool(r: ToolRun): ToolResult {
  // Data and report in a folder of this process (several tables may run at once); the variant
  // cache is shared (content-keyed, written atomically), so each variant is built once.
  const work = join(r.dir, r.label ?? 'run', String(process.pid));
  mkdirSync(work, { recursive: true });
  const dataFile = join(work, 'data.npz');
  writeFileSync(dataFile, writeNpz(r.data));
  const out = join(work, 'report');
  const cache = join(r.dir, 'variants');
  const args = [
    'run',
    '--model',
    r.model,
    '--data',
    dataFile,
    '--variants',
    ['fp32', ...r.variants].join(','),
    '--backends',
    r.backends.join(','),
    '--out',
    out,
    ...(r.args ?? []),
  ];
  const p = spawnSync(process.execPath, [BIN, ...args], {
    env: { ...process.env, CI: 'true', NO_COLOR: '1', PARITY_CACHE_DIR: cache },
    encoding: 'utf8',
    timeout: 900_000,
    maxBuffer: 64 << 20,
  });
  const reportPath = join(out, 'report.json');
  if (!existsSync(reportPath) || p.status === 3) {
    return { exitCode: p.status ?? -1, targets: [], variantFiles: {}, headline: lastLine(p.stderr || p.stdout), reasons: '', stderr: p.stderr };
  }
  const report = JSON.parse(readFileSync(reportPath, 'utf8')) as Report;
  const targets = report.targets.map((t) => ({ variant: t.variant, backend: t.backend, status: t.status, why: explain(t) }));
  const reasons = (report.verdict.reasons ?? []).map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join('; ');
  return {
    exitCode: p.status ?? -1,
    targets,
    variantFiles: { ...variantFiles(cache, r.model, report), ...loggedVariantFiles(p.stdout + p.stderr) },
    headline: report.verdict.headline,
    reasons,
    stderr: p.stderr,
  };
}

interface Report {
  verdict: { headline: string; reasons?: unknown[] };
  targets: {
    variant: string;
    modelBytes?: number;
    backend: string;
    status: string;
    reason?: string;
    gates?: { metric: string; op: string; threshold: number; value: number; passed: boolean }[];
  }[];
}

function explain(t: Report['targets'][number]): string {
  const failed = (t.gates ?? []).filter((g) => !g.passed).map((g) => `${g.metric} ${g.value === null ? 'n/a' : fmt(g.value)} ${g.op} ${fmt(g.threshold)}? no`);
  return [...failed, ...(t.reason ? [t.reason] : [])].join('; ');
}

function fmt(x: number): string {
  return Math.abs(x) >= 100 || Number.isInteger(x) ? String(x) : x.toPrecision(3);
}

function lastLine(s: string): string {
  return (
    s
      .split('\n')
      .filter((l) => l.trim() && !l.startsWith('npm warn'))
      .pop() ?? ''
  ).slice(0, 300);
}

/** The variant files the run says it built or found cached (`<model>:<variant>: cached (<path>)` / `built ... → <path>`). */
function loggedVariantFiles(log: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of log.matchAll(/^[^\s:]+:([\w-]+): (?:cached \((.+\.onnx)\)|built .* → (.+\.onnx))$/gm)) out[m[1]!] = (m[2] ?? m[3])!;
  return out;
}

/**
 * The run folds cache hits into one line without paths, so: the cached build of each variant of
 * `model` (its `<key>.json` says variant, source and size) whose size is the one the report gives the
 * variant's targets; the newest when several fit.
 */
function variantFiles(cache: string, model: string, report: Report): Record<string, string> {
  if (!existsSync(cache)) return {};
  const size = new Map(report.targets.map((t) => [t.variant, t.modelBytes]));
  const best: Record<string, { at: string; path: string }> = {};
  for (const f of readdirSync(cache).filter((n) => n.endsWith('.json'))) {
    const meta = JSON.parse(readFileSync(join(cache, f), 'utf8')) as { variant: string; source: string; builtAt: string; bytesAfter: number };
    const bytes = size.get(meta.variant);
    if (resolve(meta.source) !== resolve(model) || (bytes !== undefined && bytes !== meta.bytesAfter)) continue;
    const prev = best[meta.variant];
    if (!prev || meta.builtAt > prev.at) best[meta.variant] = { at: meta.builtAt, path: join(cache, f.replace(/\.json$/, '.onnx')) };
  }
  return Object.fromEntries(Object.entries(best).map(([k, v]) => [k, v.path]));
}
