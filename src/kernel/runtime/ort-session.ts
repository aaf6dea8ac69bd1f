/** A Session over any onnxruntime InferenceSession (node or web builds share this API). */
import type { InferenceSession, Tensor as OrtTensor } from 'onnxruntime-web';
import type { TensorMap, TensorSpec } from '../core/tensor.ts';
import type { LoadOptions, Session } from './types.ts';
import { feedsToOrt, fromOrt, specsOf } from './ort-tensors.ts';

type OrtTensorCtor = new (type: OrtTensor.Type, data: OrtTensor.DataType, dims: readonly number[]) => OrtTensor;

export class OrtSession implements Session {
  readonly inputs: readonly TensorSpec[];
  readonly outputs: readonly TensorSpec[];

  constructor(
    private readonly session: InferenceSession,
    private readonly TensorCtor: OrtTensorCtor,
  ) {
    this.inputs = metadata(session, 'inputMetadata', session.inputNames);
    this.outputs = metadata(session, 'outputMetadata', session.outputNames);
  }

  /** ORT tensors of the last feeds seen: warm runs repeat one feeds object, so wrap it once. */
  private cached: { feeds: TensorMap; ort: Record<string, OrtTensor> } | undefined;

  async run(feeds: TensorMap): Promise<TensorMap> {
    if (this.cached?.feeds !== feeds) this.cached = { feeds, ort: feedsToOrt(this.TensorCtor, feeds) };
    const results = await this.session.run(this.cached.ort);
    const out: TensorMap = {};
    for (const name in results) {
      const t = results[name]!;
      out[name] = fromOrt(name, t);
      t.dispose();
    }
    return out;
  }

  async dispose(): Promise<void> {
    await this.session.release();
  }
}

/**
 * Signature from the session's metadata. ORT's WebGL EP throws "Getting model metadata is not
 * supported in webgl backend"; then only the names are known (dtype 'unknown', no dims), and the
 * target can still run on feeds made from the reference's signature.
 */
function metadata(session: InferenceSession, key: 'inputMetadata' | 'outputMetadata', names: readonly string[]): TensorSpec[] {
  try {
    return specsOf(session[key]);
  } catch {
    return names.map((name) => ({ name, dtype: 'unknown', dims: [] }));
  }
}

/** Session options common to every ORT backend; the optimization level is recorded with each target. */
export function ortSessionOptions(options: LoadOptions | undefined, executionProviders: string[]): InferenceSession.SessionOptions {
  return {
    executionProviders,
    graphOptimizationLevel: options?.graphOptimizationLevel ?? 'all',
    ...(options?.threads ? { intraOpNumThreads: options.threads } : {}),
  };
}
