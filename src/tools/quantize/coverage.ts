/**
 * How much of a model a rewrite really compressed, so a variant that changed nothing is never
 * reported as a pass: rewritten nodes out of the candidate nodes, and the share of the ORIGINAL
 * model's weight bytes (initializers and Constant-node tensors of every graph, subgraphs included)
 * that the variant holds in low precision — measured against the original, because a rewrite
 * shrinks what it covers (int4 on PP-OCRv4's recognizer: 38% of the original bytes, only 7% of
 * the variant's).
 *
 * Weight bytes count floating tensors (float32/64/16, bfloat16), integer tensors of quantized
 * storage (int8/uint8/int4/uint4, packed MatMulNBits blobs included) and int32 tensors read by a
 * DequantizeLinear (quantized biases). Low precision is everything among them that is not
 * float32/float64 — the bytes that no longer hold full-precision floats. Browser-safe.
 */
import { TensorProto_DataType as DT, type ModelProto, type TensorProto } from 'onnx-buf';
import { forEachGraph } from '../../kernel/onnx/io.ts';
import { protoElementCount } from '../../kernel/onnx/tensor-proto.ts';
import type { RewriteReport } from './recipe.ts';

/** What a variant compressed (`facts.variantRecipe.coverage`). */
export interface Coverage {
  /** Candidate nodes rewritten (`quantized`) out of all candidates (`eligible`: rewritten + left alone). */
  nodes: { quantized: number; eligible: number };
  /**
   * `total`: the original model's weight bytes; `lowPrecision`: those of them the variant no longer
   * holds in float32/64 (original full-precision bytes gone, plus any already low precision);
   * `after`: the variant's weight bytes, when measured against an original.
   */
  weightBytes: { lowPrecision: number; total: number; after?: number };
}

const BITS: Partial<Record<number, number>> = {
  [DT.FLOAT]: 32,
  [DT.DOUBLE]: 64,
  [DT.FLOAT16]: 16,
  [DT.BFLOAT16]: 16,
  [DT.INT8]: 8,
  [DT.UINT8]: 8,
  [DT.INT4]: 4,
  [DT.UINT4]: 4,
  [DT.INT32]: 32,
};
const FULL = new Set<number>([DT.FLOAT, DT.DOUBLE]);

function bytesOf(t: TensorProto): number {
  const bits = BITS[t.dataType] ?? 0;
  return Math.ceil((protoElementCount(t) * bits) / 8);
}

/** Weight bytes of `model` by precision. */
export function weightBytes(model: ModelProto): Coverage['weightBytes'] {
  let lowPrecision = 0,
    total = 0;
  forEachGraph(model.graph!, (g) => {
    const dqInputs = new Set(g.node.filter((n) => n.opType === 'DequantizeLinear').map((n) => n.input[0]));
    // Scales and zero points are quantization metadata, not full-precision weights: counted with
    // the low-precision bytes, so a per-channel scale vector never reads as weights left in fp32.
    const metadata = new Set(
      g.node.flatMap((n) =>
        n.opType === 'DequantizeLinear' || n.opType === 'QuantizeLinear' ? n.input.slice(1, 3) : n.opType === 'MatMulNBits' ? n.input.slice(2, 4) : [],
      ),
    );
    const tensors: TensorProto[] = [...g.initializer];
    const names = new Map<TensorProto, string>(g.initializer.map((t) => [t, t.name]));
    for (const n of g.node) {
      if (n.opType !== 'Constant') continue;
      const t = n.attribute.find((a) => a.name === 'value')?.t;
      if (t) {
        tensors.push(t);
        names.set(t, n.output[0] ?? '');
      }
    }
    for (const t of tensors) {
      if (t.dataType === DT.INT32 && !dqInputs.has(names.get(t))) continue;
      const b = bytesOf(t);
      if (!b) continue;
      total += b;
      if (!FULL.has(t.dataType) || metadata.has(names.get(t) ?? '')) lowPrecision += b;
    }
  });
  return { lowPrecision, total };
}

/**
 * Weight-byte coverage of a variant against its original: the original's full-precision bytes the
 * variant no longer holds in full precision (plus the original's own low-precision bytes), out of
 * the original's weight bytes.
 */
export function coverageOfOriginal(before: Coverage['weightBytes'], after: Coverage['weightBytes']): Required<Coverage['weightBytes']> {
  const fullBefore = before.total - before.lowPrecision;
  const fullAfter = after.total - after.lowPrecision;
  const lowPrecision = Math.min(before.total, before.lowPrecision + Math.max(0, fullBefore - fullAfter));
  return { lowPrecision, total: before.total, after: after.total };
}

/**
 * Coverage of a rewrite: node counts from its report, weight bytes from the rewritten model,
 * against `before` (the original's {@link weightBytes}) when given.
 */
export function measureCoverage(model: ModelProto, report: RewriteReport, before?: Coverage['weightBytes']): Coverage {
  const quantized = Object.values(report.quantized).reduce((a, n) => a + n, 0);
  const after = weightBytes(model);
  return { nodes: { quantized, eligible: quantized + report.leftAlone.length }, weightBytes: before ? coverageOfOriginal(before, after) : after };
}

/** `12/14 nodes, 96% of 1200000 weight bytes in low precision (of the original's; …)` — for recipe text and tables. */
export function describeCoverage(c: Coverage): string {
  const pct = c.weightBytes.total ? (100 * c.weightBytes.lowPrecision) / c.weightBytes.total : 0;
  const after = c.weightBytes.after !== undefined ? ` (of the original's; the variant holds ${c.weightBytes.after})` : '';
  return `${c.nodes.quantized}/${c.nodes.eligible} nodes, ${pct.toFixed(0)}% of ${c.weightBytes.total} weight bytes in low precision${after}`;
}

/**
 * Why a rewrite did nothing, summarised from its left-alone list
 * (`nothing to quantize: 14 MatMul/Conv node(s) left alone: …`), or undefined when it did something.
 */
export function nothingToQuantize(target: string, c: Coverage, report: RewriteReport): string | undefined {
  if (c.nodes.quantized > 0) return undefined;
  if (!report.leftAlone.length) return `nothing to quantize: the model has no node ${target} applies to`;
  const reasons = new Map<string, number>();
  for (const l of report.leftAlone) reasons.set(l.reason, (reasons.get(l.reason) ?? 0) + 1);
  const top = [...reasons]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([r, n]) => `${r} ×${n}`)
    .join('; ');
  return `nothing to quantize: all ${report.leftAlone.length} candidate node(s) for ${target} were left alone (${top})`;
}
