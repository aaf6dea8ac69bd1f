/**
 * The reference model is loaded once per run (issue 19): the session that gives the input
 * signature is the one the reference target runs on. Counted on the real ort-node/cpu backend,
 * whose `load` is wrapped to count calls (it still loads and runs).
 */
import { describe, expect, it } from 'vitest';
import { runParity } from '../src/node/api/run-parity.ts';
import { createNodeRegistry } from '../src/node/runtimes/node-registry.ts';

describe('the reference is loaded once', () => {
  it('mnist-cnn fp32 on ort-node/cpu: one load, and the reference runs and passes', async () => {
    const registry = createNodeRegistry();
    const backend = await registry.get('ort-node/cpu');
    const load = backend.load.bind(backend);
    let loads = 0;
    backend.load = (model, options) => {
      loads++;
      return load(model, options);
    };
    const { report } = await runParity(
      {
        models: ['models/mnist-cnn/parity-model.json'],
        variants: ['fp32'],
        backends: ['ort-node/cpu'],
        samples: 4,
        latency: { minIterations: 2, maxIterations: 2, budgetMs: 1, ciHalfWidth: 1 },
      },
      { registry, write: false },
    );
    expect(report.targets.map((t) => [t.id, t.status])).toEqual([['mnist-cnn:fp32@ort-node/cpu', 'passed']]);
    expect(report.targets[0]!.latency?.loadMs).toBeGreaterThan(0);
    expect(loads).toBe(1);
  }, 60_000);
});
