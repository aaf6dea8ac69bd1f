/**
 * A Session over a TF.js model (layers or graph format) on one named tfjs backend. tfjs keeps a
 * global active backend, so each call re-asserts ours and fails loudly if tfjs switched away.
 */
import type * as tfType from '@tensorflow/tfjs';
import { ParityError } from '../core/errors.ts';
import type { DType, Dim, TensorMap, TensorSpec } from '../core/tensor.ts';
import { addTfKernels, topOps } from '../latency/op-profile.ts';
import { capText } from '../core/cap-text.ts';
import { tfjsGraphIo, tfjsGraphInputs } from '../onnx/tfjs-graph-io.ts';
import { tfjsModelKind } from '../onnx/tfjs-model-check.ts';
import type { TfjsModelJson } from '../onnx/tfjs-quantize.ts';
import { applyFlags, type TfjsFlags } from './tfjs-flags.ts';
import { fromTf, TF_DTYPES, toTf } from './tfjs-tensors.ts';
import type { ModelSource, Session } from './types.ts';

type Tf = typeof tfType;

interface ModelJson {
  format?: string;
  modelTopology: unknown;
  weightsManifest: { paths: string[]; weights: tfType.io.WeightsManifestEntry[] }[];
}

/** Makes `backendName` tfjs's active backend with `flags` in force (see tfjs-flags.ts). */
export async function activate(tf: Tf, backendName: string, flags: TfjsFlags = {}): Promise<void> {
  applyFlags(tf, flags);
  if (tf.getBackend() !== backendName) {
    const ok = await tf.setBackend(backendName);
    if (!ok) throw new ParityError('BACKEND_UNAVAILABLE', `tfjs could not initialize its '${backendName}' backend`);
  }
  await tf.ready();
  if (tf.getBackend() !== backendName) {
    throw new ParityError('BACKEND_UNAVAILABLE', `tfjs switched to '${tf.getBackend()}' instead of '${backendName}'`);
  }
}

function toModelArtifacts(model: Extract<ModelSource, { format: 'tfjs' }>): tfType.io.ModelArtifacts {
  const json = model.modelJson as ModelJson;
  if (!json || typeof json !== 'object' || !json.modelTopology || !Array.isArray(json.weightsManifest)) {
    throw new ParityError('MODEL_INVALID', `${model.name}: not a TF.js model.json (expected modelTopology and weightsManifest)`);
  }
  const specs: tfType.io.WeightsManifestEntry[] = [];
  const buffers: Uint8Array[] = [];
  for (const group of json.weightsManifest) {
    specs.push(...group.weights);
    for (const p of group.paths) {
      const bytes = model.files[p];
      if (!bytes) throw new ParityError('FILE_NOT_FOUND', `${model.name}: weight shard '${p}' listed in model.json is missing`);
      buffers.push(bytes);
    }
  }
  const total = buffers.reduce((n, b) => n + b.byteLength, 0);
  const weightData = new Uint8Array(total);
  let offset = 0;
  for (const b of buffers) {
    weightData.set(b, offset);
    offset += b.byteLength;
  }
  return {
    modelTopology: json.modelTopology as tfType.io.ModelArtifacts['modelTopology'],
    format: json.format,
    weightSpecs: specs,
    weightData: weightData.buffer,
  } as tfType.io.ModelArtifacts;
}

/** Loads with tfjs, turning its errors (which can quote the whole topology) into one capped line. */
async function loadWith<T>(what: string, model: Extract<ModelSource, { format: 'tfjs' }>, why: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    throw new ParityError('MODEL_UNSUPPORTED', `${model.name}: tfjs could not load it as a ${what} (${why}): ${capText(msg, 240)}`);
  }
}

