/**
 * `parity replay`: a production capture log (infer-parity/capture: JSONL or Parquet, a file, a glob
 * or a URL, read through DuckDB) replayed against the offline reference — fitted pipeline in
 * float64, the fp32 model on ort-node/cpu — sliced by env tags and time windows; each slice's gap
 * split into feature skew, model-or-backend and input drift. Writes replay.json, replay.md,
 * replay.html and requests.parquet. `--shard i/n` replays one share and writes mergeable
 * statistics; `parity replay merge DIR...` joins the shards into the same report. Exit code:
 * `verdict.exitCode`.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { createNodeRegistry } from '../../runtimes/node-registry.ts';
import { ParityError } from '../../../kernel/core/errors.ts';
import type { FittedPipeline } from '../../../tools/pipeline/fitted.ts';
import { replayToHtml, replayToMarkdown, replayToText } from '../../../tools/replay/render.ts';
import { DEFAULT_REPLAY_GATES, parseReplayGate, REPLAY_METRICS } from '../../../tools/replay/gates.ts';
import { finishOptions, finishReplay } from '../../../tools/replay/finish.ts';
import type { ReplayReport } from '../../../tools/replay/types.ts';
import { parseShard } from '../../../tools/run/shard.ts';
import { readCsvFile, readFittedFile, writeReportFiles } from '../../pipeline/node-io.ts';
import { logDisplayName } from '../../replay/duckdb-log.ts';
import { replayLog } from '../../replay/replay-log.ts';
import { encodeShard, mergeShards, readShards, SHARD_FILE_KIND, shardFileName, type ShardRun } from '../../replay/shard-file.ts';
import { loadModel } from '../../run/load-model.ts';
import { collect } from '../shared/options.ts';
import type { RegisterCommand } from './types.ts';

interface ReplayFlags {
  log: string;
  model: string;
  pipeline?: string;
  reference?: string;
  by?: string;
  labels?: string;
  output?: string;
  gate?: string[];
  shard?: string;
  out?: string;
  json?: boolean;
}

const REFERENCE_BACKEND = 'ort-node/cpu';

function fingerprint(paths: readonly (string | undefined)[]): string {
  const h = createHash('sha256');
  for (const p of paths) h.update(p && existsSync(p) ? readFileSync(p) : 'none');
  return h.digest('hex');
}

/** Model, session, pipeline and reference data for one replay (or a merge), from the flags. */
async function prepare(f: Omit<ReplayFlags, 'log' | 'shard' | 'out' | 'json'>) {
  const model = await loadModel(f.model);
  if (!model.onnx) throw new ParityError('USAGE', `--model ${f.model}: replay runs the reference on ${REFERENCE_BACKEND}, which needs an ONNX model`);
  const pipelinePath = f.pipeline ?? model.pipeline?.fitted;
  const pipeline: FittedPipeline | undefined = pipelinePath ? readFittedFile(pipelinePath) : undefined;
  const ref = f.reference ? readCsvFile(f.reference, 'reference data') : undefined;
  const classes = (model.manifest?.facts as { classes?: unknown } | undefined)?.classes;
  const session = await (await createNodeRegistry().get(REFERENCE_BACKEND)).load(model.onnx);
  return {
    session,
    modelName: model.name,
    output: f.output ?? model.classifierOutput,
    ...(Array.isArray(classes) && classes.every((c) => typeof c === 'string') ? { classes: classes as string[] } : {}),
    ...(pipeline ? { pipeline, pipelineName: basename(pipelinePath!) } : {}),
    ...(ref ? { reference: { name: basename(f.reference!), rows: ref.rows, columns: ref.columns } } : {}),
    fingerprint: fingerprint([model.path, pipelinePath, f.reference]),
  };
}

function print(report: ReplayReport, flags: { out?: string; json?: boolean }, extra: string[] = []): void {
  const json = JSON.stringify(report, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v), 2) + '\n';
  process.stdout.write(flags.json ? json : replayToText(report));
  if (flags.out) {
    const paths = writeReportFiles(resolve(flags.out), { 'replay.json': json, 'replay.md': replayToMarkdown(report), 'replay.html': replayToHtml(report) });
    if (!flags.json) process.stdout.write(`reports: ${[...paths, ...extra].join(', ')}\n`);
  }
}

