/**
 * `parity replay`: a production capture log (infer-parity/capture, JSON lines) replayed against
 * the offline reference — fitted pipeline in float64, the fp32 model on ort-node/cpu — sliced by
 * env tags and time windows; each slice's gap split into feature skew, model-or-backend and input
 * drift. Writes replay.json, replay.md, replay.html. Exit 0 every slice passed, 1 a slice has a
 * gap, 2 bad input (bad lines are named and the rest is still replayed).
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { createNodeRegistry } from '../../runtimes/node-registry.ts';
import { ParityError } from '../../../kernel/core/errors.ts';
import type { FittedPipeline } from '../../../tools/pipeline/fitted.ts';
import { readCsvFile, readFittedFile, writeReportFiles } from '../../pipeline/node-io.ts';
import { replay } from '../../../tools/replay/replay.ts';
import { replayToHtml, replayToMarkdown, replayToText } from '../../../tools/replay/render.ts';
import { DEFAULT_REPLAY_GATES, REPLAY_METRICS } from '../../../tools/replay/gates.ts';
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
  out?: string;
  json?: boolean;
}

const REFERENCE_BACKEND = 'ort-node/cpu';

function readText(path: string, what: string): string {
  if (!existsSync(path)) throw new ParityError('FILE_NOT_FOUND', `${what} '${path}' does not exist`);
  return readFileSync(path, 'utf8');
}

export const register: RegisterCommand = (program, setExit) => {
  program
    .command('replay')
    .description(
      'replay a production capture log against the offline reference, per client/backend/time slice: feature skew, model-or-backend, input drift; exit 0 pass, 1 a slice has a gap, 2 bad input',
    )
    .requiredOption('--log <file>', 'capture log, JSON lines (see README "Production replay")')
    .requiredOption('--model <file>', 'the served model: parity-model.json manifest (names its pipeline and classes) or an ONNX file')
    .option('--pipeline <file>', "fitted pipeline JSON that turns raw records into features (default: the manifest's)")
    .option('--reference <file>', "training records CSV: test each slice's raw inputs for drift against it")
    .option('--by <keys>', 'slice by env tags, comma-separated (default: the whole env tuple), and/or a time window time:1h / time:1d')
    .option('--labels <file>', 'delayed ground truth joined by id: JSON lines {"id","label"} or CSV id,label')
    .option('--output <name>', "model output to compare (default: the manifest's classifierOutput, else the first one logged)")
    .option('--gate <expr>', `per-slice gate, repeatable (default ${DEFAULT_REPLAY_GATES.join(', ')}); metrics: ${REPLAY_METRICS.join(', ')}`, collect)
    .option('--out <dir>', 'write replay.json, replay.md and replay.html here')
    .option('--json', 'print the JSON report instead of text')
    .action(async (flags: ReplayFlags) => {
      const logText = readText(flags.log, 'log');
      const model = await loadModel(flags.model);
      if (!model.onnx) throw new ParityError('USAGE', `--model ${flags.model}: replay runs the reference on ${REFERENCE_BACKEND}, which needs an ONNX model`);
      const pipelinePath = flags.pipeline ?? model.pipeline?.fitted;
      const pipeline: FittedPipeline | undefined = pipelinePath ? readFittedFile(pipelinePath) : undefined;
      const ref = flags.reference ? readCsvFile(flags.reference, 'reference data') : undefined;
      const classes = (model.manifest?.facts as { classes?: unknown } | undefined)?.classes;
      const registry = createNodeRegistry();
      const session = await (await registry.get(REFERENCE_BACKEND)).load(model.onnx);
      let report;
      try {
        report = await replay({
          log: { name: basename(flags.log), text: logText },
          session,
          referenceBackend: REFERENCE_BACKEND,
          modelName: model.name,
          ...((flags.output ?? model.classifierOutput) ? { output: flags.output ?? model.classifierOutput } : {}),
          ...(Array.isArray(classes) && classes.every((c) => typeof c === 'string') ? { classes: classes as string[] } : {}),
          ...(pipeline ? { pipeline, pipelineName: basename(pipelinePath!) } : {}),
          ...(ref ? { reference: { name: basename(flags.reference!), rows: ref.rows, columns: ref.columns } } : {}),
          ...(flags.labels ? { labels: { name: basename(flags.labels), text: readText(flags.labels, 'labels file') } } : {}),
          ...(flags.by ? { by: flags.by } : {}),
          ...(flags.gate ? { gates: flags.gate } : {}),
        });
      } finally {
        await session.dispose();
      }
      const json = JSON.stringify(report, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v), 2) + '\n';
      process.stdout.write(flags.json ? json : replayToText(report));
      if (flags.out) {
        const paths = writeReportFiles(resolve(flags.out), { 'replay.json': json, 'replay.md': replayToMarkdown(report), 'replay.html': replayToHtml(report) });
        if (!flags.json) process.stdout.write(`reports: ${paths.join(', ')}\n`);
      }
      setExit(report.exitCode);
    });
};
