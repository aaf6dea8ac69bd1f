/**
 * `replay` on a log held in memory (a test fixture, a small log): the streaming engine
 * (engine.ts) fed the whole text, then the report (finish.ts). Large logs go through the same
 * engine from src/node/replay, which reads them with DuckDB. Pure: the caller loads files and the
 * session.
 */
import type { Session } from '../../kernel/runtime/types.ts';
import { ParityError } from '../../kernel/core/errors.ts';
import type { FittedPipeline } from '../pipeline/fitted.ts';
import type { DriftInputs } from './drift-cause.ts';
import { pickOutput, ReplayEngine, type LogLine } from './engine.ts';
import { finishOptions, finishReplay } from './finish.ts';
import { DEFAULT_REPLAY_GATES, parseReplayGate } from './gates.ts';
import { parseLabels } from './labels.ts';
import { parseLog } from './read-log.ts';
import { parseBy } from './slice.ts';
import type { ReplayReport } from './types.ts';

export interface ReplayOptions {
  log: { name: string; text: string };
  /** The fp32 reference session (ort-node/cpu in the CLI). */
  session: Session;
  /** Its backend id, named in messages. */
  referenceBackend: string;
  modelName: string;
  /** Classifier output to compare. Default: the manifest's, else the first model output the log has. */
  output?: string;
  /** Class names (a label may be a name or an index). Default: the pipeline's label classes. */
  classes?: readonly string[];
  pipeline?: FittedPipeline;
  pipelineName?: string;
  /** Training data for the input-drift test. */
  reference?: DriftInputs['reference'];
  labels?: { name: string; text: string };
  /** `--by`. Default: the whole env tuple. */
  by?: string;
  /** Default {@link DEFAULT_REPLAY_GATES}. */
  gates?: readonly string[];
  /** @default 1e-3 */
  outputAtol?: number;
  /** A slice whose label coverage is below this share of the best-covered slice's is named in a warning. @default 0.5 */
  sparseLabelRatio?: number;
  createdAt?: string;
}

/** Lines per engine batch. */
const BATCH_LINES = 4096;

export async function replay(o: ReplayOptions): Promise<ReplayReport> {
  const gates = (o.gates?.length ? o.gates : DEFAULT_REPLAY_GATES).map(parseReplayGate);
  const parsed = parseLog(o.log.text);
  if (parsed.entries.length === 0)
    throw new ParityError(
      'INPUT_DATA',
      `${o.log.name}: no usable record in ${parsed.lines} line(s)${parsed.problems[0] ? `; line ${parsed.problems[0].line}: ${parsed.problems[0].message}` : ''}`,
    );
  const warnings: string[] = [];
  let labels: Map<string, string | number> | undefined;
  const labelProblems = [];
  if (o.labels) {
    const l = parseLabels(o.labels.text, o.labels.name);
    labelProblems.push(...l.problems);
    labels = l.labels;
    const joined = parsed.entries.filter((e) => l.labels.has(e.id)).length;
    if (joined === 0 && l.labels.size > 0) warnings.push(`${o.labels.name}: none of its ${l.labels.size} ids is in the log`);
  }
  const spec = parseBy(o.by, parsed.entries);
  const output = pickOutput(o.session, o.modelName, o.output, new Set(parsed.entries.flatMap((e) => Object.keys(e.outputs))));
  const classes = o.classes ?? (o.pipeline?.kind === 'tabular' ? o.pipeline.label?.classes : undefined);
  const engine = new ReplayEngine({
    session: o.session,
    modelName: o.modelName,
    output,
    ...(classes ? { classes } : {}),
    ...(o.pipeline ? { pipeline: o.pipeline } : {}),
    spec,
  });
  // Repeated ids are named once here, as the streaming reader names them from SQL.
  for (const p of parsed.problems) if (/^id '.*' repeats line \d+/.test(p.message)) engine.problem(p);
  for (const p of labelProblems) engine.problem(p);
  const lines: LogLine[] = [];
  o.log.text.split(/\r?\n/).forEach((text, i) => {
    if (text.trim() === '') return;
    let label: string | number | undefined;
    if (labels) {
      try {
        const d = JSON.parse(text) as { id?: unknown };
        if (typeof d.id === 'string' || typeof d.id === 'number') label = labels.get(String(d.id));
      } catch {
        // not JSON: the engine names the line
      }
    }
    lines.push({ file: 0, line: i + 1, text, ...(label !== undefined ? { label } : {}) });
  });
  for (let start = 0; start < lines.length; start += BATCH_LINES) await engine.add(lines.slice(start, start + BATCH_LINES));
  return finishReplay(
    engine.stats(),
    engine.tally,
    [...warnings, ...engine.warnings],
    finishOptions({
      ...o,
      logName: o.log.name,
      output,
      ...(classes ? { classes } : {}),
      spec,
      gates,
    }),
  );
}
