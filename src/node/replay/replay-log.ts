/**
 * `parity replay` at any scale: the log read through DuckDB (duckdb-log.ts) and streamed chunk by
 * chunk through the replay engine (src/tools/replay/engine.ts), so memory stays bounded whatever
 * the log's size. With `--shard i/n` it replays its share of the requests (by request-id hash)
 * and writes mergeable per-slice statistics (shard-file.ts); without, the report itself.
 * Per-request results go to requests.parquet for the user's own tools.
 */
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, type WriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { ParityError } from '../../kernel/core/errors.ts';
import type { Session } from '../../kernel/runtime/types.ts';
import type { FittedPipeline } from '../../tools/pipeline/fitted.ts';
import { pickOutput, ReplayEngine, type RequestResult } from '../../tools/replay/engine.ts';
import { finishOptions, finishReplay } from '../../tools/replay/finish.ts';
import { DEFAULT_REPLAY_GATES, parseReplayGate } from '../../tools/replay/gates.ts';
import { inShard, type ShardSpec } from '../../tools/replay/request-hash.ts';
import { parseByTags } from '../../tools/replay/slice.ts';
import { SAMPLE_SIZE } from '../../tools/replay/slice-stats.ts';
import type { ReplayReport } from '../../tools/replay/types.ts';
import { fileQuery, labelsQuery, listLogFiles, LogDatabase, logDisplayName, streamLines, type LogFile } from './duckdb-log.ts';
import type { ShardFile } from './shard-file.ts';

export interface ReplayLogOptions {
  /** A JSONL or Parquet file, a glob of them, or an s3:// / https:// URL. */
  log: string;
  session: Session;
  referenceBackend: string;
  modelName: string;
  output?: string;
  classes?: readonly string[];
  pipeline?: FittedPipeline;
  pipelineName?: string;
  reference?: { name: string; rows: readonly Record<string, unknown>[]; columns: string[] };
  /** Labels joined by id: CSV, JSONL or Parquet with columns id, label. */
  labels?: string;
  by?: string;
  gates?: readonly string[];
  shard?: ShardSpec;
  /** Where requests.parquet goes (none without it). */
  out?: string;
  /** Rows kept per slice for the skew and drift tests (default the engine's). */
  sampleSize?: number;
  createdAt?: string;
}

const quote = (s: string) => `'${s.replaceAll("'", "''")}'`;
const union = (queries: readonly string[]) => queries.map((q, i) => `SELECT ${i} AS file, * FROM (${q})`).join(' UNION ALL ');

/** Env tag keys and output names the log carries, from SQL over every file. */
async function logShape(db: LogDatabase, all: string): Promise<{ tags: string[]; outputs: string[] }> {
  const keys = async (field: string) =>
    (
      await db.rows(
        `SELECT DISTINCT unnest(json_keys(j->'${field}')) AS k FROM (SELECT text::JSON AS j FROM (${all}) WHERE json_valid(text)) WHERE json_type(j->'${field}') = 'OBJECT' ORDER BY k`,
      )
    ).map((r) => String(r.k));
  return { tags: await keys('env'), outputs: await keys('outputs') };
}

/** Lines whose id repeats an earlier line's, named as the in-memory reader names them. */
async function repeatedIds(db: LogDatabase, all: string, shard: ShardSpec | undefined): Promise<{ line: number; id: string; message: string }[]> {
  const rows = await db.rows(
    `WITH l AS (SELECT file, line, id FROM (${all}) WHERE id IS NOT NULL),
          d AS (SELECT id, arg_min(line, (file, line)) AS first, min((file, line)) AS pos FROM l GROUP BY id HAVING count(*) > 1)
     SELECT l.line, l.id, d.first FROM l JOIN d USING (id) WHERE (l.file, l.line) > d.pos ORDER BY l.file, l.line LIMIT 5000`,
  );
  return rows
    .map((r) => ({ line: Number(r.line), id: String(r.id), first: Number(r.first) }))
    .filter((r) => inShard(r.id, shard))
    .map((r) => ({ line: r.line, id: r.id, message: `id '${r.id}' repeats line ${r.first}; labels join on the first` }));
}

