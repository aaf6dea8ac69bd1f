/** The registry of backends that run inside this Node process. */
import { BackendRegistry } from '../../kernel/runtime/registry.ts';
import { createOrtNodeBackend } from './ort-node.ts';
import { createOrtWebBackend } from '../../kernel/runtime/ort-web.ts';
import { createTfjsBackend } from '../../kernel/runtime/tfjs.ts';

const importTf = () => import('@tensorflow/tfjs');
const importOrtPrev = () =>
  // @ts-expect-error -- the alias's types.d.ts declares module 'onnxruntime-web', not 'onnxruntime-web-prev'
  import('onnxruntime-web-prev') as Promise<typeof import('onnxruntime-web')>;

export function createNodeRegistry(): BackendRegistry {
  return (
    new BackendRegistry()
      .register('ort-node/cpu', ['node'], createOrtNodeBackend)
      .register('ort-web/wasm', ['node'], () => createOrtWebBackend({ ep: 'wasm', environment: 'node', importOrt: () => import('onnxruntime-web') }))
      // The previous onnxruntime-web minor, installed as the npm alias onnxruntime-web-prev.
      .register('ort-web-1.29/wasm', ['node'], () =>
        createOrtWebBackend({ ep: 'wasm', id: 'ort-web-1.29/wasm', expectVersion: '1.29.', environment: 'node', importOrt: importOrtPrev }),
      )
      .register('tfjs/cpu', ['node'], () => createTfjsBackend({ name: 'cpu', environment: 'node', importTf }))
      .register('tfjs/wasm', ['node'], () =>
        createTfjsBackend({
          name: 'wasm',
          environment: 'node',
          importTf,
          setup: async () => {
            await import('@tensorflow/tfjs-backend-wasm');
          },
          facts: async (tf) => ({ simd: tf.env().getBool('WASM_HAS_SIMD_SUPPORT'), threads: tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT') ? 'multi' : 1 }),
        }),
      )
  );
}
