/**
 * Task-truth corpus: for one case, runs the tool once (all variants x backends) and judges the task
 * outcome of every target it reports with the case's own judge, giving one row per model x variant x
 * backend: tool verdict, task outcome, and whether they agree.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CorpusCase, TaskOutcome } from './corpus.ts';
import { BACKENDS, type CorpusBackend } from './runner.ts';
import { runTool } from './tool.ts';

export const VARIANTS = ['fp16', 'int8-weight', 'int8-dynamic', 'int8-static', 'int4-weight'];

export interface Row {
  model: string;
  variant: string;
  backend: string;
  /** How the tool knew the output roles: `--task` given, or left to its inference. */
  roles: 'declared' | 'inferred';
  /** passed / failed / skipped / error, plus the failed gates or the reason. */
  tool: string;
  toolWhy: string;
  task: 'survives' | 'broken' | '?';
  metrics: string;
  /** yes / NO / n/a (the tool could not judge this target). */
  agree: 'yes' | 'NO' | 'n/a';
}

/** Task outcomes depend only on the case, the file and the backend: judged once per process (both roles modes share them). */
const outcomes = new Map<string, Promise<TaskOutcome>>();
function judgeOnce(c: CorpusCase, file: string, backend: CorpusBackend): Promise<TaskOutcome> {
  const key = `${c.name}\n${file}\n${backend}`;
  if (!outcomes.has(key)) outcomes.set(key, c.judge(file, backend));
  return outcomes.get(key)!;
}

let taskFlag: boolean | undefined;
/** Whether this checkout's `parity run` takes `--task` (it is being added beside this corpus). */
export function toolHasTaskFlag(): boolean {
  if (taskFlag === undefined) {
    const help = execFileSync(process.execPath, [fileURLToPath(new URL('../../bin/parity.js', import.meta.url)), 'run', '--help'], { encoding: 'utf8' });
    taskFlag = /--task\b/.test(help);
  }
  return taskFlag;
}

export interface AgreementOptions {
  variants?: readonly string[];
  backends?: readonly CorpusBackend[];
  roles: 'declared' | 'inferred';
  /** Work folder (data, reports, variant cache: reused across runs, so variants are built once). */
  dir: string;
}

export async function agreementRows(c: CorpusCase, o: AgreementOptions): Promise<Row[]> {
  const variants = o.variants ?? VARIANTS;
  const backends = o.backends ?? BACKENDS;
  const data = await c.data();
  const args = [...(c.args ?? []), ...(o.roles === 'declared' ? c.task.flatMap((t) => ['--task', t]) : [])];
  const slug = c.name.replace(/[^A-Za-z0-9]+/g, '-').toLowerCase();
  const run = runTool({ model: c.model, data: data ?? {}, variants, backends, args, dir: join(o.dir, slug), label: o.roles });
  const rows: Row[] = [];
  const base = { model: c.name, roles: o.roles };
  if (c.implausible) {
    // Garbage in: no target can do the task, so the run must fail, and for the reference's sake (a
    // variant failing its own gates does not count). Per-target rows would only restate this.
    const cause = await c.implausible();
    const ref = run.targets.find((t) => t.variant === 'fp32' && t.backend === 'ort-node/cpu');
    const named = /implausib|plausib/i.test(`${run.reasons} ${ref?.why ?? ''}`);
    const failing = run.targets.filter((t) => t.status === 'failed').map((t) => `${t.variant}@${t.backend}`);
    const why = `${run.headline}; reference ${ref?.status ?? '?'}${named ? ' (implausible reference named)' : ''}; failed: ${failing.join(', ') || 'none'}`;
    rows.push({
      ...base,
      variant: '(run)',
      backend: '(all)',
      tool: `exit ${run.exitCode}`,
      toolWhy: why,
      task: 'broken',
      metrics: cause,
      agree: run.exitCode === 1 && named ? 'yes' : 'NO',
    });
    return rows;
  }
  if (!run.targets.length) {
    rows.push({
      ...base,
      variant: '(run)',
      backend: '(all)',
      tool: `exit ${run.exitCode}`,
      toolWhy: `no report: ${run.headline}`,
      task: '?',
      metrics: '',
      agree: 'n/a',
    });
    return rows;
  }
  for (const t of run.targets) {
    if (t.variant === 'fp32' && t.backend === 'ort-node/cpu') continue; // the reference itself
    const file = t.variant === 'fp32' ? (c.onnx ?? c.model) : run.variantFiles[t.variant];
    const judgeable = (BACKENDS as readonly string[]).includes(t.backend) && file !== undefined;
    const outcome = judgeable ? await judgeOnce(c, file, t.backend as CorpusBackend) : undefined;
    const toolPass = t.status === 'passed';
    const toolJudged = t.status === 'passed' || t.status === 'failed';
    rows.push({
      ...base,
      variant: t.variant,
      backend: t.backend,
      tool: t.status,
      toolWhy: t.why,
      task: outcome ? (outcome.survives ? 'survives' : 'broken') : '?',
      metrics: outcome?.metrics ?? (file === undefined ? 'the run named no file for this variant' : 'no task judge for this backend'),
      agree: !outcome || !toolJudged ? 'n/a' : toolPass === outcome.survives ? 'yes' : 'NO',
    });
  }
  return rows;
}
