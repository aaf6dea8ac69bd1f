/**
 * Element-type inference for the values of a graph: what the fp16 converter and the quantizers
 * need to know (is this value float32?) without ONNX shape inference, which has no JS port.
 * Declared types (inputs, outputs, value_info, initializers) win; otherwise each op's output
 * type follows a small rule table (most ops: same as their first input). Browser-safe.
 */
import { TensorProto_DataType as DT, type GraphProto, type NodeProto, type ValueInfoProto } from 'onnx-buf';

/** Element type declared by a ValueInfo, or undefined for non-tensors and untyped entries. */
export function declaredElemType(v: ValueInfoProto): number | undefined {
  const t = v.type?.value.case === 'tensorType' ? v.type.value.value : undefined;
  return t && t.elemType !== DT.UNDEFINED ? t.elemType : undefined;
}

/** Sets the element type of a tensor ValueInfo in place (no-op for non-tensor types). */
export function setElemType(v: ValueInfoProto, elemType: number): void {
  if (v.type?.value.case === 'tensorType') v.type.value.value.elemType = elemType;
}

const BOOL_OPS = new Set(['Equal', 'Less', 'Greater', 'LessOrEqual', 'GreaterOrEqual', 'And', 'Or', 'Xor', 'Not', 'IsNaN', 'IsInf', 'RegexFullMatch']);
const INT64_OPS = new Set(['Shape', 'Size', 'NonZero', 'ArgMax', 'ArgMin', 'NonMaxSuppression']);
/** Ops with several outputs of fixed types after the first (which follows input 0). */
const SECONDARY: Record<string, number[]> = {
  TopK: [DT.INT64],
  MaxPool: [DT.INT64],
  Unique: [DT.INT64, DT.INT64, DT.INT64],
  Dropout: [DT.BOOL],
  LayerNormalization: [DT.FLOAT, DT.FLOAT],
};

function intAttr(node: NodeProto, name: string): number | undefined {
  const a = node.attribute.find((x) => x.name === name);
  return a ? Number(a.i) : undefined;
}

/** Types of the outputs of `node`, given a lookup for value types. Undefined where unknown. */
function outputTypes(node: NodeProto, typeOf: (name: string) => number | undefined): (number | undefined)[] {
  const op = node.opType;
  const n = node.output.length;
  const in0 = node.input[0] ? typeOf(node.input[0]) : undefined;
  const fill = (t: number | undefined): (number | undefined)[] => Array.from({ length: n }, () => t);
  if (node.domain !== '' && node.domain !== 'ai.onnx') {
    if (op === 'DynamicQuantizeMatMul' || op === 'MatMulIntegerToFloat' || op === 'QGemm') return fill(DT.FLOAT);
    return fill(in0);
  }
  if (BOOL_OPS.has(op)) return fill(DT.BOOL);
  if (INT64_OPS.has(op)) return fill(DT.INT64);
  switch (op) {
    case 'Cast':
      return fill(intAttr(node, 'to'));
    case 'CastLike':
      return fill(node.input[1] ? typeOf(node.input[1]) : undefined);
    case 'Constant': {
      const a = node.attribute[0];
      if (!a) return fill(undefined);
      if (a.t) return fill(a.t.dataType);
      if (a.name === 'value_float' || a.name === 'value_floats') return fill(DT.FLOAT);
      if (a.name === 'value_int' || a.name === 'value_ints') return fill(DT.INT64);
      if (a.name === 'value_string' || a.name === 'value_strings') return fill(DT.STRING);
      return fill(undefined);
    }
    case 'ConstantOfShape':
      return fill(node.attribute.find((a) => a.name === 'value')?.t?.dataType ?? DT.FLOAT);
    case 'EyeLike':
    case 'RandomNormalLike':
    case 'RandomUniformLike':
    case 'Bernoulli':
      return fill(intAttr(node, 'dtype') ?? in0);
    case 'RandomNormal':
    case 'RandomUniform':
      return fill(intAttr(node, 'dtype') ?? DT.FLOAT);
    case 'Multinomial':
      return fill(intAttr(node, 'dtype') ?? DT.INT32);
    case 'HannWindow':
    case 'HammingWindow':
    case 'BlackmanWindow':
    case 'MelWeightMatrix':
      return fill(intAttr(node, 'output_datatype') ?? DT.FLOAT);
    case 'Where':
      return fill(node.input[1] ? typeOf(node.input[1]) : undefined);
    case 'OneHot':
      return fill(node.input[2] ? typeOf(node.input[2]) : undefined);
    case 'QuantizeLinear':
      return fill(node.input[2] ? typeOf(node.input[2]) : DT.UINT8);
    case 'DequantizeLinear':
      return fill(node.input[1] ? typeOf(node.input[1]) : DT.FLOAT);
    case 'DynamicQuantizeLinear':
      return [DT.UINT8, DT.FLOAT, DT.UINT8];
    case 'MatMulInteger':
    case 'ConvInteger':
      return fill(DT.INT32);
    case 'QLinearConv':
    case 'QLinearMatMul':
      return fill(node.input[7] ? typeOf(node.input[7]) : undefined);
    case 'TfIdfVectorizer':
      return fill(DT.FLOAT);
    case 'StringNormalizer':
    case 'StringConcat':
      return fill(DT.STRING);
    case 'If': {
      const g = node.attribute.find((a) => a.name === 'then_branch')?.g;
      return g ? g.output.map(declaredElemType) : fill(undefined);
    }
    case 'Loop': {
      const g = node.attribute.find((a) => a.name === 'body')?.g;
      return g ? g.output.slice(1).map(declaredElemType) : fill(undefined);
    }
    case 'Scan': {
      const g = node.attribute.find((a) => a.name === 'body')?.g;
      return g ? g.output.map(declaredElemType) : fill(undefined);
    }
  }
  const extra = SECONDARY[op];
  if (extra) return [in0, ...extra].slice(0, n);
  return fill(in0);
}

/**
 * Element types of every value visible in `graph` (including values of enclosing scopes given in
 * `outer`). Subgraph values are not included; call again on the subgraph with this map as `outer`.
 */
export function inferElemTypes(graph: GraphProto, outer: ReadonlyMap<string, number> = new Map()): Map<string, number> {
  const types = new Map<string, number>(outer);
  for (const t of graph.initializer) types.set(t.name, t.dataType);
  const declared = new Map<string, number>();
  for (const v of [...graph.input, ...graph.valueInfo, ...graph.output]) {
    const t = declaredElemType(v);
    if (t !== undefined) declared.set(v.name, t);
  }
  for (const v of graph.input) if (declared.has(v.name)) types.set(v.name, declared.get(v.name)!);
  const typeOf = (name: string) => types.get(name);
  for (const node of graph.node) {
    const inferred = outputTypes(node, typeOf);
    node.output.forEach((o, i) => {
      if (!o) return;
      const t = declared.get(o) ?? inferred[i];
      if (t !== undefined) types.set(o, t);
    });
  }
  return types;
}
