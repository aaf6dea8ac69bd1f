/**
 * `parity skew`: train/serve feature skew. Raw records through the offline and serving paths
 * (same pipeline in float64 vs float32, golden features, or a second pipeline version), per
 * feature mismatches and diagnoses. Exit 0 clean, 1 skew beyond tolerance, 2 bad input.
 */
import { ParityError } from '../../../kernel/core/errors.ts';
import { diagnoseSkew } from '../../api/skew.ts';
import { skewToText } from '../../../tools/pipeline/skew/render.ts';
import { parseMode } from './pipeline.ts';
import { diagnoseTokenizerSkew, isTokenizerFile } from '../../pipeline/tokenizer-skew.ts';
import { tokenizerSkewToText } from '../../../tools/pipeline/skew/tokenizer-render.ts';
import type { RegisterCommand } from './types.ts';

interface SkewFlags {
  pipeline: string;
  data: string;
  golden?: string;
  serving?: string;
  mode?: string;
  out?: string;
  atol?: string;
  rtol?: string;
  maxMismatchRate?: string;
  json?: boolean;
  model?: string;
  column?: string;
}

function nonNegative(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new ParityError('USAGE', `--${name} '${v}': expected a non-negative number`);
  return n;
}

export const register: RegisterCommand = (program, setExit) => {
  program
    .command('skew')
    .description(
      'train/serve feature skew with diagnoses (swaps, unit changes, min-max vs standardize, category order, null handling); exit 0 clean, 1 skew, 2 bad input',
    )
    .requiredOption('--pipeline <file>', 'the training (offline) fitted pipeline JSON, or a Hugging Face tokenizer.json (text)')
    .requiredOption('--data <file>', 'raw records, CSV with a header')
    .option('--golden <file>', "golden features CSV logged at training time: compare it with this pipeline's transform")
    .option('--serving <file>', 'a second fitted pipeline (the serving version): compare offline --pipeline with it')
    .option('--mode <mode>', 'mode of the candidate transform with --golden/--serving: offline or serving', 'serving')
    .option('--atol <x>', 'absolute tolerance per value (default 1e-5)')
    .option('--rtol <x>', 'relative tolerance per value (default 1e-5)')
    .option('--max-mismatch-rate <x>', 'mismatch rate per feature still counted as clean (default 0)')
    .option('--out <dir>', 'write skew.json and skew.md here')
    .option('--json', 'print the JSON report instead of text')
    .option('--column <name>', "text pipelines (a tokenizer.json): the CSV column holding the text (default the tokenizer's text_column, else 'text')")
    .option('--model <file>', 'text pipelines: the model whose decisions each cause flips (default: a parity-model.json beside the tokenizer.json)')
    .action(async (flags: SkewFlags) => {
      if (isTokenizerFile(flags.pipeline)) {
        const maxMismatchRate = nonNegative('max-mismatch-rate', flags.maxMismatchRate);
        const { report, json, files } = await diagnoseTokenizerSkew({
          pipeline: flags.pipeline,
          data: flags.data,
          ...(flags.serving ? { serving: flags.serving } : {}),
          ...(flags.column ? { column: flags.column } : {}),
          ...(flags.model ? { model: flags.model } : {}),
          ...(maxMismatchRate !== undefined ? { maxMismatchRate } : {}),
          ...(flags.out ? { out: flags.out } : {}),
        });
        process.stdout.write(flags.json ? json : tokenizerSkewToText(report));
        if (files && !flags.json) process.stdout.write(`reports: ${files.join(', ')}\n`);
        setExit(report.verdict.exitCode);
        return;
      }
      const tolerance = {
        ...(flags.atol !== undefined ? { atol: nonNegative('atol', flags.atol)! } : {}),
        ...(flags.rtol !== undefined ? { rtol: nonNegative('rtol', flags.rtol)! } : {}),
        ...(flags.maxMismatchRate !== undefined ? { maxMismatchRate: nonNegative('max-mismatch-rate', flags.maxMismatchRate)! } : {}),
      };
      const { report, json, files } = diagnoseSkew({
        pipeline: flags.pipeline,
        data: flags.data,
        tolerance,
        candidateMode: parseMode(flags.mode, 'serving'),
        ...(flags.golden ? { golden: flags.golden } : {}),
        ...(flags.serving ? { serving: flags.serving } : {}),
        ...(flags.out ? { out: flags.out } : {}),
      });
      process.stdout.write(flags.json ? json : skewToText(report));
      if (files && !flags.json) process.stdout.write(`reports: ${files.join(', ')}\n`);
      setExit(report.verdict.exitCode);
    });
};
