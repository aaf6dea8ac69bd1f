/**
 * `parity pipeline fit|transform`: fit a feature pipeline spec on training records (float64),
 * and apply a fitted pipeline to raw records in `offline` (float64) or `serving` (float32) mode.
 * Flags -> `fitPipelineFile` / `transformFile` (src/node/api/pipeline.ts) -> print.
 */
import { ParityError, choices } from '../../../kernel/core/errors.ts';
import { fitPipelineFile, transformFile } from '../../api/pipeline.ts';
import { TRANSFORM_MODES, type TransformMode } from '../../../tools/pipeline/types.ts';
import { EXIT } from '../../../kernel/core/exit-codes.ts';
import type { RegisterCommand } from './types.ts';

/** Validates `--mode`. */
export function parseMode(v: string | undefined, fallback: TransformMode): TransformMode {
  if (v === undefined) return fallback;
  if (!(TRANSFORM_MODES as readonly string[]).includes(v)) {
    throw new ParityError('USAGE', `--mode '${v}' is unknown; expected one of ${choices(TRANSFORM_MODES)}`);
  }
  return v as TransformMode;
}

export const register: RegisterCommand = (program, setExit) => {
  const cmd = program.command('pipeline').description('fit a feature pipeline spec, or transform raw records with a fitted pipeline');

  cmd
    .command('fit')
    .description("compute the spec's statistics on training records (float64) and write the fitted pipeline JSON")
    .requiredOption('--spec <file>', 'pipeline spec JSON (inputs, steps, optional label)')
    .requiredOption('--data <file>', 'training records, CSV with a header')
    .requiredOption('--out <file>', 'where to write the fitted pipeline JSON')
    .action((flags: { spec: string; data: string; out: string }) => {
      const { fitted, rows, path } = fitPipelineFile(flags);
      const width =
        fitted.kind === 'tabular' ? `${fitted.features.length} features` : `${fitted.input.height}x${fitted.input.width}x${fitted.input.channels} image`;
      process.stdout.write(`fitted ${fitted.steps.length} steps on ${rows} rows → ${width}: ${path}\n`);
      setExit(EXIT.OK);
    });

  cmd
    .command('transform')
    .description('apply a fitted pipeline to raw records and write the features as CSV')
    .requiredOption('--pipeline <file>', 'fitted pipeline JSON (from `parity pipeline fit`)')
    .requiredOption('--data <file>', 'raw records, CSV with a header')
    .option('--mode <mode>', 'offline (float64) or serving (float32 math)', 'offline')
    .requiredOption('--out <file>', 'where to write the features CSV (header = feature names)')
    .action((flags: { pipeline: string; data: string; mode?: string; out: string }) => {
      const mode = parseMode(flags.mode, 'offline');
      const { features: m, path } = transformFile({ pipeline: flags.pipeline, data: flags.data, mode, out: flags.out });
      process.stdout.write(`transformed ${m.rows} rows → ${m.cols} features (${mode}): ${path}\n`);
      setExit(EXIT.OK);
    });
};
