/**
 * `int4-weight`: block-wise 4-bit weight-only quantization for MatMul / Gemm, as the q4 models
 * browser LLM users deploy: each node becomes com.microsoft MatMulNBits (bits 4, onnxruntime on
 * CPU, wasm and WebGPU) reading packed uint4 weights with one float32 scale per block (and zero
 * points when asymmetric). Gemm: transB is applied ahead of time, alpha folds into the scales and
 * beta·C becomes an Add. Nodes inside If/Loop/Scan bodies are rewritten too. Browser-safe, in place.
 */
import { create } from '@bufbuild/protobuf';
import { OperatorSetIdProtoSchema, TensorProto_DataType as DT, type GraphProto, type ModelProto, type NodeProto } from 'onnx-buf';
import { ParityError, choices } from '../../kernel/core/errors.ts';
import { tensor } from '../../kernel/core/tensor.ts';
import { attr, makeInitializer, makeNode } from '../../kernel/onnx/builder.ts';
import { createNamer, nodeLabel, type ConstantRef } from '../../kernel/onnx/graph-utils.ts';
import { float32Values } from '../../kernel/onnx/half.ts';
import { allNodes } from '../../kernel/onnx/io.ts';
import { quantizeInt4 } from './int4-pack.ts';
import { exclusionReason, INT4_BLOCK_SIZES, type QuantizeRecipe, type RewriteReport } from './recipe.ts';
import { forEachScope, ownerOf, pruneAllGraphs } from './scopes.ts';

const MS = 'com.microsoft';
const INT4_OPS = new Set(['MatMul', 'Gemm']);

const intAttr = (n: NodeProto, name: string, fallback: number) => Number(n.attribute.find((a) => a.name === name)?.i ?? fallback);
const floatAttr = (n: NodeProto, name: string, fallback: number) => n.attribute.find((a) => a.name === name)?.f ?? fallback;

