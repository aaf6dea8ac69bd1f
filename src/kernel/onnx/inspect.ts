/**
 * `parity inspect`: a model's signature and makeup at a glance (browser-safe).
 */
import { AttributeProto_AttributeType as AT, TensorProto_DataLocation, type AttributeProto, type ValueInfoProto } from 'onnx-buf';
import { fmtBytes } from '../core/format-bytes.ts';
import type { Dim, TensorSpec } from '../core/tensor.ts';
import { decodeModel, forEachGraph } from './io.ts';
import { onnxToDtype, onnxTypeName, protoElementCount } from './tensor-proto.ts';

/** What `inspectModel` reports. */
export interface InspectResult {
  /** File name it was given. */
  name: string;
  irVersion: number;
  /** Operator sets imported; `domain` is `''` for the default ai.onnx domain. */
  opsets: { domain: string; version: number }[];
  /** `producer_name producer_version`, or `''` when the model does not say. */
  producer: string;
  /** Graph inputs that are fed at run time (initializers listed as inputs are left out). */
  inputs: TensorSpec[];
  outputs: TensorSpec[];
  /** Element type names for inputs/outputs whose dtype the tool does not carry (`dtype: 'unknown'`). */
  unknownTypes: Record<string, string>;
  /** Op type → node count, subgraphs (If/Loop/Scan bodies) included. Non-default domains as `domain::Op`. */
  opHistogram: Record<string, number>;
  /** Nodes in the graph and all its subgraphs. */
  nodeCount: number;
  /** Initializers in the graph and all its subgraphs. */
  initializerCount: number;
  /** Elements in initializers plus Constant-node tensors. */
  parameterCount: number;
  /** Tensors whose data lives in external files. */
  externalTensors: number;
  /** Size of the model file in bytes. */
  bytes: number;
}

function specOf(v: ValueInfoProto, unknown: Record<string, string>): TensorSpec {
  const t = v.type?.value.case === 'tensorType' ? v.type.value.value : undefined;
  if (!t) {
    unknown[v.name] = v.type?.value.case ?? 'untyped';
    return { name: v.name, dtype: 'unknown', dims: [] };
  }
  const dtype = onnxToDtype(t.elemType);
  if (!dtype) unknown[v.name] = onnxTypeName(t.elemType);
  const dims: Dim[] = (t.shape?.dim ?? []).map((d) =>
    d.value.case === 'dimValue' ? Number(d.value.value) : d.value.case === 'dimParam' ? d.value.value : null,
  );
  return { name: v.name, dtype: dtype ?? 'unknown', dims };
}

/** Elements held by a Constant node's value attribute (value, value_float(s), value_int(s)). */
function constantElements(a: AttributeProto): number {
  switch (a.type) {
    case AT.TENSOR:
      return a.t ? protoElementCount(a.t) : 0;
    case AT.FLOAT:
    case AT.INT:
      return 1;
    case AT.FLOATS:
      return a.floats.length;
    case AT.INTS:
      return a.ints.length;
    default:
      return 0;
  }
}

/**
 * Decodes and summarises an ONNX model.
 * @throws ParityError `MODEL_INVALID` when the bytes are not an ONNX model.
 */
export function inspectModel(bytes: Uint8Array, name = 'model.onnx'): InspectResult {
  const model = decodeModel(bytes, name);
  const graph = model.graph!;
  const unknownTypes: Record<string, string> = {};
  const initNames = new Set(graph.initializer.map((t) => t.name));
  const histogram: Record<string, number> = {};
  let nodeCount = 0,
    initializerCount = 0,
    parameterCount = 0,
    externalTensors = 0;
  forEachGraph(graph, (g) => {
    for (const t of g.initializer) {
      initializerCount++;
      parameterCount += protoElementCount(t);
      if (t.dataLocation === TensorProto_DataLocation.EXTERNAL) externalTensors++;
    }
    for (const n of g.node) {
      nodeCount++;
      const domain = n.domain === 'ai.onnx' ? '' : n.domain;
      const key = domain ? `${domain}::${n.opType}` : n.opType;
      histogram[key] = (histogram[key] ?? 0) + 1;
      if (n.opType === 'Constant' && domain === '') {
        for (const a of n.attribute) parameterCount += constantElements(a);
      }
      for (const a of n.attribute) {
        if (a.t?.dataLocation === TensorProto_DataLocation.EXTERNAL) externalTensors++;
      }
    }
  });
  const producer = [model.producerName, model.producerVersion].filter(Boolean).join(' ');
  return {
    name,
    irVersion: Number(model.irVersion),
    opsets: model.opsetImport.map((o) => ({ domain: o.domain, version: Number(o.version) })),
    producer,
    inputs: graph.input.filter((v) => !initNames.has(v.name)).map((v) => specOf(v, unknownTypes)),
    outputs: graph.output.map((v) => specOf(v, unknownTypes)),
    unknownTypes,
    opHistogram: Object.fromEntries(Object.entries(histogram).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))),
    nodeCount,
    initializerCount,
    parameterCount,
    externalTensors,
    bytes: bytes.length,
  };
}

function formatSpec(s: TensorSpec, unknown: Record<string, string>): string {
  const dims = s.dims.map((d) => (d === null ? '?' : String(d))).join(', ');
  const dtype = s.dtype === 'unknown' ? (unknown[s.name] ?? 'unknown') : s.dtype;
  return `  ${s.name}  ${dtype} [${dims}]`;
}

/** Human-readable summary for the terminal. */
export function formatInspect(r: InspectResult): string {
  const opsets = r.opsets.map((o) => `${o.domain || 'ai.onnx'} ${o.version}`).join(', ');
  const lines = [
    `${r.name}  (${fmtBytes(r.bytes)})`,
    `  IR ${r.irVersion}; opsets: ${opsets}; producer: ${r.producer || '(not recorded)'}`,
    `  ${r.nodeCount} nodes, ${r.initializerCount} initializers, ${r.parameterCount.toLocaleString('en-US')} parameters` +
      (r.externalTensors ? `, ${r.externalTensors} tensors in external data` : ''),
    'inputs:',
    ...r.inputs.map((s) => formatSpec(s, r.unknownTypes)),
    'outputs:',
    ...r.outputs.map((s) => formatSpec(s, r.unknownTypes)),
    'ops:',
  ];
  const ops = Object.entries(r.opHistogram);
  const width = Math.max(0, ...ops.map(([op]) => op.length));
  for (const [op, count] of ops) lines.push(`  ${op.padEnd(width)}  ${count}`);
  return lines.join('\n');
}
