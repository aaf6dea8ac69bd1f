/**
 * The whole ONNX pipeline behind `parity quantize` and the variant factory (Node): decode,
 * calibrate (int8-static), rewrite, encode, validate on onnxruntime-node. Returns bytes only after
 * they passed validation; writing them is the caller's job (atomically).
 */
import { ParityError } from '../../kernel/core/errors.ts';
import type { TensorMap } from '../../kernel/core/tensor.ts';
import type { InputOverrides } from '../../kernel/data/input-options.ts';
import { decodeModel, encodeModel } from '../../kernel/onnx/io.ts';
import { calibrateActivations } from './calibrate.ts';
import { describeRecipe, normalizeRecipe, type QuantizeRecipe, type RewriteReport } from '../../tools/quantize/recipe.ts';
import { nothingToQuantize, type Coverage } from '../../tools/quantize/coverage.ts';
import { foldBatchNorms } from '../../tools/quantize/bn-fold.ts';
import { applyRecipe } from '../../tools/quantize/rewrite.ts';
import { staticActivations } from '../../tools/quantize/static-qdq.ts';
import { validateVariant, type ValidationReport } from './validate.ts';

export interface QuantizeOnnxOptions {
  /** The float32 model, self-contained (external data inlined). */
  bytes: Uint8Array;
  /** File name for messages. Default `model.onnx`. */
  name?: string;
  recipe: QuantizeRecipe;
  /** Calibration samples (per-sample feeds), required for int8-static. */
  calibration?: readonly TensorMap[];
  /** Where the calibration samples came from, for the report. */
  calibrationSource?: string;
  /** Samples the variant is checked on (e.g. `--data`). Default: the calibration samples, else synthesized inputs. */
  data?: readonly TensorMap[];
  /** Where `data` came from, for the report. */
  dataSource?: string;
  /** Input overrides for the synthesized validation inputs. */
  overrides?: InputOverrides;
  /** Validate on onnxruntime-node. Default true. */
  validate?: boolean;
}

export interface QuantizeOnnxResult {
  bytes: Uint8Array;
  bytesBefore: number;
  bytesAfter: number;
  /** `describeRecipe(recipe)`. */
  recipe: string;
  report: RewriteReport;
  /** What the rewrite compressed (also `report.coverage`). */
  coverage: Coverage;
  calibration?: { samples: number; source: string; method: string; ms: number };
  validation?: ValidationReport;
  /** Time to decode + rewrite + encode (calibration and validation excluded), ms. */
  convertMs: number;
}

/**
 * @throws ParityError `MODEL_INVALID` (not ONNX), `USAGE` (int8-static without calibration),
 *   `MODEL_UNSUPPORTED` with `details.nothingToQuantize` when the rewrite changed no node
 *   (message `nothing to quantize: …`),
 *   `INPUT_DATA` (calibration shapes), `MODEL_UNSUPPORTED` (a pattern the rewrites cannot handle,
 *   or a result onnxruntime rejects).
 */
export async function quantizeOnnx(opts: QuantizeOnnxOptions): Promise<QuantizeOnnxResult> {
  const recipe = normalizeRecipe(opts.recipe);
  const name = opts.name ?? 'model.onnx';
  let t0 = performance.now();
  const model = decodeModel(opts.bytes, name);
  const decodeMs = performance.now() - t0;
  let calibration: QuantizeOnnxResult['calibration'];
  let ranges;
  let uncalibrated: { name: string; reason: string }[] = [];
  const staticNotes: string[] = [];
  if (recipe.to === 'int8-static') {
    if (!opts.calibration?.length) {
      throw new ParityError('USAGE', 'int8-static needs calibration data: pass --calibration FILE (NPZ/JSON keyed by input name)');
    }
    const folded = foldBatchNorms(model, false); // before calibration: folding renames the Conv outputs
    if (folded.length) staticNotes.push(`${folded.length} BatchNormalization node(s) folded into the preceding Conv`);
    const tensors = staticActivations(model, recipe);
    const c = await calibrateActivations(model, tensors, opts.calibration, { method: recipe.method, percentile: recipe.percentile });
    ranges = c.ranges;
    uncalibrated = c.uncalibrated ?? [];
    calibration = { samples: c.samples, source: opts.calibrationSource ?? 'given samples', method: recipe.method, ms: c.ms };
  }
  t0 = performance.now();
  const report = applyRecipe(model, recipe, ranges);
  report.notes.unshift(...staticNotes);
  for (const u of uncalibrated.slice(0, 8)) report.notes.push(`activation '${u.name}' not calibrated: ${u.reason}`);
  if (uncalibrated.length > 8) report.notes.push(`… and ${uncalibrated.length - 8} more activation(s) not calibrated`);
  const nothing = nothingToQuantize(recipe.to, report.coverage, report);
  if (nothing) throw new ParityError('MODEL_UNSUPPORTED', nothing, { nothingToQuantize: true, coverage: report.coverage });
  const bytes = encodeModel(model);
  const convertMs = decodeMs + performance.now() - t0;
  const result: QuantizeOnnxResult = {
    bytes,
    bytesBefore: opts.bytes.length,
    bytesAfter: bytes.length,
    recipe: describeRecipe(recipe),
    report,
    coverage: report.coverage,
    convertMs,
    ...(calibration ? { calibration } : {}),
  };
  if (opts.validate ?? true) {
    result.validation = await validateVariant({
      variant: bytes,
      reference: opts.bytes,
      ...(opts.data?.length
        ? { feeds: opts.data, feedsSource: opts.dataSource ?? 'given data' }
        : opts.calibration?.length
          ? { feeds: opts.calibration, feedsSource: opts.calibrationSource ?? 'the calibration data' }
          : {}),
      ...(opts.overrides ? { overrides: opts.overrides } : {}),
    });
  }
  return result;
}
