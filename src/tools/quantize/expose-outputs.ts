/**
 * Marks intermediate tensors as graph outputs so a runtime returns them: what calibration needs
 * (activation ranges) and what localization needs (per-node error). Browser-safe.
 *
 * ```ts
 * const { model: probe, exposed } = exposeIntermediates(model, 'all');
 * const bytes = encodeModel(probe); // run it; outputs now include every node output
 * ```
 */
import { clone, create } from '@bufbuild/protobuf';
import { GraphProtoSchema, ModelProtoSchema, TensorProto_DataType, ValueInfoProtoSchema, type ModelProto, type ValueInfoProto } from 'onnx-buf';
import { ParityError } from '../../kernel/core/errors.ts';
import { makeValueInfo } from '../../kernel/onnx/builder.ts';
import { onnxToDtype } from '../../kernel/onnx/tensor-proto.ts';
import { declaredElemType, inferElemTypes } from '../../kernel/onnx/infer-types.ts';

/** What `exposeIntermediates` returns. */
export interface ExposeResult {
  /** A new model whose graph outputs are the original outputs followed by `exposed`. */
  model: ModelProto;
  /** Names added as outputs, in graph order. */
  exposed: string[];
  /** Values that could not be exposed (not tensors, or of an unknown element type). */
  skipped: { name: string; reason: string }[];
}

/**
 * Adds main-graph values as graph outputs, typed from value_info when declared (shape included)
 * or else from element-type inference (shape left unknown).
 *
 * @param names - value names to expose, or `'all'` for the output of every main-graph node except
 *   Constant nodes. Values that already are graph outputs are kept once.
 * @returns a new ModelProto sharing nodes and initializers with `model`; `model` is not modified.
 * @throws ParityError `USAGE` when a requested name is not a value of the main graph (subgraph
 *   values cannot be exposed).
 */
export function exposeIntermediates(model: ModelProto, names: readonly string[] | 'all'): ExposeResult {
  const graph = model.graph;
  if (!graph) throw new ParityError('MODEL_INVALID', 'the model has no graph');
  const produced = graph.node.flatMap((n) => (n.opType === 'Constant' && names === 'all' ? [] : n.output.filter(Boolean)));
  const known = new Set([...produced, ...graph.input.map((v) => v.name), ...graph.initializer.map((t) => t.name), ...graph.node.flatMap((n) => n.output)]);
  const wanted = names === 'all' ? produced : [...new Set(names)];
  const missing = wanted.filter((n) => !known.has(n));
  if (missing.length) {
    const list = missing
      .slice(0, 5)
      .map((n) => `'${n}'`)
      .join(', ');
    throw new ParityError(
      'USAGE',
      `cannot expose ${list}${missing.length > 5 ? ` and ${missing.length - 5} more` : ''}: not a value of the main graph (subgraph values cannot be exposed)`,
    );
  }
  const already = new Set(graph.output.map((v) => v.name));
  const declared = new Map<string, ValueInfoProto>();
  for (const v of [...graph.valueInfo, ...graph.input]) declared.set(v.name, v);
  const types = inferElemTypes(graph);
  const added: ValueInfoProto[] = [];
  const exposed: string[] = [];
  const skipped: ExposeResult['skipped'] = [];
  for (const name of wanted) {
    if (already.has(name)) continue;
    already.add(name);
    const v = declared.get(name);
    if (v && declaredElemType(v) !== undefined) {
      added.push(clone(ValueInfoProtoSchema, v));
      exposed.push(name);
      continue;
    }
    const elem = types.get(name);
    const dtype = elem === undefined ? undefined : onnxToDtype(elem);
    if (elem === undefined || elem === TensorProto_DataType.UNDEFINED) {
      skipped.push({ name, reason: 'element type unknown (not a tensor, or produced by an op the type rules do not cover)' });
    } else if (!dtype) {
      skipped.push({ name, reason: `element type ${TensorProto_DataType[elem] ?? elem} is not carried by the tool` });
    } else {
      const vi = makeValueInfo(name, dtype, []);
      // An empty dim list would declare a scalar: drop the shape so the rank stays unknown.
      if (vi.type?.value.case === 'tensorType') vi.type.value.value.shape = undefined;
      added.push(vi);
      exposed.push(name);
    }
  }
  const newGraph = create(GraphProtoSchema, { ...graph, output: [...graph.output, ...added] });
  return { model: create(ModelProtoSchema, { ...model, graph: newGraph }), exposed, skipped };
}
