/**
 * The signature of a TF.js graph model read from its GraphDef (`modelTopology.node`), with the
 * dtypes the graph declares as tfjs loads them (int64 and the narrower ints become int32, half and
 * double float32; strings are not tensors this tool moves), and what the graph says about the
 * values an integer input may hold: an id into a Gather'd table (valid range 0..rows−1), or the
 * coordinates of a sparse tensor (SparseToDense, ScatterNd, GatherNd), which no random synthesis
 * can make. Pure and browser-safe; inspect, the tfjs session and synthesis read it.
 */
import type { DType, Dim, TensorSpec } from '../core/tensor.ts';
import type { TfjsModelJson, TfjsWeightSpec } from './tfjs-quantize.ts';

type GraphNode = { name: string; op: string; input?: string[]; attr?: Record<string, { type?: string; shape?: { dim?: { size?: string | number }[] } }> };

/** A graph dtype (`DT_INT64`) as tfjs holds it, and the graph's own name for the note. */
const TF_DTYPES: Record<string, DType | 'unknown'> = {
  DT_FLOAT: 'float32',
  DT_HALF: 'float32',
  DT_DOUBLE: 'float32',
  DT_BFLOAT16: 'float32',
  DT_INT64: 'int32',
  DT_INT32: 'int32',
  DT_INT16: 'int32',
  DT_INT8: 'int32',
  DT_UINT8: 'int32',
  DT_UINT16: 'int32',
  DT_BOOL: 'bool',
};

/** A graph input or output with the dtype the graph declares (`graphDtype`, e.g. `int64`). */
export interface TfjsGraphTensor extends TensorSpec {
  /** The GraphDef's dtype in TF's lower-case spelling (`int64`), when it differs from `dtype`. */
  graphDtype?: string;
}

/** What the graph says about an integer input's values. */
export interface TfjsInputValues {
  input: string;
  /** Ids into a table: every value must lie in [lo, hi]. */
  range?: [number, number];
  /** Sparse coordinates: synthesis cannot make valid ones; says which node reads them ("read by SparseToDense 'x'"). */
  coordinates?: string;
  /** Evidence, e.g. "GatherV2 'Encoder/lookup' indexes 'Encoder/embeddings' [1500,32] along axis 0". */
  why: string;
}

const PASS_THROUGH = new Set(['Identity', 'Cast', 'Reshape', 'ExpandDims', 'Squeeze', 'StopGradient', 'Snapshot']);
const COORDINATE_USES: Record<string, number> = {
  SparseToDense: 0,
  ScatterNd: 0,
  GatherNd: 1,
  TensorScatterUpdate: 1,
  SparseReshape: 0,
  SparseFillEmptyRows: 0,
};
const GATHERS = new Set(['GatherV2', 'Gather', 'ResourceGather']);

const base = (ref: string) => ref.replace(/^\^/, '').split(':')[0]!;
const lower = (t: string | undefined) => (t ?? 'DT_?').replace(/^DT_/, '').toLowerCase();

function dtypeOf(t: string | undefined): { dtype: DType | 'unknown'; graphDtype?: string } {
  if (t === undefined) return { dtype: 'float32' }; // no dtype attr: tfjs takes float32
  const dtype = (t && TF_DTYPES[t]) || 'unknown';
  const g = lower(t);
  return dtype === g || (g === 'float' && dtype === 'float32') ? { dtype } : { dtype, graphDtype: g };
}

const dimsOf = (n: GraphNode): Dim[] => (n.attr?.shape?.shape?.dim ?? []).map((d) => Number(d.size ?? -1)).map((d) => (d < 0 ? null : d));