function transpose(values: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(values.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = values[r * cols + c]!;
  return out;
}

interface Site {
  values: Float32Array;
  k: number;
  n: number;
  ref: ConstantRef;
  alpha: number;
  bias?: Float32Array;
}

/** The [K, N] weight of a MatMul / Gemm, or why it cannot become MatMulNBits. */
function weightOf(node: NodeProto, constants: ReadonlyMap<string, ConstantRef>): Site | string {
  const ref = constants.get(node.input[1] ?? '');
  if (!ref) return `input 1 ('${node.input[1] ?? ''}') is not a constant (initializer or Constant node)`;
  if (ref.tensor.dataType !== DT.FLOAT) return `weight '${ref.name}' is not float32`;
  const dims = ref.tensor.dims.map(Number);
  if (dims.length !== 2) return `weight '${ref.name}' has rank ${dims.length}; MatMulNBits takes a 2-D weight`;
  let values = float32Values(ref.tensor);
  let [k, n] = dims as [number, number];
  if (node.opType === 'MatMul') return { values, k, n, ref, alpha: 1 };
  if (intAttr(node, 'transA', 0)) return 'Gemm with transA=1';
  if (intAttr(node, 'transB', 0)) {
    values = transpose(values, k, n);
    [k, n] = [n, k];
  }
  const site: Site = { values, k, n, ref, alpha: floatAttr(node, 'alpha', 1) };
  if (!node.input[2]) return site;
  const c = constants.get(node.input[2]);
  if (!c || c.tensor.dataType !== DT.FLOAT || c.tensor.dims.length > 1 || (c.tensor.dims.length === 1 && Number(c.tensor.dims[0]) !== n)) {
    return `Gemm bias '${node.input[2]}' is not a float32 constant of shape [${n}]`;
  }
  const beta = floatAttr(node, 'beta', 1);
  const raw = float32Values(c.tensor);
  site.bias = Float32Array.from({ length: n }, (_, i) => beta * raw[raw.length === 1 ? 0 : i]!);
  return site;
}

/** The nodes replacing `node`: MatMulNBits [+ Add(bias)]. Initializers go to the weight's graph. */
function rewrite(node: NodeProto, site: Site, graph: GraphProto, namer: (b: string) => string, blockSize: number, symmetric: boolean): NodeProto[] {
  const w = quantizeInt4(site.values, site.k, site.n, blockSize, symmetric);
  const home = ownerOf(site.ref, graph);
  const base = site.ref.name;
  const [bq, sc] = [namer(`${base}_int4`), namer(`${base}_int4_scales`)];
  const scales = site.alpha === 1 ? w.scales : Float32Array.from(w.scales, (s) => s * site.alpha);
  home.initializer.push(
    makeInitializer(bq, tensor('uint8', [w.n, w.blocks, blockSize / 2], w.packed)),
    makeInitializer(sc, tensor('float32', [w.n * w.blocks], scales)),
  );
  const inputs = [node.input[0]!, bq, sc];
  if (w.zeroPoints) {
    const zp = namer(`${base}_int4_zero_points`);
    home.initializer.push(makeInitializer(zp, tensor('uint8', [w.zeroPoints.length], w.zeroPoints)));
    inputs.push(zp);
  }
  const label = nodeLabel(node);
  const out = node.output[0]!;
  const mm = site.bias ? namer(`${label}_matmul`) : out;
  const attrs = { K: attr.int(w.k), N: attr.int(w.n), bits: attr.int(4), block_size: attr.int(blockSize) };
  const nodes = [makeNode('MatMulNBits', inputs, [mm], attrs, { name: namer(`${label}_MatMulNBits`), domain: MS })];
  if (site.bias) {
    const b = namer(`${label}_bias`);
    graph.initializer.push(makeInitializer(b, tensor('float32', [w.n], site.bias)));
    nodes.push(makeNode('Add', [mm, b], [out], {}, { name: namer(`${label}_bias_Add`) }));
  }
  return nodes;
}

/**
 * Rewrites MatMul / Gemm with constant 2-D weights as MatMulNBits (in place).
 * @throws ParityError `USAGE` for a block size MatMulNBits does not take; `MODEL_UNSUPPORTED` when
 *   the model has no MatMul or Gemm at all.
 */
export function quantizeInt4Weight(model: ModelProto, recipe: QuantizeRecipe): RewriteReport {
  const blockSize = recipe.blockSize ?? 32;
  if (!(INT4_BLOCK_SIZES as readonly number[]).includes(blockSize)) {
    throw new ParityError(
      'USAGE',
      `--block-size ${blockSize}: MatMulNBits takes a power of two from 16 to 256; expected one of ${choices(INT4_BLOCK_SIZES.map(String))}`,
    );
  }
  const candidates = allNodes(model.graph!).filter((n) => INT4_OPS.has(n.opType) && (n.domain === '' || n.domain === 'ai.onnx'));
  if (!candidates.length) {
    const ops = [...new Set(allNodes(model.graph!).map((n) => n.opType))].sort().join(', ');
    throw new ParityError(
      'MODEL_UNSUPPORTED',
      `nothing to quantize: int4-weight rewrites MatMul/Gemm weights, and this model has no MatMul or Gemm node (its ops: ${ops}); int8-weight covers Conv weights`,
      { nothingToQuantize: true },
    );
  }
  const report: RewriteReport = { quantized: {}, leftAlone: [], notes: [] };
  const namer = createNamer(model);
  const symmetric = recipe.symmetric ?? true;
  forEachScope(model.graph!, (graph, constants) => {
    graph.node = graph.node.flatMap((node) => {
      if (!INT4_OPS.has(node.opType) || (node.domain !== '' && node.domain !== 'ai.onnx')) return [node];
      const label = nodeLabel(node);
      const excluded = exclusionReason(recipe, node.opType, label, node.name);
      const site = excluded ?? weightOf(node, constants);
      if (typeof site === 'string') {
        report.leftAlone.push({ node: label, op: node.opType, reason: site });
        return [node];
      }
      report.quantized[node.opType] = (report.quantized[node.opType] ?? 0) + 1;
      return rewrite(node, site, graph, namer, blockSize, symmetric);
    });
  });
  if (Object.keys(report.quantized).length && !model.opsetImport.some((o) => o.domain === MS)) {
    model.opsetImport.push(create(OperatorSetIdProtoSchema, { domain: MS, version: 1n }));
  }
  const pruned = pruneAllGraphs(model);
  if (pruned) report.notes.push(`${pruned} float32 weight tensor(s) replaced by 4-bit blocks`);
  report.notes.push(
    `MatMulNBits (com.microsoft) runs on onnxruntime only; block ${blockSize}, ${symmetric ? 'symmetric (zero point 8)' : 'asymmetric (zero points stored)'}`,
  );
  return report;
}
