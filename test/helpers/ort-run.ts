/** One inference straight on an onnxruntime build (node or web), returning the first output. */
import type * as ortNode from 'onnxruntime-node';

export type Ort = typeof ortNode;

export async function runFirstOutput(
  ort: Ort,
  ep: 'cpu' | 'wasm',
  bytes: Uint8Array,
  feeds: Record<string, { data: Float32Array; dims: readonly number[] }>,
): Promise<Float32Array> {
  const s = await ort.InferenceSession.create(bytes, { executionProviders: [ep], logSeverityLevel: 3 });
  const f = Object.fromEntries(Object.entries(feeds).map(([k, v]) => [k, new ort.Tensor('float32', v.data, v.dims)]));
  const out = Object.values(await s.run(f))[0]!;
  await s.release();
  return out.data as Float32Array;
}
