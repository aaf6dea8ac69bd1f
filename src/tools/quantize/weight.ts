/**
 * `int8-weight`: weight-only quantization. The weights of Conv / ConvTranspose / Gemm / MatMul,
 * and W / R of LSTM / GRU / RNN (the recurrent models' bulk: Silero VAD's LSTMs), become int8 initializers with a scale and zero point, read through DequantizeLinear (per tensor,
 * or per output channel with `axis`); activations and compute stay float32. Nodes inside If / Loop /
 * Scan bodies are rewritten too; a weight captured from an enclosing graph is quantized once, in
 * the graph that owns it. Browser-safe; the model is rewritten in place.
 *
 * Opset: per-tensor DequantizeLinear exists from opset 10, its `axis` from 13. A per-channel recipe
 * on an opset 10–12 model whose ops the upgrader cannot raise safely falls back to per-tensor (a
 * note says so) instead of failing.
 */
import type { ModelProto, TensorProto } from 'onnx-buf';
import { createNamer, nodeLabel } from '../../kernel/onnx/graph-utils.ts';
import { defaultOpset, ensureOpset, opsetUpgradeBlocker } from './opset.ts';
import { quantizeTensor } from './qparams.ts';
import { exclusionReason, type QuantizeRecipe, type RewriteReport } from './recipe.ts';
import { forEachScope, ownerOf, pruneAllGraphs } from './scopes.ts';
import { addDequantized, findWeightAt, RECURRENT_WEIGHT_OPS, WEIGHT_OPS, type WeightSite } from './weights.ts';

/** Weight inputs of `op` this rewrite quantizes (none when it is not a weighted op). */
function weightInputs(op: string): readonly number[] {
  const one = WEIGHT_OPS[op];
  return one !== undefined ? [one] : (RECURRENT_WEIGHT_OPS[op] ?? []);
}

/** Opset the rewrite needs: DequantizeLinear exists from 10, its `axis` from 13. */
function weightOnlyOpset(perChannel: boolean): number {
  return perChannel ? 13 : 10;
}

/** Per-channel when the opset allows it (or can be raised safely); otherwise per tensor, with a note. */
function choosePerChannel(model: ModelProto, wanted: boolean, notes: string[]): boolean {
  if (!wanted) return false;
  const opset = defaultOpset(model);
  if (opset >= 13 || opset < 10) return true;
  const blocker = opsetUpgradeBlocker(model, 13);
  if (!blocker) return true;
  notes.push(
    `per-tensor instead of per-channel: per-channel DequantizeLinear needs opset 13, and the opset ${opset} model cannot be raised safely (${blocker})`,
  );
  return false;
}

/** Quantizes the weights of `model` to int8 (in place), in the main graph and every subgraph. */
export function quantizeWeightOnly(model: ModelProto, recipe: QuantizeRecipe): RewriteReport {
  const report: RewriteReport = { quantized: {}, leftAlone: [], notes: [] };
  const perChannel = choosePerChannel(model, recipe.perChannel ?? false, report.notes);
  const symmetric = recipe.symmetric ?? false;
  report.notes.push(...ensureOpset(model, weightOnlyOpset(perChannel)));
  const namer = createNamer(model);
  const done = new Map<TensorProto, Map<string, string>>();
  let inSubgraphs = 0;
  forEachScope(model.graph!, (graph, constants, depth) => {
    for (const node of [...graph.node]) {
      const indices = weightInputs(node.opType);
      if (!indices.length || (node.domain !== '' && node.domain !== 'ai.onnx')) continue;
      const label = nodeLabel(node);
      const excluded = exclusionReason(recipe, node.opType, label, node.name);
      if (excluded) {
        report.leftAlone.push({ node: label, op: node.opType, reason: excluded });
        continue;
      }
      const sites = indices.map((i) => findWeightAt(node, i, constants));
      const found = sites.filter((x): x is WeightSite => !('reason' in x));
      if (!found.length) {
        report.leftAlone.push({ node: label, op: node.opType, reason: (sites[0] as { reason: string }).reason });
        continue;
      }
      for (const site of found) {
        const axis = perChannel ? site.axis : undefined;
        const byAxis = done.get(site.ref.tensor) ?? new Map<string, string>();
        done.set(site.ref.tensor, byAxis);
        let dq = byAxis.get(String(axis));
        if (!dq) {
          const qt = quantizeTensor(site.values, site.dims, { qtype: 'int8', symmetric, ...(axis !== undefined ? { axis } : {}) });
          dq = addDequantized(ownerOf(site.ref, graph), namer, site.ref.name, qt);
          byAxis.set(String(axis), dq);
        }
        node.input[site.index] = dq;
      }
      report.quantized[node.opType] = (report.quantized[node.opType] ?? 0) + 1;
      if (depth > 0) inSubgraphs++;
    }
  });
  const recurrent = Object.keys(RECURRENT_WEIGHT_OPS).filter((op) => report.quantized[op]);
  if (recurrent.length)
    report.notes.push(
      `${recurrent.map((op) => `${report.quantized[op]} ${op}`).join(', ')}: W and R stored int8, read through DequantizeLinear, computed in float32; a backend without ${recurrent.join('/')} kernels cannot run them at any precision (its record says so)`,
    );
  if (inSubgraphs) report.notes.push(`${inSubgraphs} node(s) inside If/Loop/Scan bodies quantized`);
  const pruned = pruneAllGraphs(model);
  if (pruned) report.notes.push(`${pruned} float32 weight tensor(s) replaced by int8`);
  return report;
}
