/**
 * A tiny ONNX graph builder for training scripts, tests and graph rewrites (quantizer, fp16).
 *
 * ```ts
 * const model = makeModel({
 *   nodes: [makeNode('Gemm', ['x', 'w', 'b'], ['y'], { transB: attr.int(1) })],
 *   inputs: [makeValueInfo('x', 'float32', ['batch', 4])],
 *   outputs: [makeValueInfo('y', 'float32', ['batch', 3])],
 *   initializers: [makeInitializer('w', w), makeInitializer('b', b)],
 * });
 * ```
 */
import { create } from '@bufbuild/protobuf';
import {
  AttributeProtoSchema,
  AttributeProto_AttributeType as AT,
  GraphProtoSchema,
  ModelProtoSchema,
  NodeProtoSchema,
  OperatorSetIdProtoSchema,
  TensorShapeProtoSchema,
  TensorShapeProto_DimensionSchema,
  TypeProtoSchema,
  TypeProto_TensorSchema,
  ValueInfoProtoSchema,
  type AttributeProto,
  type GraphProto,
  type ModelProto,
  type NodeProto,
  type TensorProto,
  type ValueInfoProto,
} from 'onnx-buf';
import type { Dim, DType, Tensor } from '../core/tensor.ts';
import { dtypeToOnnx, tensorToProto } from './tensor-proto.ts';

/** An attribute value without its name; `makeNode` names it after its key. Build with `attr.*`. */
export type AttrValue = Omit<Partial<AttributeProto>, '$typeName' | 'name'> & { type: AT };

const utf8 = new TextEncoder();

/** Attribute constructors, one per ONNX attribute type. */
export const attr = {
  int: (v: number | bigint): AttrValue => ({ type: AT.INT, i: BigInt(v) }),
  ints: (v: readonly (number | bigint)[]): AttrValue => ({ type: AT.INTS, ints: v.map((x) => BigInt(x)) }),
  float: (v: number): AttrValue => ({ type: AT.FLOAT, f: v }),
  floats: (v: readonly number[]): AttrValue => ({ type: AT.FLOATS, floats: [...v] }),
  string: (v: string): AttrValue => ({ type: AT.STRING, s: utf8.encode(v) }),
  strings: (v: readonly string[]): AttrValue => ({ type: AT.STRINGS, strings: v.map((s) => utf8.encode(s)) }),
  /** A tensor attribute (e.g. Constant's `value`); the tensor proto gets no name. */
  tensor: (t: Tensor | TensorProto): AttrValue => ({ type: AT.TENSOR, t: 'dtype' in t ? tensorToProto('', t) : t }),
  graph: (g: GraphProto): AttrValue => ({ type: AT.GRAPH, g }),
} as const;

/** Options for `makeNode` beyond the positional essentials. */
export interface NodeOptions {
  /** Node name. Default: empty (ONNX allows it). */
  name?: string;
  /** Operator domain. Default `''` (ai.onnx). Use `com.microsoft` for ORT contrib ops. */
  domain?: string;
}

/** A NodeProto. `options` may be just the node name. Attributes keep their key order. */
export function makeNode(
  op: string,
  inputs: readonly string[],
  outputs: readonly string[],
  attrs: Record<string, AttrValue> = {},
  options: string | NodeOptions = {},
): NodeProto {
  const o = typeof options === 'string' ? { name: options } : options;
  return create(NodeProtoSchema, {
    opType: op,
    input: [...inputs],
    output: [...outputs],
    name: o.name ?? '',
    domain: o.domain ?? '',
    attribute: Object.entries(attrs).map(([name, v]) => create(AttributeProtoSchema, { ...v, name })),
  });
}

/** An initializer (weights), stored as raw_data. */
export function makeInitializer(name: string, t: Tensor): TensorProto {
  return tensorToProto(name, t);
}

/**
 * A typed graph input/output/value_info. `dims`: numbers are fixed, strings are symbolic
 * (`'batch'`), null is an unknown dim with no name.
 */
export function makeValueInfo(name: string, dtype: DType, dims: readonly Dim[]): ValueInfoProto {
  const shape = create(TensorShapeProtoSchema, {
    dim: dims.map((d) =>
      create(TensorShapeProto_DimensionSchema, {
        value: typeof d === 'number' ? { case: 'dimValue', value: BigInt(d) } : typeof d === 'string' ? { case: 'dimParam', value: d } : { case: undefined },
      }),
    ),
  });
  const tensorType = create(TypeProto_TensorSchema, { elemType: dtypeToOnnx(dtype), shape });
  return create(ValueInfoProtoSchema, {
    name,
    type: create(TypeProtoSchema, { value: { case: 'tensorType', value: tensorType } }),
  });
}

/** What a graph is made of. Used for the main graph and for subgraphs (If/Loop bodies). */
export interface GraphSpec {
  nodes: readonly NodeProto[];
  inputs: readonly ValueInfoProto[];
  outputs: readonly ValueInfoProto[];
  /** Default: none. */
  initializers?: readonly TensorProto[];
  /** Shapes of intermediate values. Default: none. */
  valueInfo?: readonly ValueInfoProto[];
  /** Default `main` (or `body` is a good name for a subgraph). */
  name?: string;
}

export function makeGraph(spec: GraphSpec): GraphProto {
  return create(GraphProtoSchema, {
    name: spec.name ?? 'main',
    node: [...spec.nodes],
    input: [...spec.inputs],
    output: [...spec.outputs],
    initializer: [...(spec.initializers ?? [])],
    valueInfo: [...(spec.valueInfo ?? [])],
  });
}

/** The IR version released with each default-domain opset (onnx/helper.py VERSION_TABLE). */
export function irVersionForOpset(opset: number): number {
  if (opset <= 8) return 3;
  if (opset === 9) return 4;
  if (opset === 10) return 5;
  if (opset === 11) return 6;
  if (opset <= 14) return 7;
  if (opset <= 18) return 8;
  if (opset <= 20) return 9;
  if (opset <= 22) return 10;
  return 11;
}

export interface ModelSpec extends GraphSpec {
  /** Default-domain (ai.onnx) opset. Default 13. */
  opset?: number;
  /** Other domains, e.g. `{ 'com.microsoft': 1 }`. Default: none. */
  extraOpsets?: Record<string, number>;
  /** Default: the IR version that matches `opset`. */
  irVersion?: number;
  /** Default `infer-parity`. */
  producer?: string;
  /** Default `0.1.0`. */
  producerVersion?: string;
  docString?: string;
}

export function makeModel(spec: ModelSpec): ModelProto {
  const opset = spec.opset ?? 13;
  const opsets = [{ domain: '', version: opset }, ...Object.entries(spec.extraOpsets ?? {}).map(([domain, version]) => ({ domain, version }))];
  return create(ModelProtoSchema, {
    irVersion: BigInt(spec.irVersion ?? irVersionForOpset(opset)),
    producerName: spec.producer ?? 'infer-parity',
    producerVersion: spec.producerVersion ?? '0.1.0',
    docString: spec.docString ?? '',
    opsetImport: opsets.map((o) => create(OperatorSetIdProtoSchema, { domain: o.domain, version: BigInt(o.version) })),
    graph: makeGraph(spec),
  });
}

/** A Constant node producing `output` from `t`. */
export function makeConstant(output: string, t: Tensor): NodeProto {
  return makeNode('Constant', [], [output], { value: attr.tensor(t) }, { name: output });
}
