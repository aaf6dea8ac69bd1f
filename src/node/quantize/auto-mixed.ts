/**
 * `--auto-mixed` for fp16 and int8-static (Node: validates on onnxruntime-node): searches for a
 * small set of nodes to keep in float32 so the variant meets its precision's gates on the given
 * samples (int8-static: the candidates are its Conv/Gemm/MatMul nodes, each trial recalibrated), by bisection
 * over node segments as onnxruntime's `auto_convert_mixed_precision` does. Start from every node in
 * float32 (which must pass), then try to release whole segments to float16: a segment whose release
 * still passes goes to float16, one that fails is split in halves and each half tried — so the nodes
 * left are each needed given the others, found in O(k·log n) trials for k kept of n nodes.
 */
import { ParityError } from '../../kernel/core/errors.ts';
import type { TensorMap } from '../../kernel/core/tensor.ts';
import type { InputOverrides } from '../../kernel/data/input-options.ts';
import { nodeLabel } from '../../kernel/onnx/graph-utils.ts';
import { allNodes, decodeModel, encodeModel } from '../../kernel/onnx/io.ts';
import { judgeQuality, passedUnchecked, type QualityVerdict } from './quality.ts';
import type { QuantizeRecipe } from '../../tools/quantize/recipe.ts';
import { quantizeOnnx } from './quantize-onnx.ts';
import { applyRecipe } from '../../tools/quantize/rewrite.ts';
import { validateVariant } from './validate.ts';

/** The nodes int8-static quantizes, hence the candidates of its search. */
const INT8_OPS = new Set(['Conv', 'Gemm', 'MatMul']);

export interface AutoMixedOptions {
  bytes: Uint8Array;
  /** An fp16 or int8-static recipe (its `excludeNodes` are kept float32 from the start). */
  recipe: QuantizeRecipe;
  /** int8-static: calibration samples. */
  calibration?: readonly TensorMap[];
  /** Samples the gate is judged on. Default: 8 synthesized from the signature. */
  samples?: readonly TensorMap[];
  overrides?: InputOverrides;
  /** Called once per trial. Default: silent. */
  log?: (line: string) => void;
}

export interface AutoMixedResult {
  /** Nodes (labels) the search keeps in float32, in graph order. */
  kept: string[];
  /** Variant trials run (each a conversion and a validation). */
  trials: number;
  ms: number;
  /** The verdict of the chosen mix. */
  quality: QualityVerdict;
  /** Size of the plain variant (nothing kept float32) and of the chosen mix, bytes. */
  plainBytes: number;
  mixedBytes: number;
}

/**
 * @throws ParityError `MODEL_UNSUPPORTED` when even all nodes in float32 fail the gate (the samples
 *   cannot tell, e.g. a non-deterministic model).
 */
export async function autoMixed(opts: AutoMixedOptions): Promise<AutoMixedResult> {
  const started = performance.now();
  const to = opts.recipe.to;
  if (to !== 'fp16' && to !== 'int8-static') throw new ParityError('USAGE', `--auto-mixed searches fp16 and int8-static mixes, not ${to}`);
  const fixed = opts.recipe.excludeNodes ?? [];
  const isCandidate = (op: string) => (to === 'fp16' ? op !== 'Constant' : INT8_OPS.has(op));
  const candidates = [
    ...new Set(
      allNodes(decodeModel(opts.bytes).graph!)
        .filter((n) => isCandidate(n.opType))
        .map(nodeLabel),
    ),
  ].filter((l) => !fixed.includes(l));
  let trials = 0;
  const trial = async (kept: readonly string[]): Promise<{ verdict: QualityVerdict; size: number }> => {
    trials++;
    const recipe = { ...opts.recipe, excludeNodes: [...fixed, ...kept] };
    let variant: Uint8Array;
    if (to === 'fp16') {
      const m = decodeModel(opts.bytes);
      applyRecipe(m, recipe);
      variant = encodeModel(m);
    } else {
      variant = (await quantizeOnnx({ bytes: opts.bytes, recipe, validate: false, ...(opts.calibration ? { calibration: opts.calibration } : {}) })).bytes;
    }
    const v = await validateVariant({
      variant,
      reference: opts.bytes,
      ...(opts.samples ? { feeds: opts.samples } : {}),
      ...(opts.overrides ? { overrides: opts.overrides } : {}),
    });
    const verdict = judgeQuality(v, to);
    opts.log?.(`trial ${trials}: ${kept.length} node(s) in float32 → ${verdict.ok ? 'meets' : 'breaks'} the ${to} gates`);
    return { verdict, size: variant.length };
  };
  const plain = await trial([]);
  if (plain.verdict.ok) return { kept: [], trials, ms: performance.now() - started, quality: plain.verdict, plainBytes: plain.size, mixedBytes: plain.size };
  const keep = new Set(candidates);
  // With every candidate kept, int8-static is the float32 model itself (nothing to quantize): it passes.
  let best =
    to === 'fp16'
      ? await trial([...keep])
      : { verdict: passedUnchecked('int8', 'every candidate kept in float32: the float32 model itself'), size: opts.bytes.length };
  if (!best.verdict.ok) {
    throw new ParityError(
      'MODEL_UNSUPPORTED',
      `--auto-mixed: even with all ${candidates.length} node(s) in float32 the variant breaks the ${to} gates on these samples; nothing to search`,
    );
  }
  const release = async (segment: string[]): Promise<void> => {
    if (!segment.length) return;
    const rest = [...keep].filter((l) => !segment.includes(l));
    const t = await trial(rest);
    if (t.verdict.ok) {
      for (const l of segment) keep.delete(l);
      best = t;
      return;
    }
    if (segment.length === 1) return;
    const mid = Math.ceil(segment.length / 2);
    await release(segment.slice(0, mid));
    await release(segment.slice(mid));
  };
  await release(candidates);
  if (keep.size === candidates.length && to !== 'fp16') {
    throw new ParityError(
      'MODEL_UNSUPPORTED',
      `--auto-mixed: no int8-static node can be quantized without breaking the int8 gates on these samples (${trials} trial(s)); nothing written`,
    );
  }
  const kept = candidates.filter((l) => keep.has(l));
  return { kept, trials, ms: performance.now() - started, quality: best.verdict, plainBytes: plain.size, mixedBytes: best.size };
}
