/**
 * The replay engine: log lines in, batch by batch, mergeable per-slice statistics out. Memory is
 * bounded by one batch plus each slice's fixed-size sample, whatever the log's length, so the same
 * engine serves a test fixture (replay.ts, whole text) and a day of production logs streamed
 * through DuckDB (src/node/replay). For each record it recomputes the features from `raw` through
 * the fitted pipeline (float64) and runs the fp32 reference on the served and on the recomputed
 * features, in batches. Pure: the caller reads the log and loads the session.
 */
import type { Session } from '../../kernel/runtime/types.ts';
import { choices, ParityError } from '../../kernel/core/errors.ts';
import type { FittedPipeline, FittedTabular } from '../pipeline/fitted.ts';
import { transform } from '../pipeline/index.ts';
import type { RawRow } from '../pipeline/types.ts';
import type { ScoredEntry } from './analyze-slice.ts';
import { argmax } from './decisions.ts';
import { labelIndex } from './labels.ts';
import { isEntry, parseLogLine, type LogEntry } from './read-log.ts';
import { inShard, requestHash, type ShardSpec } from './request-hash.ts';
import { addToSlice, newSliceStats, SAMPLE_SIZE, type SliceStats } from './slice-stats.ts';
import { sampleWidth, scoreRows } from './score.ts';
import { sliceOf, type SliceSpec } from './slice.ts';
import type { LogProblem } from './types.ts';

/** Problems listed by line; past this many they are only counted. @default 1000 */
const MAX_LISTED_PROBLEMS = 1000;

/** One line of the log as read: its place (file index, 1-based line), text, and what the reader joined to it. */
export interface LogLine {
  file: number;
  line: number;
  text: string;
  /** The request id when the reader extracted it (null: the line has none); undefined: parse to find it. */
  id?: string | null;
  /** A label joined from `--labels` by id; it replaces the log's own. */
  label?: string | number;
}

/** What one request came to: the row written to requests.parquet. */
export interface RequestResult {
  id: string;
  file: number;
  line: number;
  slice: string;
  servedClass: number;
  /** Class of the reference end to end (pipeline + model from raw, else model on served features). */
  referenceClass: number | null;
  /** Class of the reference model on the served features. */
  modelClass: number | null;
  label: number | null;
  decisionFlip: boolean | null;
  modelFlip: boolean | null;
  skewFlip: boolean | null;
}

export interface EngineOptions {
  session: Session;
  modelName: string;
  /** The output compared (pickOutput). */
  output: string;
  classes?: readonly string[];
  pipeline?: FittedPipeline;
  spec: SliceSpec;
  shard?: ShardSpec;
  /** Rows kept per slice for the skew and drift tests. @default SAMPLE_SIZE */
  sampleSize?: number;
  /** Names of the log's files by index: a problem in a multi-file log names its file. */
  fileNames?: readonly string[];
}

/** Counts and listed problems of the lines this engine saw (its shard's). */
export interface LogTally {
  lines: number;
  records: number;
  problems: LogProblem[];
  /** Problems past {@link MAX_LISTED_PROBLEMS}. */
  unlistedProblems: number;
}

