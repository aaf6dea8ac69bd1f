/**
 * `quantizeModel(options) → QuantizeResult`: the programmatic `parity quantize` — writes a
 * compressed variant of an ONNX model (fp16, int8-weight, int8-dynamic, int8-static, int4-weight)
 * or of a TF.js model.json (uint8, uint16, float16). An ONNX variant is checked on
 * onnxruntime-node with the run's judge before it is written (src/node/quantize/quality.ts): a
 * variant that fails is refused (nothing written) unless `force`; a check that cannot judge
 * (synthesized inputs, degenerate reference) is inconclusive and the variant is written with that
 * warning. Files are written atomically. The verdict is `summary.verdict`; `parity quantize`
 * exits with its `exitCode`. Node only.
 */
import { basename, dirname, extname, join, relative, resolve } from 'node:path';
import { ParityError } from '../../kernel/core/errors.ts';
import { VARIANTS } from '../../kernel/core/record.ts';
import { DEFAULT_SEED } from '../../kernel/core/rng.ts';
import { takeSamples } from '../../kernel/data/dataset.ts';
import { NO_OVERRIDES, type InputOverrides } from '../../kernel/data/input-options.ts';
import { synthesizeDataset } from '../../kernel/data/synthesize.ts';
import { decodeModel, encodeModel } from '../../kernel/onnx/io.ts';
import { inspectModel } from '../../kernel/onnx/inspect.ts';
import { checkFeedsFit } from '../../tools/quantize/feeds-fit.ts';
import { QUANTIZE_TARGETS, type OnnxTarget, type QuantizeRecipe, type TfjsTarget } from '../../tools/quantize/recipe.ts';
import { DEFAULT_RECIPES, isFactoryVariant } from '../../tools/variants/recipes.ts';
import { loadDataFile } from '../data/load-data-file.ts';
import { inlineExternalData, readModelFile } from '../onnx/read-file.ts';
import { writeFileAtomic } from '../quantize/atomic-write.ts';
import { autoMixed } from '../quantize/auto-mixed.ts';
import type { QuantizeSummary } from '../quantize/format.ts';
import { judgeQuality } from '../quantize/quality.ts';
import { quantizeOnnx } from '../quantize/quantize-onnx.ts';
import { quantizeTfjsFile } from '../quantize/tfjs-files.ts';
import { describeTfjsClamps } from '../../kernel/onnx/tfjs-quantize.ts';
import { checkOutFile } from '../report/out-path.ts';
import { culpritLine } from './quantize-culprit.ts';

export interface QuantizeModelOptions {
  /** An .onnx file, or a TF.js model.json. */
  model: string;
  /** ONNX: fp16, int8-weight, int8-dynamic, int8-static, int4-weight; TF.js: uint8, uint16, float16. */
  to: OnnxTarget | TfjsTarget;
  /** Output file. Default: MODEL.<to>.onnx beside the input; TF.js: <folder>-<to>/model.json. */
  out?: string;
  /** ONNX rewrite settings over the run's recipe for `to` (src/tools/variants/recipes.ts); `to` is taken from `to`; float32 I/O kept. */
  recipe?: Omit<QuantizeRecipe, 'to'>;
  /** int8-static: calibration inputs (NPZ/JSON/NPY keyed by input name). */
  calibration?: string;
  /** Use the first N calibration samples. Default: all. */
  calibrationSamples?: number;
  /** Inputs the variant is checked on. Default: the calibration data, else 8 synthesized samples. */
  data?: string;
  /** `--shape` / `--range` / `--value` for synthesized inputs. Default none. */
  overrides?: InputOverrides;
  /** Write the variant even when it fails its check (the verdict still fails). Default false. */
  force?: boolean;
  /** fp16, int8-static: search for nodes to keep in float32 so the variant passes. Default false. */
  autoMixed?: boolean;
}

export interface QuantizeResult {
  /** The JSON report (`--json`), with `verdict`. */
  summary: QuantizeSummary & { verdict: NonNullable<QuantizeSummary['verdict']> };
  /** Whether the variant was written to `summary.output`. */
  written: boolean;
  /** A refused variant: the localize ranking's top culprit, one line. */
  culprit?: string;
}

