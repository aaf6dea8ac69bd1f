/**
 * `replay`: a production log (src/tools/capture/format.ts) replayed against the offline reference.
 * For every record it recomputes the features from `raw` through the fitted pipeline (float64)
 * and runs the fp32 reference session on the served features and on the recomputed ones; each
 * slice's gap is then split into feature skew, model-or-backend and input drift
 * (analyze-slice.ts). Pure: the caller loads files and the session.
 */
import type { Session } from '../../kernel/runtime/types.ts';
import { choices, ParityError } from '../../kernel/core/errors.ts';
import type { FittedPipeline } from '../pipeline/fitted.ts';
import { transform } from '../pipeline/index.ts';
import type { RawRow } from '../pipeline/types.ts';
import { analyzeSlice, type ScoredEntry } from './analyze-slice.ts';
import type { DriftInputs } from './drift-cause.ts';
import { DEFAULT_REPLAY_GATES, parseReplayGate } from './gates.ts';
import { joinLabels, labelIndex, parseLabels } from './labels.ts';
import { parseLog, type LogEntry } from './read-log.ts';
import { sampleWidth, scoreRows } from './score.ts';
import { parseBy, sliceEntries } from './slice.ts';
import type { LogProblem, ReplayReport } from './types.ts';

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

function pickOutput(o: ReplayOptions, entries: readonly LogEntry[]): string {
  const names = o.session.outputs.map((s) => s.name);
  if (o.output) {
    if (!names.includes(o.output)) throw new ParityError('USAGE', `output '${o.output}' is not an output of ${o.modelName}; outputs: ${choices(names)}`);
    return o.output;
  }
  const logged = new Set(entries.flatMap((e) => Object.keys(e.outputs)));
  const hit = names.find((n) => logged.has(n));
  if (!hit) throw new ParityError('INPUT_DATA', `no log record has an output of ${o.modelName} (${choices(names)}); the log has ${choices([...logged])}`);
  return hit;
}

/** The record's single flat input, or a problem message. */
function servedFeatures(e: LogEntry, inputName: string, width: number): number[] | string | undefined {
  if (e.features === undefined) return undefined;
  let f: number[] | undefined;
  if (Array.isArray(e.features)) f = e.features;
  else {
    const keys = Object.keys(e.features);
    f = e.features[inputName] ?? (keys.length === 1 ? e.features[keys[0]!] : undefined);
    if (!f) return `features name ${choices(keys)}, but the model input is '${inputName}'`;
  }
  if (f.length !== width) return `features have ${f.length} values; the model input '${inputName}' takes ${width} per request`;
  return f;
}

