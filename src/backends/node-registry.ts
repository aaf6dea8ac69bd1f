/** The registry of backends that run inside this Node process. */
import { BackendRegistry } from './registry.ts';
import { createOrtNodeBackend } from './ort-node.ts';
import { createOrtWebBackend } from './ort-web.ts';
import { createTfjsBackend } from './tfjs.ts';

const importTf = () => import('@tensorflow/tfjs');

export function createNodeRegistry(): BackendRegistry {
  return new BackendRegistry()
    .register('ort-node/cpu', ['node'], createOrtNodeBackend)
    .register('ort-web/wasm', ['node'], () => createOrtWebBackend({ ep: 'wasm', environment: 'node', importOrt: () => import('onnxruntime-web') }))
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
    );
}
