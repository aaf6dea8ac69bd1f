/**
 * `parity quantize MODEL --to TARGET`: writes a compressed variant of an ONNX model (fp16,
 * int8-weight, int8-dynamic, int8-static) or of a TF.js model.json (uint8, uint16, float16).
 * Flags -> options -> `quantizeModel` (src/node/api/quantize.ts) -> print. The variant is checked
 * on onnxruntime-node with the run's judge before it is written (refused: exit 1, nothing written,
 * unless `--force`; inconclusive on synthesized inputs: written, with a warning naming `--data`).
 * The exit code is `summary.verdict.exitCode`; a rewrite that changes nothing is an error, exit 2.
 *
 * `--keep-io-types` (the default) keeps an fp16 model's float32 inputs/outputs float32 with Casts
 * at the boundary, so it is a drop-in replacement; `--no-keep-io-types` makes them float16.
 */
import { ParityError } from '../../../kernel/core/errors.ts';
import { parseInputOverrides } from '../../../kernel/data/input-options.ts';
import { parseMethod, parseTarget, QUANTIZE_TARGETS, type OnnxTarget, type TfjsTarget } from '../../../tools/quantize/recipe.ts';
import { quantizeModel } from '../../api/quantize.ts';
import { describeCheck } from '../../quantize/quality.ts';
import { formatQuantizeSummary } from '../../quantize/format.ts';
import { addInputOptions } from '../shared/options.ts';
import type { RegisterCommand } from './types.ts';

interface QuantizeFlags {
  to: string;
  out?: string;
  perChannel?: boolean;
  /** `--per-tensor`: one scale per weight tensor (int8-weight and int8-static are per channel by default). */
  perTensor?: boolean;
  symmetric?: boolean;
  asymmetric?: boolean;
  calibration?: string;
  method?: string;
  percentile?: string;
  samples?: string;
  keepIoTypes?: boolean;
  excludeOps?: string;
  excludeNodes?: string;
  shape?: string[];
  range?: string[];
  value?: string[];
  json?: boolean;
  blockSize?: string;
  data?: string;
  force?: boolean;
  autoMixed?: boolean;
}

const list = (v: string | undefined) =>
  v
    ? v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : undefined;

function positive(flag: string, v: string | undefined, integer: boolean): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n)))
    throw new ParityError('USAGE', `--${flag} '${v}': expected a positive ${integer ? 'integer' : 'number'}`);
  return n;
}

/** The recipe flags; undefined where not given (TF.js refuses ONNX-only flags by their presence). */
function recipeOf(f: QuantizeFlags) {
  const percentile = positive('percentile', f.percentile, false);
  if (percentile !== undefined && percentile > 100) throw new ParityError('USAGE', `--percentile ${percentile}: expected a value in (0, 100]`);
  const blockSize = positive('block-size', f.blockSize, true);
  const excludeOps = list(f.excludeOps);
  const excludeNodes = list(f.excludeNodes);
  return {
    ...(f.perTensor ? { perChannel: false } : f.perChannel !== undefined ? { perChannel: f.perChannel } : {}),
    ...(f.asymmetric ? { symmetric: false } : f.symmetric !== undefined ? { symmetric: f.symmetric } : {}),
    ...(f.keepIoTypes !== undefined ? { keepIoTypes: f.keepIoTypes } : {}),
    ...(excludeOps ? { excludeOps } : {}),
    ...(excludeNodes ? { excludeNodes } : {}),
    ...(f.method ? { method: parseMethod(f.method) } : {}),
    ...(percentile !== undefined ? { percentile } : {}),
    ...(blockSize !== undefined ? { blockSize } : {}),
  };
}

