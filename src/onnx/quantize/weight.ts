/**
 * `int8-weight`: weight-only quantization. The weights of Conv / ConvTranspose / Gemm / MatMul
 * become int8 initializers with a scale and zero point, read through DequantizeLinear (per tensor,
 * or per output channel with `axis`); activations and compute stay float32. Browser-safe; the model
 * is rewritten in place.
 */
import type { ModelProto } from 'onnx-buf';
import { constantTable, createNamer, nodeLabel, pruneUnusedConstants } from '../graph-utils.ts';
import { ensureOpset } from './opset.ts';
import { quantizeTensor } from './qparams.ts';
import { exclusionReason, type QuantizeRecipe, type RewriteReport } from './recipe.ts';
import { addDequantized, findWeight, subgraphCandidates, WEIGHT_OPS } from './weights.ts';

/** Opset the rewrite needs: DequantizeLinear exists from 10, its `axis` from 13. */
export function weightOnlyOpset(perChannel: boolean): number {
  return perChannel ? 13 : 10;
}

/** Quantizes the weights of `model` to int8 (in place). */
export function quantizeWeightOnly(model: ModelProto, recipe: QuantizeRecipe): RewriteReport {
  const report: RewriteReport = { quantized: {}, leftAlone: [], notes: [] };
  const perChannel = recipe.perChannel ?? false;
  const symmetric = recipe.symmetric ?? false;
  report.notes.push(...ensureOpset(model, weightOnlyOpset(perChannel)));
  const graph = model.graph!;
  const namer = createNamer(model);
  const constants = constantTable(graph);
  const done = new Map<string, string>();
  subgraphCandidates(model, report, WEIGHT_OPS);
  for (const node of [...graph.node]) {
    if (!(node.opType in WEIGHT_OPS) || (node.domain !== '' && node.domain !== 'ai.onnx')) continue;
    const label = nodeLabel(node);
    const excluded = exclusionReason(recipe, node.opType, label, node.name);
    if (excluded) {
      report.leftAlone.push({ node: label, op: node.opType, reason: excluded });
      continue;
    }
    const site = findWeight(node, constants);
    if ('reason' in site) {
      report.leftAlone.push({ node: label, op: node.opType, reason: site.reason });
      continue;
    }
    const axis = perChannel ? site.axis : undefined;
    const key = `${site.ref.name}|${axis ?? ''}`;
    let dq = done.get(key);
    if (!dq) {
      const qt = quantizeTensor(site.values, site.dims, { qtype: 'int8', symmetric, ...(axis !== undefined ? { axis } : {}) });
      dq = addDequantized(graph, namer, site.ref.name, qt);
      done.set(key, dq);
    }
    node.input[site.index] = dq;
    report.quantized[node.opType] = (report.quantized[node.opType] ?? 0) + 1;
  }
  const pruned = pruneUnusedConstants(graph);
  if (pruned) report.notes.push(`${pruned} float32 weight tensor(s) replaced by int8`);
  return report;
}