/** The reference output name: the one asked for, else the first model output the log carries. */
export function pickOutput(session: Session, modelName: string, asked: string | undefined, logged: ReadonlySet<string>): string {
  const names = session.outputs.map((s) => s.name);
  if (asked) {
    if (!names.includes(asked)) throw new ParityError('USAGE', `output '${asked}' is not an output of ${modelName}; outputs: ${choices(names)}`);
    return asked;
  }
  const hit = names.find((n) => logged.has(n));
  if (!hit) throw new ParityError('INPUT_DATA', `no log record has an output of ${modelName} (${choices(names)}); the log has ${choices([...logged])}`);
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

export class ReplayEngine {
  readonly tally: LogTally = { lines: 0, records: 0, problems: [], unlistedProblems: 0 };
  readonly warnings: string[] = [];
  private readonly slices = new Map<string, SliceStats>();
  private readonly tabular?: FittedTabular;
  private readonly width: number;

  constructor(private readonly o: EngineOptions) {
    this.tabular = o.pipeline?.kind === 'tabular' ? o.pipeline : undefined;
    if (o.pipeline && !this.tabular) this.warnings.push('the pipeline is an image pipeline: features are not recomputed from raw');
    const input = o.session.inputs[0]!;
    const width = sampleWidth(input)?.width ?? this.tabular?.features.length;
    if (width === undefined)
      throw new ParityError('USAGE', `the model input '${input.name}' has symbolic sample dims [${input.dims.join(', ')}] and no pipeline gives its width`);
    this.width = width;
  }

  /** Records a problem (listed up to MAX_LISTED_PROBLEMS, counted past it). */
  problem(p: LogProblem): void {
    if (this.tally.problems.length < MAX_LISTED_PROBLEMS) this.tally.problems.push(p);
    else this.tally.unlistedProblems++;
  }

  /** Replays one batch of lines; returns one result per compared request. Lines of other shards are passed over. */
  async add(lines: readonly LogLine[]): Promise<RequestResult[]> {
    const o = this.o;
    const named = (o.fileNames?.length ?? 0) > 1;
    const problem = (file: number, p: LogProblem) => this.problem(named && o.fileNames![file] ? { ...p, file: o.fileNames![file] } : p);
    const input = o.session.inputs[0]!;
    const kept: { e: LogEntry; file: number; served: number[]; features?: number[] }[] = [];
    for (const l of lines) {
      if (l.id !== undefined && !inShard(l.id ?? '', o.shard)) continue;
      const parsed = parseLogLine(l.text, l.line);
      const id = isEntry(parsed) ? parsed.id : (parsed.id ?? '');
      if (l.id === undefined && !inShard(id, o.shard)) continue;
      this.tally.lines++;
      if (!isEntry(parsed)) {
        problem(l.file, parsed);
        continue;
      }
      const e = parsed;
      if (l.label !== undefined) e.label = l.label;
      const served = e.outputs[o.output];
      if (!served) {
        problem(l.file, {
          line: e.line,
          id: e.id,
          message: `record '${e.id}' has no output '${o.output}' (it has ${choices(Object.keys(e.outputs))}); not compared`,
        });
        continue;
      }
      const f = servedFeatures(e, input.name, this.width);
      if (typeof f === 'string') problem(l.file, { line: e.line, id: e.id, message: `record '${e.id}': ${f}; compared from raw only` });
      kept.push({ e, file: l.file, served, ...(Array.isArray(f) ? { features: f } : {}) });
    }
    this.tally.records += kept.length;
    const withRaw = this.tabular ? kept.filter((k) => k.e.raw) : [];
    const refFeatures = new Map<LogEntry, Float64Array>();
    if (this.tabular && withRaw.length) {
      const m = transform(
        this.tabular,
        withRaw.map((k) => k.e.raw as RawRow),
        'offline',
      );
      withRaw.forEach((k, i) => refFeatures.set(k.e, Float64Array.from(m.features.subarray(i * m.cols, (i + 1) * m.cols))));
    }
    const withFeatures = kept.filter((k) => k.features);
    const onServed = await scoreRows(
      o.session,
      withFeatures.map((k) => k.features!),
      this.width,
      o.output,
    );
    const onRef = await scoreRows(
      o.session,
      withRaw.map((k) => refFeatures.get(k.e)!),
      this.width,
      o.output,
    );
    const servedOut = new Map(withFeatures.map((k, i) => [k.e, onServed[i]!]));
    const refOut = new Map(withRaw.map((k, i) => [k.e, onRef[i]!]));
    const results: RequestResult[] = [];
    for (const k of kept) {
      const rf = refFeatures.get(k.e);
      const label = labelIndex(k.e.label, o.classes, k.served.length);
      const scored: ScoredEntry = {
        entry: k.e,
        served: k.served,
        ...(servedOut.get(k.e) ? { onServed: servedOut.get(k.e)! } : {}),
        ...(refOut.get(k.e) ? { onReference: refOut.get(k.e)! } : {}),
        ...(k.features ? { servedFeatures: k.features } : {}),
        ...(rf ? { referenceFeatures: rf } : {}),
        ...(label !== undefined ? { label } : {}),
      };
      const { key, tags } = sliceOf(k.e, o.spec);
      let s = this.slices.get(key);
      if (!s) this.slices.set(key, (s = newSliceStats(key, tags, [k.file, k.e.line])));
      addToSlice(s, scored, requestHash(k.e.id), k.file, o.sampleSize ?? SAMPLE_SIZE);
      results.push(resultOf(scored, key, k.file));
    }
    return results;
  }

  /** Every slice's statistics so far. */
  stats(): SliceStats[] {
    return [...this.slices.values()];
  }
}

function resultOf(x: ScoredEntry, slice: string, file: number): RequestResult {
  const servedClass = argmax(x.served);
  const endRef = x.onReference ?? x.onServed;
  const cls = (v: ArrayLike<number> | undefined) => (v ? argmax(v) : null);
  const flip = (a: ArrayLike<number> | undefined, b: ArrayLike<number> | undefined) => (a && b ? argmax(a) !== argmax(b) : null);
  return {
    id: x.entry.id,
    file,
    line: x.entry.line,
    slice,
    servedClass,
    referenceClass: cls(endRef),
    modelClass: cls(x.onServed),
    label: x.label ?? null,
    decisionFlip: flip(x.served, endRef),
    modelFlip: flip(x.served, x.onServed),
    skewFlip: flip(x.onServed, x.onReference),
  };
}