export const register: RegisterCommand = (program, setExit) => {
  const targets = Object.keys(QUANTIZE_TARGETS).join('|');
  addInputOptions(
    program
      .command('quantize')
      .description(
        'write an fp16 / int8 / int4 variant of an ONNX model (the recipe the run uses), or a uint8/uint16/float16 TF.js model, judged by the run judge before it is written',
      )
      .argument('<model>', 'an .onnx file, or a TF.js model.json')
      .requiredOption('--to <target>', `${targets} (ONNX: fp16, int8-*, int4-weight; TF.js: uint8, uint16, float16)`)
      .option('--out <file>', 'output file (default: MODEL.<target>.onnx beside the input; TF.js: <folder>-<target>/model.json)')
      .option('--per-channel', 'int8: one scale per output channel (default for int8-weight and int8-static; int8-dynamic: per tensor)')
      .option('--per-tensor', 'int8: one scale per weight tensor instead of per output channel')
      .option('--symmetric', "int8: symmetric ranges, zero point 0 (default: the run's recipe — symmetric weights for int8-weight, int8-dynamic, int4-weight)")
      .option('--asymmetric', 'int8: asymmetric ranges with zero points (default for int8-static)')
      .option('--calibration <file>', 'int8-static: calibration inputs, NPZ/JSON/NPY keyed by input name')
      .option('--method <method>', 'int8-static: minmax | percentile | entropy (default minmax)')
      .option('--percentile <p>', 'int8-static with --method percentile: percentile kept in range (default 99.999)')
      .option('--samples <n>', 'use the first N calibration samples (default: all)')
      .option(
        '--data <file>',
        'inputs the variant is checked on before it is written, NPZ/JSON/NPY (default: the calibration data, else 8 synthesized samples)',
      )
      .option('--force', "write the variant even when it breaks its precision's gates (SQNR, top-1 agreement)")
      .option(
        '--auto-mixed',
        'fp16, int8-static: search (bisection over node segments) for a small set of nodes to keep in float32 so the variant meets its gates on --data / --calibration / synthesized inputs',
      )
      .option('--block-size <n>', 'int4-weight: weights per block along K, 16|32|64|128|256 (default 32)')
      .option('--keep-io-types', 'fp16: keep float32 model inputs/outputs, Casts at the boundary (default)')
      .option('--no-keep-io-types', 'fp16: make float32 model inputs/outputs float16 too')
      .option('--exclude-ops <ops>', 'comma-separated op types to leave in float32')
      .option('--exclude-nodes <names>', 'comma-separated node names (or first output names) to leave in float32'),
    'an input of the validation run',
  )
    .option('--json', 'print the summary as JSON')
    .action(async (model: string, f: QuantizeFlags) => {
      const samples = positive('samples', f.samples, true);
      const r = await quantizeModel({
        model,
        to: parseTarget(f.to) as OnnxTarget | TfjsTarget,
        recipe: recipeOf(f),
        overrides: parseInputOverrides(f),
        ...(f.out ? { out: f.out } : {}),
        ...(f.calibration ? { calibration: f.calibration } : {}),
        ...(samples ? { calibrationSamples: samples } : {}),
        ...(f.data ? { data: f.data } : {}),
        ...(f.force ? { force: true } : {}),
        ...(f.autoMixed ? { autoMixed: true } : {}),
      });
      const { summary } = r;
      if (!r.written) {
        const q = summary.quality!;
        const v = summary.validation!;
        const failed = q.checks.filter((c) => !c.ok).map((c) => `  ${describeCheck(c, q.precision)}`);
        process.stderr.write(
          `parity: ${summary.recipe} of ${model} breaks the ${q.precision} gates on ${v.inputs} (${v.samples ?? 1} sample(s)); nothing written.\n` +
            `  worst: ${describeCheck(q.worst!, q.precision)}\n${failed.join('\n')}\n${r.culprit ?? ''}\n` +
            (summary.validatedOn?.startsWith('tfjs')
              ? `  TF.js weight quantization has no per-node exclusions: try --to uint16 or float16; --force writes it anyway\n`
              : `  keep nodes in float32 with --exclude-nodes / --exclude-ops${f.to === 'fp16' ? ' (or search for them with --auto-mixed)' : ''}; --force writes it anyway\n`),
        );
        if (f.json) process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
      } else {
        if (summary.quality?.inconclusive)
          process.stderr.write(`parity: ${summary.verdict.headline}\n${summary.verdict.warnings.map((w) => `  ${w}\n`).join('')}`);
        process.stdout.write((f.json ? JSON.stringify(summary, null, 2) : formatQuantizeSummary(summary)) + '\n');
      }
      setExit(summary.verdict.exitCode);
    });
};