export async function loadTfjsSession(tf: Tf, backendName: string, model: ModelSource, flags: TfjsFlags = {}): Promise<Session> {
  if (model.format !== 'tfjs') throw new ParityError('MODEL_UNSUPPORTED', `tfjs/${backendName} loads TF.js models; '${model.name}' is ${model.format}`);
  await activate(tf, backendName, flags);
  const artifacts = toModelArtifacts(model);
  const handler = tf.io.fromMemory(artifacts);
  const json = model.modelJson as TfjsModelJson;
  const kind = tfjsModelKind(json, model.name);
  if (kind.kind === 'graph-model') {
    const g = await loadWith('graph model', model, kind.why, () => tf.loadGraphModel(handler));
    // tfjs's signature gives names and shapes; the GraphDef adds dtypes, valid ids and batching.
    const declared = new Map<string, TensorSpec>(tfjsGraphInputs(json).map((i) => [i.name, i]));
    const declaredOut = new Map<string, TensorSpec>(tfjsGraphIo(json).outputs.map((o) => [o.name, o]));
    const specOf = (i: { name: string; shape?: number[]; dtype?: string }, known: Map<string, TensorSpec>): TensorSpec => {
      const d = known.get(i.name);
      const dtype = (i.dtype && TF_DTYPES[i.dtype as DType] ? (i.dtype as DType) : undefined) ?? (d?.dtype !== 'unknown' ? d?.dtype : undefined) ?? 'float32';
      const { graphDtype: _g, ...rest } = (d ?? {}) as TensorSpec & { graphDtype?: string };
      return { ...rest, name: i.name, dtype, dims: (i.shape ?? d?.dims ?? []).map((x: Dim) => (typeof x === 'number' && x < 0 ? null : x)) };
    };
    const inputs: TensorSpec[] = g.inputs.map((i) => specOf(i, declared));
    const outputs: TensorSpec[] = g.outputs.map((o) => specOf(o, declaredOut));
    return session(
      tf,
      backendName,
      flags,
      inputs,
      outputs,
      async (feeds) => {
        const out = (await g.executeAsync(
          feeds,
          outputs.map((o) => o.name),
        )) as tfType.Tensor | tfType.Tensor[];
        return Array.isArray(out) ? out : [out];
      },
      () => g.dispose(),
    );
  }
  const m = await loadWith('layers model', model, kind.why, () => tf.loadLayersModel(handler));
  const names = layersIoNames((model.modelJson as ModelJson).modelTopology);
  const inputs: TensorSpec[] = m.inputs.map((i, k) => ({ name: names.inputs[k] ?? `input_${k}`, dtype: 'float32', dims: i.shape.map((d) => d ?? null) }));
  const outputs: TensorSpec[] = m.outputs.map((o, k) => ({ name: names.outputs[k] ?? `output_${k}`, dtype: 'float32', dims: o.shape.map((d) => d ?? null) }));
  return session(
    tf,
    backendName,
    flags,
    inputs,
    outputs,
    async (feeds) => {
      const out = m.predict(inputs.map((i) => feeds[i.name]!)) as tfType.Tensor | tfType.Tensor[];
      return Array.isArray(out) ? out : [out];
    },
    () => m.dispose(),
  );
}

/**
 * Input and output names of a layers model, read from its saved topology so they are stable
 * (the symbolic tensor names tfjs makes get `_1` suffixes when a process loads a model twice).
 * Functional models list `input_layers`/`output_layers`; a Sequential model's input is its first
 * layer's name + `_input` (or its explicit InputLayer), its output its last layer.
 */
function layersIoNames(topology: unknown): { inputs: string[]; outputs: string[] } {
  type Layer = { class_name: string; config: { name: string } };
  const t = (topology as { model_config?: unknown }).model_config ?? topology;
  const top = t as {
    class_name?: string;
    config?: { layers?: Layer[]; input_layers?: [string, number, number][]; output_layers?: [string, number, number][] };
  };
  const layers = top.config?.layers ?? [];
  if (top.class_name === 'Sequential') {
    const first = layers[0];
    const last = layers[layers.length - 1];
    return {
      inputs: first ? [first.class_name === 'InputLayer' ? first.config.name : `${first.config.name}_input`] : [],
      outputs: last ? [last.config.name] : [],
    };
  }
  return { inputs: (top.config?.input_layers ?? []).map((l) => l[0]), outputs: (top.config?.output_layers ?? []).map((l) => l[0]) };
}

function session(
  tf: Tf,
  backendName: string,
  flags: TfjsFlags,
  inputs: TensorSpec[],
  outputs: TensorSpec[],
  exec: (feeds: Record<string, tfType.Tensor>) => Promise<tfType.Tensor[]>,
  release: () => void,
): Session {
  const s: Session = {
    inputs,
    outputs,
    async profile(feeds: TensorMap, runs: number) {
      const totals = new Map<string, number>();
      for (let i = 0; i < runs; i++) {
        const info = await tf.profile(async () => {
          await s.run(feeds);
          return [];
        });
        addTfKernels(totals, info.kernels);
      }
      return topOps(totals, runs, `tf.profile on tfjs/${backendName} (kernel times)`);
    },
    memory() {
      const m = tf.memory() as { numBytes: number; numBytesInGPU?: number };
      // tfjs-backend-wasm keeps its Emscripten module on the backend: its linear memory is the wasm heap.
      const heap = (tf.backend() as { wasm?: { HEAPU8?: Uint8Array } }).wasm?.HEAPU8?.byteLength;
      return {
        tfjsBytes: m.numBytes,
        ...(m.numBytesInGPU !== undefined ? { gpuBytes: m.numBytesInGPU } : {}),
        ...(heap !== undefined ? { wasmHeapBytes: heap } : {}),
      };
    },
    async run(feeds: TensorMap) {
      await activate(tf, backendName, flags);
      const tfFeeds: Record<string, tfType.Tensor> = {};
      for (const spec of inputs) {
        const t = feeds[spec.name];
        if (!t) throw new ParityError('INPUT_DATA', `missing input '${spec.name}'; the model expects ${inputs.map((i) => `'${i.name}'`).join(', ')}`);
        tfFeeds[spec.name] = toTf(tf, spec, t);
      }
      try {
        const results = await exec(tfFeeds);
        const out: TensorMap = {};
        for (let k = 0; k < results.length; k++) out[outputs[k]!.name] = await fromTf(results[k]!);
        tf.dispose(results);
        return out;
      } finally {
        tf.dispose(Object.values(tfFeeds));
      }
    },
    async dispose() {
      release();
    },
  };
  return s;
}
