/**
 * `parity drift`: reference (training) vs current (production) data — per-feature PSI, KS, JS,
 * chi-square, missing and out-of-range rates, representativeness, and prediction drift when a
 * model is given. Gates decide the exit code: 0 pass, 1 a gate failed, 2 bad input.
 */
import { analyzeDrift } from '../../api/drift.ts';
import { DEFAULT_DRIFT_GATES } from '../../../tools/drift/gates.ts';
import { driftToText } from '../../../tools/drift/render-text.ts';
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

export const register: RegisterCommand = (program, setExit) => {
  program
    .command('drift')
    .description('data and prediction drift between reference and current records, with gates; exit 0 pass, 1 gate failed, 2 bad input')
    .requiredOption(
      '--reference <file>',
      'reference (training) records: CSV with a header, Parquet or JSONL (a large file is read through DuckDB as a seeded sample of 100,000 rows)',
    )
    .requiredOption('--current <file>', 'current (production) records: CSV with a header, Parquet or JSONL')
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
      const columns = flags.columns
        ?.split(',')
        .map((c) => c.trim())
        .filter(Boolean);
      const { report, json, files } = await analyzeDrift({
        reference: flags.reference,
        current: flags.current,
        ...(flags.pipeline ? { pipeline: flags.pipeline } : {}),
        ...(flags.model ? { model: flags.model } : {}),
        ...(flags.output ? { output: flags.output } : {}),
        ...(columns ? { columns } : {}),
        ...(flags.gate?.length ? { gates: flags.gate } : {}),
        ...(flags.out ? { out: flags.out } : {}),
      });
      process.stdout.write(flags.json ? json : driftToText(report));
      if (files && !flags.json) process.stdout.write(`reports: ${files.join(', ')}\n`);
      setExit(report.verdict.exitCode);
    });
};