export const register: RegisterCommand = (program, setExit) => {
  const replay = program
    .command('replay')
    .description(
      'replay a production capture log against the offline reference, per client/backend/time slice: feature skew, model-or-backend, input drift; exit 0 pass, 1 a slice has a gap, 2 bad input',
    )
    .option('--log <file|glob|url>', 'capture log: JSONL or Parquet, a file, a glob (quote it) or an s3:// / https:// URL (read through DuckDB)')
    .option('--model <file>', 'the served model: parity-model.json manifest (names its pipeline and classes) or an ONNX file')
    .option('--pipeline <file>', "fitted pipeline JSON that turns raw records into features (default: the manifest's)")
    .option('--reference <file>', "training records CSV: test each slice's raw inputs for drift against it")
    .option('--by <keys>', 'slice by env tags, comma-separated (default: the whole env tuple), and/or a time window time:1h / time:1d')
    .option('--labels <file>', 'delayed ground truth joined by id: CSV, JSONL or Parquet with columns id, label')
    .option('--output <name>', "model output to compare (default: the manifest's classifierOutput, else the first one logged)")
    .option('--gate <expr>', `per-slice gate, repeatable (default ${DEFAULT_REPLAY_GATES.join(', ')}); metrics: ${REPLAY_METRICS.join(', ')}`, collect)
    .option('--shard <i/n>', 'replay share i of n (by request-id hash) and write mergeable statistics to --out; join them with `parity replay merge`')
    .option('--out <dir>', 'write replay.json, replay.md, replay.html and requests.parquet here (with --shard: replay-shard-<i>-of-<n>.json)')
    .option('--json', 'print the JSON report instead of text')
    .action(async (flags: ReplayFlags) => {
      if (!flags.log || !flags.model)
        throw new ParityError('USAGE', `parity replay needs --log <file|glob|url> and --model <file> (or: parity replay merge DIR...)`);
      const shard = flags.shard ? parseShard(flags.shard) : undefined;
      if (shard && !flags.out) throw new ParityError('USAGE', '--shard writes mergeable statistics: give --out <dir>');
      for (const g of flags.gate ?? []) parseReplayGate(g);
      const p = await prepare(flags);
      try {
        const r = await replayLog({
          log: flags.log,
          referenceBackend: REFERENCE_BACKEND,
          ...p,
          ...(flags.labels ? { labels: flags.labels } : {}),
          ...(flags.by ? { by: flags.by } : {}),
          ...(flags.gate ? { gates: flags.gate } : {}),
          ...(shard ? { shard: { index: shard.index - 1, count: shard.total } } : {}),
          ...(flags.out ? { out: resolve(flags.out) } : {}),
        });
        if (!r.report) {
          const run: ShardRun = {
            log: flags.log,
            model: resolve(flags.model),
            ...(flags.pipeline ? { pipeline: resolve(flags.pipeline) } : {}),
            ...(flags.reference ? { reference: resolve(flags.reference) } : {}),
            ...(flags.labels ? { labels: resolve(flags.labels) } : {}),
            ...(flags.by ? { by: flags.by } : {}),
            ...(flags.gate ? { gates: flags.gate } : {}),
            ...(flags.output ? { output: flags.output } : {}),
            fingerprint: p.fingerprint,
          };
          mkdirSync(resolve(flags.out!), { recursive: true });
          const path = join(resolve(flags.out!), shardFileName(r.shard.shard));
          writeFileSync(path, encodeShard({ kind: SHARD_FILE_KIND, schemaVersion: 1, run, ...r.shard }));
          process.stdout.write(
            `shard ${shard!.index}/${shard!.total}: ${r.shard.tally.records} of ${r.shard.tally.lines} line(s) replayed in ${r.shard.slices.length} slice(s); wrote ${path}${r.requests ? `, ${r.requests}` : ''}\n`,
          );
          return;
        }
        print(r.report!, flags, r.requests ? [r.requests] : []);
        setExit(r.report!.verdict.exitCode);
      } finally {
        await p.session.dispose();
      }
    });

  replay
    .command('merge')
    .description('join the statistics of every shard of one `parity replay --shard i/n` run into replay.json/md/html; a missing shard is an error')
    .argument('<dirs...>', 'folders (or files) holding replay-shard-<i>-of-<n>.json')
    .option('--out <dir>', 'write replay.json, replay.md and replay.html here')
    .option('--json', 'print the JSON report instead of text')
    .action(async (dirs: string[], own: { out?: string; json?: boolean }) => {
      // commander hands options after `merge` to `replay` when both declare them (--out, --json).
      const parent = replay.opts<{ out?: string; json?: boolean }>();
      const flags = { ...((own.out ?? parent.out) ? { out: own.out ?? parent.out } : {}), json: own.json ?? parent.json };
      const merged = mergeShards(readShards(dirs.map((d) => resolve(d))));
      const run = merged.run;
      const p = await prepare(run);
      try {
        if (p.fingerprint !== run.fingerprint)
          throw new ParityError(
            'INPUT_DATA',
            `replay merge: the model, pipeline or reference file changed since the shards ran (${run.model}); rerun the shards`,
          );
        const gates = (run.gates?.length ? run.gates : DEFAULT_REPLAY_GATES).map(parseReplayGate);
        const report = finishReplay(
          merged.slices,
          merged.tally,
          merged.warnings,
          finishOptions({
            ...p,
            logName: logDisplayName(run.log),
            referenceBackend: REFERENCE_BACKEND,
            output: merged.output,
            ...(merged.classes ? { classes: merged.classes } : {}),
            spec: merged.spec,
            gates,
            shards: merged.shard.count,
          }),
        );
        print(report, flags);
        setExit(report.verdict.exitCode);
      } finally {
        await p.session.dispose();
      }
    });
};