/** Inputs (Placeholders) and outputs (the signature's, else nodes nobody reads) of a graph model. */
export function tfjsGraphIo(json: TfjsModelJson): { inputs: TfjsGraphTensor[]; outputs: TfjsGraphTensor[] } {
  const nodes = ((json.modelTopology as { node?: GraphNode[] } | undefined)?.node ?? []) as GraphNode[];
  const inputs = nodes.filter((n) => n.op === 'Placeholder').map((n) => ({ name: n.name, ...dtypeOf(n.attr?.dtype?.type), dims: dimsOf(n) }));
  const sig = (json.signature as { outputs?: Record<string, { name?: string; dtype?: string }> } | undefined)?.outputs;
  if (sig) {
    const outputs = Object.values(sig).map((o) => ({ name: (o.name ?? '').replace(/:0$/, ''), ...dtypeOf(o.dtype), dims: [] as Dim[] }));
    return { inputs, outputs };
  }
  const read = new Set(nodes.flatMap((n) => (n.input ?? []).map(base)));
  const outputs = nodes
    .filter((n) => !read.has(n.name) && n.op !== 'Const' && n.op !== 'NoOp' && n.op !== 'Placeholder')
    .map((n) => ({ name: n.name, ...dtypeOf(n.attr?.T?.type ?? n.attr?.dtype?.type ?? n.attr?.DstT?.type), dims: [] as Dim[] }));
  return { inputs, outputs };
}

/**
 * What each integer input of a graph model may hold, traced through pass-through ops (Identity,
 * Cast, Reshape, ...) to the nodes that read it. An input that is both an id and a coordinate is
 * reported as coordinates (the stricter). Inputs the graph says nothing about are left out.
 */
function tfjsInputValues(json: TfjsModelJson): TfjsInputValues[] {
  const nodes = ((json.modelTopology as { node?: GraphNode[] } | undefined)?.node ?? []) as GraphNode[];
  const readers = new Map<string, { node: GraphNode; slot: number }[]>();
  for (const n of nodes) (n.input ?? []).forEach((ref, slot) => readers.get(base(ref))?.push({ node: n, slot }) ?? readers.set(base(ref), [{ node: n, slot }]));
  const weights = new Map<string, TfjsWeightSpec>(json.weightsManifest.flatMap((g) => g.weights).map((w) => [w.name, w]));
  const out: TfjsInputValues[] = [];
  for (const p of nodes.filter((n) => n.op === 'Placeholder')) {
    if (dtypeOf(p.attr?.dtype?.type).dtype !== 'int32') continue;
    let range: [number, number] | undefined;
    let why = '';
    let coordinates: string | undefined;
    const seen = new Set<string>();
    const walk = (name: string) => {
      if (seen.has(name)) return;
      seen.add(name);
      for (const { node, slot } of readers.get(name) ?? []) {
        if (PASS_THROUGH.has(node.op) && slot === 0) walk(node.name);
        else if (COORDINATE_USES[node.op] === slot) coordinates ??= `read by ${node.op} '${node.name}'`;
        else if (GATHERS.has(node.op) && slot === 1) {
          const table = weights.get(base(node.input?.[0] ?? ''));
          const rows = table?.shape[0];
          if (table && rows !== undefined && rows > 0 && (!range || rows - 1 < range[1])) {
            range = [0, rows - 1];
            why = `${node.op} '${node.name}' indexes '${table.name}' [${table.shape.join(',')}] along axis 0`;
          }
        }
      }
    };
    walk(p.name);
    if (coordinates) out.push({ input: p.name, coordinates, why: `sparse coordinates, ${coordinates}` });
    else if (range) out.push({ input: p.name, range, why });
  }
  return out;
}

/**
 * The graph's inputs with everything the graph says about them: dtype (as tfjs holds it), valid
 * values, and — when an input is read as sparse coordinates — every input whose axis 0 is free
 * marked not batched: the sample is one sparse tensor whose axis 0 counts its entries.
 */
export function tfjsGraphInputs(json: TfjsModelJson): TfjsGraphTensor[] {
  const values = new Map(tfjsInputValues(json).map((v) => [v.input, v]));
  const sparse = [...values.values()].find((v) => v.coordinates);
  return tfjsGraphIo(json).inputs.map((spec) => {
    const v = values.get(spec.name);
    const free = spec.dims.length > 0 && typeof spec.dims[0] !== 'number';
    return {
      ...spec,
      ...(v ? { valid: { ...(v.range ? { range: v.range } : {}), ...(v.coordinates ? { coordinates: v.coordinates } : {}), why: v.why } } : {}),
      ...(sparse && free ? { notBatched: `axis 0 counts the entries of a sparse tensor ('${sparse.input}' is ${sparse.why}), not samples` } : {}),
    };
  });
}
