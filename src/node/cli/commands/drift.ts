/**
 * `parity drift`: reference (training) vs current (production) data — per-feature PSI, KS, JS,
 * chi-square, missing and out-of-range rates, representativeness, and prediction drift when a
 * model is given. Gates decide the exit code: 0 pass, 1 a gate failed, 2 bad input.
 */
import { basename, dirname, join, resolve } from 'node:path';
import { ParityError } from '../../../kernel/core/errors.ts';
import { analyzeDrift } from '../../../tools/drift/analyze.ts';
import { DEFAULT_DRIFT_GATES, parseDriftGate } from '../../../tools/drift/gates.ts';
import { predictionDrift } from '../../../tools/drift/prediction-drift.ts';
import { scoreWithOnnx } from '../../drift/predict-onnx.ts';
import { driftToHtml } from '../../../tools/drift/render-html.ts';
import { driftToMarkdown, driftToText } from '../../../tools/drift/render-text.ts';
import { readCsvFile, readFittedFile, readJsonFile, writeReportFiles } from '../../pipeline/node-io.ts';
import type { FittedPipeline } from '../../../tools/pipeline/fitted.ts';
import { EXIT } from '../../../kernel/core/exit-codes.ts';
import { collect } from '../shared/options.ts';
import type { RegisterCommand } from './types.ts';

interface DriftFlags {
  reference: string;
  current: string;
  pipeline?: string;
  model?: string;
  output?: string;
  columns?: string;
  out?: string;
  gate?: string[];
  json?: boolean;
}

/** `--model` may be an ONNX file or a parity-model.json manifest naming the ONNX and its pipeline. */
function resolveModel(flags: DriftFlags): { onnx?: string; pipeline?: string; output?: string } {
  if (!flags.model) return flags.pipeline ? { pipeline: flags.pipeline } : {};
  if (!flags.model.endsWith('.json'))
    return { onnx: flags.model, ...(flags.pipeline ? { pipeline: flags.pipeline } : {}), ...(flags.output ? { output: flags.output } : {}) };
  const m = readJsonFile(flags.model, 'model manifest') as { onnx?: string; pipeline?: { fitted?: string }; classifierOutput?: string };
  const dir = dirname(flags.model);
  if (!m.onnx) throw new ParityError('USAGE', `--model ${flags.model}: the manifest names no ONNX file`);
  const pipeline = flags.pipeline ?? (m.pipeline?.fitted ? join(dir, m.pipeline.fitted) : undefined);
  const output = flags.output ?? m.classifierOutput;
  return { onnx: join(dir, m.onnx), ...(pipeline ? { pipeline } : {}), ...(output ? { output } : {}) };
}

export const register: RegisterCommand = (program, setExit) => {
  program
    .command('drift')
    .description('data and prediction drift between reference and current records, with gates; exit 0 pass, 1 gate failed, 2 bad input')
    .requiredOption('--reference <file>', 'reference (training) records, CSV with a header')
    .requiredOption('--current <file>', 'current (production) records, CSV with a header')
    .option('--pipeline <file>', 'fitted pipeline: compare its input columns, with its training ranges and vocabularies')
    .option('--model <file>', 'ONNX classifier (or parity-model.json) for prediction drift; needs a pipeline')
    .option('--output <name>', "model output holding class scores (default: the manifest's classifierOutput, else the first)")
    .option('--columns <list>', 'comma-separated columns to compare (default: the pipeline inputs, else all shared columns)')
    .option(
      '--gate <expr>',
      `gate in the run's grammar with drift metrics, like 'alarm == 0' (no feature drifted: significant after Holm and PSI above its floor), 'psi <= 0.2', 'temp_max.ks <= 0.1', 'unrepresented <= 0.05', 'prediction.psi <= 0.1' (repeatable; default ${DEFAULT_DRIFT_GATES.join(', ')})`,
      collect,
    )
    .option('--out <dir>', 'write drift.json, drift.md and drift.html here')
    .option('--json', 'print the JSON report instead of text')
    .action(async (flags: DriftFlags) => {
      const gates = (flags.gate?.length ? flags.gate : [...DEFAULT_DRIFT_GATES]).map((g) => parseDriftGate(g));
      const ref = readCsvFile(flags.reference, 'reference data');
      const cur = readCsvFile(flags.current, 'current data');
      const model = resolveModel(flags);
      let pipeline: FittedPipeline | undefined;
      if (model.pipeline) pipeline = readFittedFile(model.pipeline);
      if (model.onnx && !pipeline) throw new ParityError('USAGE', '--model needs --pipeline (the fitted pipeline that turns records into the model input)');
      if (pipeline && pipeline.kind !== 'tabular')
        throw new ParityError('USAGE', 'drift works on tabular pipelines; this fitted pipeline is an image pipeline');
      let prediction;
      if (model.onnx && pipeline) {
        const scores = await scoreWithOnnx(model.onnx, pipeline, ref.rows, cur.rows, model.output);
        prediction = predictionDrift(scores.output, scores.reference, scores.current, pipeline.label?.classes);
      }
      const columns = flags.columns
        ?.split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      const report = analyzeDrift({
        reference: { name: basename(flags.reference), rows: ref.rows, columns: ref.columns },
        current: { name: basename(flags.current), rows: cur.rows, columns: cur.columns },
        ...(columns ? { columns } : {}),
        ...(pipeline && pipeline.kind === 'tabular' ? { pipeline } : {}),
        ...(prediction ? { prediction } : {}),
        gates,
      });
      const json = JSON.stringify(report, null, 2) + '\n';
      process.stdout.write(flags.json ? json : driftToText(report));
      if (flags.out) {
        const paths = writeReportFiles(resolve(flags.out), { 'drift.json': json, 'drift.md': driftToMarkdown(report), 'drift.html': driftToHtml(report) });
        if (!flags.json) process.stdout.write(`reports: ${paths.join(', ')}\n`);
      }
      setExit(report.passed ? EXIT.OK : EXIT.GATE_FAILED);
    });
};