/**
 * @throws ParityError USAGE (flags that do not apply, a target of the other format, missing
 *   calibration), FILE_NOT_FOUND, MODEL_INVALID, MODEL_UNSUPPORTED (nothing to quantize, a variant
 *   that does not run), INPUT_DATA, INPUT_SYNTHESIS.
 */
export async function quantizeModel(o: QuantizeModelOptions): Promise<QuantizeResult> {
  const isTfjs = extname(o.model).toLowerCase() === '.json';
  const target = isTfjs && o.to === 'fp16' ? 'float16' : o.to;
  if (isTfjs && QUANTIZE_TARGETS[target].format !== 'tfjs')
    throw new ParityError('USAGE', `--to ${o.to} applies to ONNX models; for a TF.js model.json use --to uint8, uint16 or float16`);
  if (!isTfjs && QUANTIZE_TARGETS[target].format !== 'onnx')
    throw new ParityError(
      'USAGE',
      `--to ${o.to} applies to TF.js model.json files; for ONNX use --to fp16, int8-weight, int8-dynamic, int8-static or int4-weight`,
    );
  return isTfjs ? quantizeTfjs(o, target as TfjsTarget) : quantizeOnnxModel(o, target as OnnxTarget);
}

async function quantizeOnnxModel(o: QuantizeModelOptions, to: OnnxTarget): Promise<QuantizeResult> {
  if (o.recipe?.blockSize !== undefined && to !== 'int4-weight') throw new ParityError('USAGE', `--block-size applies to --to int4-weight, not ${to}`);
  if (o.recipe?.method && !o.calibration)
    throw new ParityError('USAGE', '--method chooses how --calibration data sets activation ranges; pass --calibration FILE too');
  if (o.out) checkOutFile(o.out);
  const overrides = o.overrides ?? NO_OVERRIDES;
  const file = await readModelFile(o.model);
  const bytes = file.external.length ? encodeModel(await inlineExternalData(file)) : file.bytes;
  const out = resolve(o.out ?? join(dirname(file.path), `${basename(file.path, extname(file.path))}.${to}.onnx`));
  if (out === file.path) throw new ParityError('USAGE', `--out ${o.out} would overwrite the input model; choose another file`);
  const inputs = inspectModel(bytes, o.model).inputs;
  let calibration;
  if (o.calibration) {
    const ds = loadDataFile(resolve(o.calibration), inputs, { overrides, seed: DEFAULT_SEED });
    calibration = o.calibrationSamples ? takeSamples(ds, o.calibrationSamples).samples : ds.samples;
  }
  if (o.autoMixed && to !== 'fp16' && to !== 'int8-static')
    throw new ParityError('USAGE', `--auto-mixed searches which nodes to keep in float32 for --to fp16 or int8-static; it does not apply to ${to}`);
  const data = o.data ? loadDataFile(resolve(o.data), inputs, { overrides, seed: DEFAULT_SEED }).samples : undefined;
  if (data?.length) checkFeedsFit(decodeModel(bytes, o.model), data[0]!, `--data ${o.data}`);
  if (to === 'int8-static' && !calibration) {
    throw new ParityError(
      'USAGE',
      'int8-static needs calibration data: pass --calibration FILE (NPZ/JSON/NPY keyed by input name), optionally --method minmax|percentile|entropy',
    );
  }
  // One recipe per variant: `parity quantize --to X` writes what the run builds as X (src/tools/variants/recipes.ts),
  // so a node set localize finds on the run's variant carries over; flags override.
  const recipe: QuantizeRecipe = {
    perChannel: to === 'int8-weight' || to === 'int8-static',
    symmetric: false,
    ...(isFactoryVariant(to) ? DEFAULT_RECIPES[to] : {}),
    keepIoTypes: true,
    excludeOps: [],
    excludeNodes: [],
    ...o.recipe,
    to,
  };
  const mixed = o.autoMixed
    ? await autoMixed({ bytes, recipe, overrides, ...(calibration ? { calibration } : {}), ...((data ?? calibration) ? { samples: data ?? calibration } : {}) })
    : undefined;
  if (mixed) recipe.excludeNodes = [...(recipe.excludeNodes ?? []), ...mixed.kept];
  const r = await quantizeOnnx({
    bytes,
    name: o.model,
    recipe,
    overrides,
    ...(calibration ? { calibration, calibrationSource: basename(o.calibration!) } : {}),
    ...(data ? { data, dataSource: basename(o.data!) } : {}),
  });
  const quality = judgeQuality(r.validation!, to, { model: basename(o.model), coverage: r.coverage });
  const { outputs: _kept, ...validation } = r.validation!;
  const summary = {
    input: o.model,
    output: relative(process.cwd(), out),
    recipe: r.recipe,
    bytesBefore: file.bytes.length,
    bytesAfter: r.bytesAfter,
    report: r.report,
    coverage: r.coverage,
    quality,
    convertMs: r.convertMs,
    ...(r.calibration ? { calibration: r.calibration } : {}),
    validation,
    verdict: quality.verdict,
  };
  if (!quality.ok && !o.force) {
    const samples = data ?? calibration ?? synthesizeDataset(inputs, overrides, 8, DEFAULT_SEED).samples;
    return { summary, written: false, culprit: await culpritLine(bytes, r.bytes, samples, VARIANTS[to].precision) };
  }
  if (mixed) {
    for (const l of r.report.leftAlone)
      if (mixed.kept.includes(l.node)) l.reason = `kept float32 by --auto-mixed (needed to meet the ${quality.precision} gates)`;
    const cost = mixed.mixedBytes - mixed.plainBytes;
    r.report.notes.unshift(
      mixed.kept.length
        ? `auto-mixed: ${mixed.kept.length} node(s) kept in float32 (${mixed.kept.join(', ')}), ${cost >= 0 ? '+' : ''}${cost} bytes vs plain ${to}; ${mixed.trials} trial(s) in ${(mixed.ms / 1000).toFixed(1)} s`
        : `auto-mixed: plain ${to} meets the gates, no node kept in float32 (${mixed.trials} trial)`,
    );
  }
  writeFileAtomic(out, r.bytes);
  return { summary, written: true };
}