/** Appends per-request results as JSON lines (converted to Parquet at the end). */
class RequestSink {
  private readonly stream: WriteStream;
  constructor(readonly path: string) {
    this.stream = createWriteStream(path);
  }
  async write(rows: readonly RequestResult[]): Promise<void> {
    if (!rows.length) return;
    const ok = this.stream.write(rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
    if (!ok) await new Promise<void>((r) => this.stream.once('drain', () => r()));
  }
  close(): Promise<void> {
    return new Promise((r) => this.stream.end(() => r()));
  }
}

const REQUEST_COLUMNS = `{'id': 'VARCHAR', 'file': 'INTEGER', 'line': 'BIGINT', 'slice': 'VARCHAR', 'servedClass': 'INTEGER', 'referenceClass': 'INTEGER', 'modelClass': 'INTEGER', 'label': 'INTEGER', 'decisionFlip': 'BOOLEAN', 'modelFlip': 'BOOLEAN', 'skewFlip': 'BOOLEAN'}`;

export interface ReplayLogResult {
  /** The report (unsharded runs). */
  report?: ReplayReport;
  /** The mergeable statistics (the whole log's on an unsharded run). */
  shard: ShardFile;
  /** Files the log was read from. */
  files: LogFile[];
  /** requests.parquet, when `out` was given. */
  requests?: string;
}

export async function replayLog(o: ReplayLogOptions): Promise<ReplayLogResult> {
  const gates = (o.gates?.length ? o.gates : DEFAULT_REPLAY_GATES).map(parseReplayGate);
  const db = await LogDatabase.open();
  const scratch = mkdtempSync(join(tmpdir(), 'parity-replay-'));
  try {
    const files = await listLogFiles(db, o.log);
    const all = union(await Promise.all(files.map((f) => fileQuery(db, f))));
    const warnings: string[] = [];
    if (o.labels) {
      try {
        await db.connection.run(`CREATE TABLE labels AS ${labelsQuery(resolve(o.labels))}`);
      } catch (e) {
        throw new ParityError(
          'INPUT_DATA',
          `--labels ${o.labels}: expected a CSV, JSONL or Parquet file with columns id and label (${String((e as Error).message).split('\n')[0]})`,
        );
      }
      const [c] = await db.rows(`SELECT (SELECT count(*) FROM labels) AS n, (SELECT count(*) FROM labels WHERE id IN (SELECT id FROM (${all}))) AS joined`);
      if (Number(c!.joined) === 0 && Number(c!.n) > 0) warnings.push(`${basename(o.labels)}: none of its ${Number(c!.n)} ids is in the log`);
    }
    const shape = await logShape(db, all);
    const [count] = await db.rows(`SELECT count(*) AS n FROM (${all})`);
    if (Number(count!.n) === 0) throw new ParityError('INPUT_DATA', `--log ${o.log}: no line in ${files.length} file(s)`);
    const spec = parseByTags(o.by, shape.tags);
    const output = pickOutput(o.session, o.modelName, o.output, new Set(shape.outputs));
    const classes = o.classes ?? (o.pipeline?.kind === 'tabular' ? o.pipeline.label?.classes : undefined);
    const engine = new ReplayEngine({
      session: o.session,
      modelName: o.modelName,
      output,
      spec,
      ...(classes ? { classes } : {}),
      ...(o.pipeline ? { pipeline: o.pipeline } : {}),
      ...(o.shard ? { shard: o.shard } : {}),
      ...(o.sampleSize ? { sampleSize: o.sampleSize } : {}),
      fileNames: files.map((f) => basename(f.path)),
    });
    for (const p of await repeatedIds(db, all, o.shard)) engine.problem(p);
    const sink = o.out ? new RequestSink(join(scratch, 'requests.jsonl')) : undefined;
    for (const [i, f] of files.entries()) {
      for await (const lines of streamLines(db, f, i, !!o.labels)) {
        const results = await engine.add(lines);
        if (sink) await sink.write(results);
      }
    }
    let requests: string | undefined;
    if (sink && o.out) {
      await sink.close();
      mkdirSync(o.out, { recursive: true });
      requests = join(o.out, o.shard && o.shard.count > 1 ? `requests-${o.shard.index + 1}-of-${o.shard.count}.parquet` : 'requests.parquet');
      await db.connection.run(
        `COPY (SELECT * FROM read_json(${quote(sink.path)}, format='newline_delimited', columns=${REQUEST_COLUMNS})) TO ${quote(requests)} (FORMAT parquet)`,
      );
    }
    if (engine.tally.records === 0 && !o.shard)
      throw new ParityError(
        'INPUT_DATA',
        `--log ${o.log}: no usable record in ${engine.tally.lines} line(s)${engine.tally.problems[0] ? `; line ${engine.tally.problems[0].line}: ${engine.tally.problems[0].message}` : ''}`,
      );
    const finish = finishOptions({
      modelName: o.modelName,
      referenceBackend: o.referenceBackend,
      ...(o.pipeline ? { pipeline: o.pipeline } : {}),
      ...(o.pipelineName ? { pipelineName: o.pipelineName } : {}),
      ...(o.reference ? { reference: o.reference } : {}),
      ...(o.createdAt ? { createdAt: o.createdAt } : {}),
      ...(classes ? { classes } : {}),
      logName: logDisplayName(o.log),
      output,
      spec,
      gates,
    });
    const allWarnings = [...warnings, ...engine.warnings];
    const shard: ShardFile = {
      shard: o.shard ?? { index: 0, count: 1 },
      spec,
      output,
      ...(classes ? { classes: [...classes] } : {}),
      sampleSize: o.sampleSize ?? SAMPLE_SIZE,
      tally: engine.tally,
      warnings: allWarnings,
      slices: engine.stats(),
    };
    if (o.shard && o.shard.count > 1) return { files, ...(requests ? { requests } : {}), shard };
    return { files, ...(requests ? { requests } : {}), shard, report: finishReplay(engine.stats(), engine.tally, allWarnings, finish) };
  } finally {
    db.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}
