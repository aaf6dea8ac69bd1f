/**
 * `parity inspect` for a TF.js model.json (layers or graph format): inputs and outputs with their
 * shapes, an op histogram (layer classes for a layers model, node ops for a graph model), and the
 * weights by stored dtype with their sizes (quantized weights count under their stored dtype).
 * Pure and browser-safe: it reads the parsed model.json (see read-tfjs.ts for the checked read).
 */
import type { Dim, TensorSpec } from '../core/tensor.ts';
import type { TfjsModelJson, TfjsWeightSpec } from './tfjs-quantize.ts';

const ELEMENT_BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2, complex64: 8, string: 0 };

/** What {@link inspectTfjsModel} reports. */
export interface TfjsInspectResult {
  name: string;
  /** `layers-model` or `graph-model` (model.json's `format`; layers when it does not say). */
  format: 'layers-model' | 'graph-model';
  generatedBy: string;
  convertedBy: string;
  inputs: TensorSpec[];
  outputs: TensorSpec[];
  /** Layer class (layers model) or node op (graph model) → count. */
  opHistogram: Record<string, number>;
  /** Stored dtype (a quantized weight's `quantization.dtype`) → weights, elements and bytes. */
  weightDtypes: Record<string, { count: number; elements: number; bytes: number }>;
  /** Every weight: name, shape, stored dtype and bytes. */
  weights: { name: string; shape: number[]; dtype: string; bytes: number }[];
  weightBytes: number;
}

type Layer = { class_name?: string; name?: string; config?: { name?: string; batch_input_shape?: (number | null)[]; layers?: Layer[] } };
type Topology = {
  class_name?: string;
  config?: { layers?: Layer[]; input_layers?: [string, number, number][]; output_layers?: [string, number, number][] };
  model_config?: Topology;
  node?: GraphNode[];
};
type GraphNode = {
  name: string;
  op: string;
  input?: string[];
  attr?: { shape?: { shape?: { dim?: { size?: string | number }[] } }; dtype?: { type?: string } };
};

const dims = (shape: readonly (number | null)[] | undefined): Dim[] => (shape ?? []).map((d) => (d === null || d < 0 ? null : d));

function layersSignature(top: Topology): { inputs: TensorSpec[]; outputs: TensorSpec[]; ops: Record<string, number> } {
  const t = top.model_config ?? top;
  const layers = t.config?.layers ?? [];
  const ops: Record<string, number> = {};
  for (const l of layers) ops[l.class_name ?? '?'] = (ops[l.class_name ?? '?'] ?? 0) + 1;
  const byName = new Map(layers.map((l) => [l.config?.name ?? l.name ?? '', l]));
  if (t.class_name === 'Sequential') {
    const first = layers[0];
    const last = layers[layers.length - 1];
    const inName = first ? (first.class_name === 'InputLayer' ? (first.config?.name ?? '') : `${first.config?.name ?? ''}_input`) : '';
    return {
      inputs: first ? [{ name: inName, dtype: 'float32', dims: dims(first.config?.batch_input_shape) }] : [],
      outputs: last ? [{ name: last.config?.name ?? '', dtype: 'float32', dims: [] }] : [],
      ops,
    };
  }
  return {
    inputs: (t.config?.input_layers ?? []).map(([n]) => ({ name: n, dtype: 'float32', dims: dims(byName.get(n)?.config?.batch_input_shape) })),
    outputs: (t.config?.output_layers ?? []).map(([n]) => ({ name: n, dtype: 'float32', dims: [] })),
    ops,
  };
}

