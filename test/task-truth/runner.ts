/**
 * Task-truth corpus: runs an ONNX file straight on onnxruntime-node (CPU) or onnxruntime-web (wasm, in
 * Node), without the tool, so the task judges see what an application using that runtime would see.
 */
import { readFileSync } from 'node:fs';

/** The backends the corpus covers, named as the tool names them so rows line up. */
export const BACKENDS = ['ort-node/cpu', 'ort-web/wasm'] as const;
export type CorpusBackend = (typeof BACKENDS)[number];

export interface Arr {
  data: Float32Array | BigInt64Array;
  dims: readonly number[];
}
export type Feeds = Record<string, Arr>;
export type Outputs = Record<string, { data: Float32Array; dims: number[] }>;

export interface Session {
  inputNames: readonly string[];
  outputNames: readonly string[];
  run(feeds: Feeds): Promise<Outputs>;
  release(): Promise<void>;
}

type OrtLike = typeof import('onnxruntime-node');

async function ortFor(backend: CorpusBackend): Promise<{ ort: OrtLike; ep: string }> {
  if (backend === 'ort-node/cpu') return { ort: await import('onnxruntime-node'), ep: 'cpu' };
  const web = (await import('onnxruntime-web')) as unknown as OrtLike & { env: { wasm: { numThreads: number } } };
  web.env.wasm.numThreads = 1;
  return { ort: web, ep: 'wasm' };
}

/** Opens `model` (a path or the bytes) on `backend`. */
export async function openSession(model: string | Uint8Array, backend: CorpusBackend): Promise<Session> {
  const { ort, ep } = await ortFor(backend);
  const bytes = typeof model === 'string' ? new Uint8Array(readFileSync(model)) : model;
  const s = await ort.InferenceSession.create(bytes, { executionProviders: [ep], logSeverityLevel: 3 });
  return {
    inputNames: s.inputNames,
    outputNames: s.outputNames,
    async run(feeds) {
      const f: Record<string, InstanceType<OrtLike['Tensor']>> = {};
      for (const [k, v] of Object.entries(feeds)) {
        f[k] = v.data instanceof BigInt64Array ? new ort.Tensor('int64', v.data, v.dims) : new ort.Tensor('float32', v.data, v.dims);
      }
      const r = await s.run(f);
      const out: Outputs = {};
      for (const [k, t] of Object.entries(r)) out[k] = { data: Float32Array.from(t.data as Float32Array), dims: [...t.dims] };
      return out;
    },
    release: () => s.release(),
  };
}
