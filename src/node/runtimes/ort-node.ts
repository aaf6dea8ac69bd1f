/** `ort-node/cpu`: onnxruntime-node with the CPU execution provider. */
import { ParityError } from '../../kernel/core/errors.ts';
import { OrtSession, ortSessionOptions } from '../../kernel/runtime/ort-session.ts';
import { withStaticPlacement } from '../../kernel/runtime/ort-placement.ts';
import type { TensorMap } from '../../kernel/core/tensor.ts';
import { profileOrtNode, profilePrefix } from './ort-node-profile.ts';
import type { Backend, ModelSource } from '../../kernel/runtime/types.ts';

export async function createOrtNodeBackend(): Promise<Backend> {
  const ort = await import('onnxruntime-node');
  return {
    id: 'ort-node/cpu',
    formats: ['onnx'],
    environments: ['node'],
    async probe() {
      return {
        ok: true,
        info: {
          library: 'onnxruntime-node',
          version: ort.env.versions.node ?? 'unknown',
          // ORT's default intra-op pool is one thread per physical core.
          threads: (await import('node:os')).availableParallelism(),
          graphOptimizationLevel: 'all',
        },
      };
    },
    async load(model: ModelSource, options) {
      if (model.format !== 'onnx') throw new ParityError('MODEL_UNSUPPORTED', `ort-node/cpu loads ONNX models; '${model.name}' is ${model.format}`);
      const prefix = options?.profile ? profilePrefix() : undefined;
      const session = await ort.InferenceSession.create(model.bytes, {
        ...ortSessionOptions(options, ['cpu']),
        ...(prefix ? { enableProfiling: true, profileFilePrefix: prefix } : {}),
      });
      const s = new OrtSession(session, ort.Tensor);
      // One EP (cpu) in the session: every node runs there by construction.
      if (!prefix) return withStaticPlacement(s, 'cpu', { source: 'single-ep', ep: 'CPUExecutionProvider' });
      return Object.assign(s, { profile: (feeds: TensorMap, runs: number) => profileOrtNode(s, session, prefix, feeds, runs) });
    },
  };
}