function graphSignature(top: Topology, signature: unknown): { inputs: TensorSpec[]; outputs: TensorSpec[]; ops: Record<string, number> } {
  const nodes = top.node ?? [];
  const ops: Record<string, number> = {};
  for (const n of nodes) ops[n.op] = (ops[n.op] ?? 0) + 1;
  const inputs = nodes
    .filter((n) => n.op === 'Placeholder')
    .map((n) => ({ name: n.name, dtype: 'float32' as const, dims: dims((n.attr?.shape?.shape?.dim ?? []).map((d) => Number(d.size ?? -1))) }));
  const sigOut = (signature as { outputs?: Record<string, { name?: string }> } | undefined)?.outputs;
  let outputs: TensorSpec[];
  if (sigOut) outputs = Object.values(sigOut).map((o) => ({ name: (o.name ?? '').replace(/:0$/, ''), dtype: 'float32', dims: [] }));
  else {
    const read = new Set(nodes.flatMap((n) => (n.input ?? []).map((i) => i.replace(/^\^/, '').split(':')[0]!)));
    outputs = nodes.filter((n) => !read.has(n.name) && n.op !== 'Const' && n.op !== 'NoOp').map((n) => ({ name: n.name, dtype: 'float32', dims: [] }));
  }
  return { inputs, outputs, ops };
}

/** Summarises a parsed model.json. */
export function inspectTfjsModel(json: TfjsModelJson, name = 'model.json'): TfjsInspectResult {
  const format = json.format === 'graph-model' ? 'graph-model' : 'layers-model';
  const top = (json.modelTopology ?? {}) as Topology;
  const sig = format === 'graph-model' ? graphSignature(top, json.signature) : layersSignature(top);
  const weights: TfjsInspectResult['weights'] = [];
  const weightDtypes: TfjsInspectResult['weightDtypes'] = {};
  for (const w of json.weightsManifest.flatMap((g) => g.weights) as TfjsWeightSpec[]) {
    const dtype = w.quantization?.dtype ?? w.dtype;
    const elements = w.shape.reduce((a, b) => a * b, 1);
    const bytes = elements * (ELEMENT_BYTES[dtype] ?? 4);
    weights.push({ name: w.name, shape: [...w.shape], dtype, bytes });
    const d = (weightDtypes[dtype] ??= { count: 0, elements: 0, bytes: 0 });
    d.count++;
    d.elements += elements;
    d.bytes += bytes;
  }
  return {
    name,
    format,
    generatedBy: String(json.generatedBy ?? ''),
    convertedBy: String(json.convertedBy ?? ''),
    inputs: sig.inputs,
    outputs: sig.outputs,
    opHistogram: sig.ops,
    weightDtypes,
    weights,
    weightBytes: weights.reduce((n, w) => n + w.bytes, 0),
  };
}

const shape = (d: readonly Dim[]) => (d.length ? `[${d.map((x) => x ?? '?').join(', ')}]` : '[?]');

/** The text `parity inspect` prints for a TF.js model. */
export function formatTfjsInspect(r: TfjsInspectResult): string {
  const lines = [`${r.name}  (TF.js ${r.format}, weights ${(r.weightBytes / 1024).toFixed(1)} KB)`];
  const made = [r.generatedBy && `generated by ${r.generatedBy}`, r.convertedBy && `converted by ${r.convertedBy}`].filter(Boolean);
  if (made.length) lines.push(`  ${made.join('; ')}`);
  lines.push('inputs:', ...r.inputs.map((i) => `  ${i.name}  ${i.dtype} ${shape(i.dims)}`));
  lines.push('outputs:', ...r.outputs.map((o) => `  ${o.name}  ${o.dtype} ${shape(o.dims)}`));
  const ops = Object.entries(r.opHistogram).sort((a, b) => b[1] - a[1]);
  const w = Math.max(0, ...ops.map(([k]) => k.length));
  lines.push(r.format === 'graph-model' ? 'ops:' : 'layers:', ...ops.map(([k, n]) => `  ${k.padEnd(w)}  ${n}`));
  lines.push(
    'weights:',
    ...Object.entries(r.weightDtypes).map(
      ([d, s]) => `  ${d.padEnd(8)} ${s.count} tensors, ${s.elements.toLocaleString('en-US')} elements, ${(s.bytes / 1024).toFixed(1)} KB`,
    ),
  );
  return lines.join('\n');
}
