/**
 * `parity inspect` for a TF.js model.json (layers or graph format): inputs and outputs with their
 * shapes, an op histogram (layer classes for a layers model, node ops for a graph model), and the
 * weights by stored dtype with their sizes (quantized weights count under their stored dtype).
 * Pure and browser-safe: it reads the parsed model.json (see read-tfjs.ts for the checked read).
 */
import type { Dim, TensorSpec } from '../core/tensor.ts';
import type { TfjsModelJson, TfjsWeightSpec } from './tfjs-quantize.ts';
import { tfjsGraphInputs, tfjsGraphIo, type TfjsGraphTensor } from './tfjs-graph-io.ts';
import { tfjsModelKind } from './tfjs-model-check.ts';

const ELEMENT_BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2, complex64: 8, string: 0 };

/** What {@link inspectTfjsModel} reports. */
export interface TfjsInspectResult {
  name: string;
  /** `layers-model` or `graph-model`, decided by content (see `tfjsModelKind`). */
  format: 'layers-model' | 'graph-model';
  /** Why that kind, e.g. "modelTopology.node lists 63 graph nodes (model.json has no 'format' field)". */
  formatWhy: string;
  generatedBy: string;
  convertedBy: string;
  /** Graph inputs carry the GraphDef's dtype (`graphDtype`), valid ids and batching (tfjs-graph-io.ts). */
  inputs: TfjsGraphTensor[];
  outputs: TfjsGraphTensor[];
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
type GraphNode = { name: string; op: string };

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

function graphSignature(top: Topology, json: TfjsModelJson): { inputs: TfjsGraphTensor[]; outputs: TfjsGraphTensor[]; ops: Record<string, number> } {
  const ops: Record<string, number> = {};
  for (const n of top.node ?? []) ops[n.op] = (ops[n.op] ?? 0) + 1;
  return { inputs: tfjsGraphInputs(json), outputs: tfjsGraphIo(json).outputs, ops };
}

/** Summarises a parsed model.json. */
export function inspectTfjsModel(json: TfjsModelJson, name = 'model.json'): TfjsInspectResult {
  const kind = tfjsModelKind(json, name);
  const format = kind.kind;
  const top = (json.modelTopology ?? {}) as Topology;
  const sig = format === 'graph-model' ? graphSignature(top, json) : layersSignature(top);
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
    formatWhy: kind.why,
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
  lines.push(`  ${r.format}: ${r.formatWhy}`);
  const io = (t: TfjsGraphTensor) => {
    const notes = [
      t.graphDtype && `${t.graphDtype} in the graph`,
      t.valid?.range && `ids ${t.valid.range[0]}..${t.valid.range[1]}: ${t.valid.why}`,
      t.valid?.coordinates && t.valid.why,
      t.notBatched && 'not batched along axis 0 (one sample per JSONL line or file)',
    ].filter(Boolean);
    return `  ${t.name}  ${t.dtype} ${shape(t.dims)}${notes.length ? `  (${notes.join('; ')})` : ''}`;
  };
  lines.push('inputs:', ...r.inputs.map(io));
  lines.push('outputs:', ...r.outputs.map(io));
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
