/**
 * fp16 range safety, run before the float16 conversion (browser-safe, in place):
 *
 * 1. BatchNormalization folded into the Conv before it when its statistics do not fit float16
 *    (running variance of 1e7–1e8 is common in exported detectors; see bn-fold.ts), so the folded
 *    weights are ordinary-sized and convert cleanly;
 * 2. every node that reads a constant with finite values beyond ±65504 stays float32 (the
 *    converter puts Casts around it), so nothing is clamped. A constant read from inside an
 *    If/Loop/Scan body keeps that whole owning node in float32.
 *
 * Tiny values follow the subnormal policy of half.ts: float16 subnormals (down to 2^-24 ≈ 6e-8) are
 * kept; only values below half of that become zero, counted per tensor in the report (`flushed`).
 * Unlike onnxconverter-common there is no min-positive clamp, which would change small weights.
 */
import type { ModelProto, NodeProto } from 'onnx-buf';
import { constantTable, nodeLabel, nodeReads } from '../../kernel/onnx/graph-utils.ts';
import { foldBatchNorms } from './bn-fold.ts';
import { float32Values } from '../../kernel/onnx/half.ts';
import { forEachGraph } from '../../kernel/onnx/io.ts';

const F16_MAX = 65504;

export interface Fp16Guard {
  /** `excludeNodes` for the converter: the caller's plus the nodes kept float32 for range. */
  excludeNodes: string[];
  /** Node label → why it stays float32. */
  reasons: Map<string, string>;
  notes: string[];
}

const outOfRange = (v: Float32Array): number => {
  let n = 0;
  for (let i = 0; i < v.length; i++) if (Math.abs(v[i]!) > F16_MAX && Number.isFinite(v[i]!)) n++;
  return n;
};

/** Folds what it can, then lists the nodes that must stay float32 because their constants do not fit float16. */
export function guardFp16Range(model: ModelProto, excludeNodes: readonly string[]): Fp16Guard {
  const notes: string[] = [];
  const folded = foldBatchNorms(model, true);
  if (folded.length)
    notes.push(
      `${folded.length} BatchNormalization node(s) with statistics outside the float16 range folded into the preceding Conv before conversion (${folded.slice(0, 4).join(', ')}${folded.length > 4 ? ', …' : ''})`,
    );
  const reasons = new Map<string, string>();
  forEachGraph(model.graph!, (g) => {
    for (const [name, ref] of constantTable(g)) {
      if (ref.tensor.dataType !== 1) continue;
      const n = outOfRange(float32Values(ref.tensor));
      if (!n) continue;
      const why = `reads '${name}', whose ${n} value(s) beyond ±65504 do not fit float16 (kept float32 instead of clamping)`;
      const readers: NodeProto[] = g.node.filter((x) => nodeReads(x).includes(name));
      forEachGraph(g, (sub) => {
        if (sub !== g) readers.push(...sub.node.filter((x) => x.input.includes(name)));
      });
      for (const r of readers) if (r.opType !== 'Constant' && !reasons.has(nodeLabel(r))) reasons.set(nodeLabel(r), why);
    }
  });
  if (reasons.size) notes.push(`${reasons.size} node(s) kept float32: they read constants beyond the float16 range`);
  return { excludeNodes: [...excludeNodes, ...reasons.keys()], reasons, notes };
}