const ONNX_ONLY = ['perChannel', 'symmetric', 'method', 'excludeOps', 'excludeNodes'] as const;

async function quantizeTfjs(o: QuantizeModelOptions, to: TfjsTarget): Promise<QuantizeResult> {
  const given = [...ONNX_ONLY.filter((k) => o.recipe?.[k] !== undefined), ...(o.calibration !== undefined ? ['calibration'] : [])];
  if (given.length)
    throw new ParityError(
      'USAGE',
      `TF.js weight quantization takes no ${given.map((k) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`).join(', ')}`,
    );
  const abs = resolve(o.model);
  const out = checkOutFile(o.out ?? join(`${dirname(abs)}-${to}`, 'model.json'));
  const r = await quantizeTfjsFile(abs, out, to, {
    overrides: o.overrides ?? NO_OVERRIDES,
    ...(o.data ? { data: o.data } : {}),
    ...(o.calibrationSamples ? { samples: o.calibrationSamples } : {}),
    ...(o.force ? { force: true } : {}),
  });
  const clamps = describeTfjsClamps(r.report);
  const { outputs: _kept, ...validation } = r.validation;
  const summary = {
    input: o.model,
    output: relative(process.cwd(), out),
    recipe: `TF.js ${to} weight quantization (sizes are weight bytes)${clamps.length ? `; clamped to float16's ±65504: ${clamps.join('; ')}` : ''}`,
    bytesBefore: r.report.bytesBefore,
    bytesAfter: r.report.bytesAfter,
    report: {
      quantized: { weights: r.report.quantized.length },
      leftAlone: r.report.leftAlone.map((w) => ({ node: w.name, op: 'weight', reason: w.reason })),
      notes: [r.written.length ? `wrote ${r.written.length} file(s)` : 'nothing written'],
      clamped: r.report.clamped,
    },
    quality: r.quality,
    validation,
    validatedOn: 'tfjs (cpu)',
    verdict: r.quality.verdict,
  };
  return { summary, written: r.written.length > 0 };
}
