/**
 * Two onnxruntime-web versions side by side in one process: `ort-web/wasm` (the project's) and
 * `ort-web-1.29/wasm` (the previous minor, npm alias onnxruntime-web-prev), each recording its own
 * version, running the bundled CNN to the same outputs; an alias holding another version than the
 * id promises is refused with both versions named.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createNodeRegistry } from '../src/node/runtimes/node-registry.ts';
import { createOrtWebBackend } from '../src/kernel/runtime/ort-web.ts';
import type { Tensor } from '../src/kernel/core/tensor.ts';
import { PACKAGE_ROOT } from '../src/node/run/bundled-models.ts';

const bytes = readFileSync(join(PACKAGE_ROOT, 'models/mnist-cnn/model.onnx'));
const image: Tensor = { dtype: 'float32', dims: [2, 1, 28, 28], data: Float32Array.from({ length: 1568 }, (_, i) => ((i * 37) % 255) / 255) };

describe('runtime versions side by side', () => {
  it('runs the current and the previous onnxruntime-web minor, each with its version in id and facts', async () => {
    const registry = createNodeRegistry();
    const outs: Float32Array[] = [];
    for (const [id, version] of [
      ['ort-web/wasm', /^1\.30\./],
      ['ort-web-1.29/wasm', /^1\.29\./],
    ] as const) {
      const a = await registry.probe(id);
      expect(a.ok && a.info.version).toMatch(version);
      const s = await (await registry.get(id)).load({ format: 'onnx', name: 'mnist-cnn', bytes });
      outs.push((await s.run({ image })).probs!.data as Float32Array);
      await s.dispose();
    }
    expect(Math.max(...Array.from(outs[0]!, (v, i) => Math.abs(v - outs[1]![i]!)))).toBeLessThan(1e-6);
  });

  it('refuses an installed module whose version is not the one the id names', async () => {
    const b = await createOrtWebBackend({
      ep: 'wasm',
      id: 'ort-web-1.29/wasm',
      expectVersion: '1.28.',
      environment: 'node',
      importOrt: () => import('onnxruntime-web'),
    });
    expect(await b.probe()).toEqual({
      ok: false,
      reason: expect.stringMatching(/^ort-web-1\.29\/wasm expects onnxruntime-web 1\.28\.x but the installed module is 1\.30\./),
    });
  });
});