export async function replay(o: ReplayOptions): Promise<ReplayReport> {
  const gates = (o.gates?.length ? o.gates : DEFAULT_REPLAY_GATES).map(parseReplayGate);
  const parsed = parseLog(o.log.text);
  const problems: LogProblem[] = [...parsed.problems];
  const warnings: string[] = [];
  if (parsed.entries.length === 0)
    throw new ParityError(
      'INPUT_DATA',
      `${o.log.name}: no usable record in ${parsed.lines} line(s)${problems[0] ? `; line ${problems[0].line}: ${problems[0].message}` : ''}`,
    );
  if (o.labels) {
    const l = parseLabels(o.labels.text, o.labels.name);
    problems.push(...l.problems);
    const joined = joinLabels(parsed.entries, l.labels);
    if (joined === 0 && l.labels.size > 0) warnings.push(`${o.labels.name}: none of its ${l.labels.size} ids is in the log`);
  }
  const spec = parseBy(o.by, parsed.entries);
  const output = pickOutput(o, parsed.entries);
  const tabular = o.pipeline?.kind === 'tabular' ? o.pipeline : undefined;
  if (o.pipeline && !tabular) warnings.push('the pipeline is an image pipeline: features are not recomputed from raw');
  const input = o.session.inputs[0]!;
  const width = sampleWidth(input)?.width ?? tabular?.features.length;
  if (width === undefined)
    throw new ParityError('USAGE', `the model input '${input.name}' has symbolic sample dims [${input.dims.join(', ')}] and no pipeline gives its width`);
  const classes = o.classes ?? tabular?.label?.classes;

  const kept: { e: LogEntry; served: number[]; features?: number[] }[] = [];
  for (const e of parsed.entries) {
    const served = e.outputs[output];
    if (!served) {
      problems.push({
        line: e.line,
        id: e.id,
        message: `record '${e.id}' has no output '${output}' (it has ${choices(Object.keys(e.outputs))}); not compared`,
      });
      continue;
    }
    const f = servedFeatures(e, input.name, width);
    if (typeof f === 'string') problems.push({ line: e.line, id: e.id, message: `record '${e.id}': ${f}; compared from raw only` });
    kept.push({ e, served, ...(Array.isArray(f) ? { features: f } : {}) });
  }
  const withRaw = tabular ? kept.filter((k) => k.e.raw) : [];
  const refFeatures = new Map<LogEntry, Float64Array>();
  if (tabular && withRaw.length) {
    const m = transform(
      tabular,
      withRaw.map((k) => k.e.raw as RawRow),
      'offline',
    );
    withRaw.forEach((k, i) => refFeatures.set(k.e, Float64Array.from(m.features.subarray(i * m.cols, (i + 1) * m.cols))));
  }
  const withFeatures = kept.filter((k) => k.features);
  const onServed = await scoreRows(
    o.session,
    withFeatures.map((k) => k.features!),
    width,
    output,
  );
  const onRef = await scoreRows(
    o.session,
    withRaw.map((k) => refFeatures.get(k.e)!),
    width,
    output,
  );
  const served = new Map(withFeatures.map((k, i) => [k.e, onServed[i]!]));
  const fromRef = new Map(withRaw.map((k, i) => [k.e, onRef[i]!]));
  const scored = new Map<LogEntry, ScoredEntry>();
  for (const k of kept) {
    const rf = refFeatures.get(k.e);
    const label = labelIndex(k.e.label, classes, k.served.length);
    scored.set(k.e, {
      entry: k.e,
      served: k.served,
      ...(served.get(k.e) ? { onServed: served.get(k.e)! } : {}),
      ...(fromRef.get(k.e) ? { onReference: fromRef.get(k.e)! } : {}),
      ...(k.features ? { servedFeatures: k.features } : {}),
      ...(rf ? { referenceFeatures: rf } : {}),
      ...(label !== undefined ? { label } : {}),
    });
  }
  const ctx = {
    ...(tabular ? { pipeline: tabular } : {}),
    ...(o.reference ? { reference: o.reference } : {}),
    gates,
    outputAtol: o.outputAtol ?? 1e-3,
    referenceBackend: o.referenceBackend,
    output,
  };
  const slices = sliceEntries(
    kept.map((k) => k.e),
    spec,
  ).map((g) =>
    analyzeSlice(
      g.key,
      g.tags,
      g.entries.map((e) => scored.get(e)!),
      ctx,
    ),
  );
  const best = Math.max(0, ...slices.map((s) => s.metrics.labelCoverage));
  if (best > 0) {
    const ratio = o.sparseLabelRatio ?? 0.5;
    const sparse = slices.filter((s) => s.metrics.labelCoverage < ratio * best);
    for (const s of sparse)
      s.warnings.push(
        `labels cover ${(100 * s.metrics.labelCoverage).toFixed(1)}% of this slice vs ${(100 * best).toFixed(1)}% of the best-covered one: its accuracy may be biased by partial feedback`,
      );
    if (sparse.length)
      warnings.push(
        `sparse labels in ${sparse.length} slice(s): ${sparse.map((s) => s.key).join('; ')} — their accuracy rests on a partial, possibly biased, sample`,
      );
  }
  const passed = slices.every((s) => s.status === 'ok');
  return {
    schemaVersion: 1,
    createdAt: o.createdAt ?? new Date().toISOString(),
    log: { name: o.log.name, lines: parsed.lines, records: kept.length, skipped: parsed.lines - kept.length },
    model: { name: o.modelName, classifierOutput: output, ...(classes ? { classes: [...classes] } : {}) },
    ...(o.pipelineName ? { pipeline: o.pipelineName } : {}),
    ...(o.reference ? { reference: { name: o.reference.name, rows: o.reference.rows.length } } : {}),
    by: spec.keys,
    ...(spec.window ? { window: spec.window.text } : {}),
    slices,
    problems,
    warnings,
    gates: gates.map((g) => `${g.metric} ${g.op} ${g.threshold}`),
    passed,
    exitCode: problems.length ? 2 : passed ? 0 : 1,
  };
}
