/**
 * The page's pure pieces: its URL configuration (range included, round trip through a copied
 * link), and the yield between warm runs, which `measureWarm` keeps out of every timing.
 */
import { describe, expect, it } from 'vitest';
import { parseUrlConfig, urlFor } from '../harness/ui/url-config.ts';
import { createYielder } from '../harness/yielding-registry.ts';
import { measureWarm } from '../src/kernel/latency/warm.ts';

describe('page URL configuration', () => {
  it('round-trips shapes, values and ranges through a copied link', () => {
    const link = urlFor('http://127.0.0.1:5199/', {
      model: 'mnist-cnn',
      backends: ['ort-web/wasm'],
      variants: ['fp32', 'int8-weight'],
      shape: ['audio=1,16000'],
      value: ['sr=16000'],
      range: ['x=-1,1'],
      samples: 8,
    });
    const back = parseUrlConfig(new URL(link).search);
    expect(back).toMatchObject({
      model: 'mnist-cnn',
      backends: ['ort-web/wasm'],
      variants: ['fp32', 'int8-weight'],
      shape: ['audio=1,16000'],
      value: ['sr=16000'],
      range: ['x=-1,1'],
      samples: 8,
      run: false,
      problems: [],
    });
  });

  it('names an unknown parameter with a suggestion', () => {
    expect(parseUrlConfig('?rnge=x=0,1').problems[0]).toMatch(/unknown URL parameter 'rnge' — did you mean 'range'\?/);
  });
});

describe('yielding between warm runs', () => {
  it('keeps the yield out of every run time', async () => {
    let t = 0;
    let yields = 0;
    const out = await measureWarm(
      async () => void (t += 2),
      { minIterations: 12, maxIterations: 12, budgetMs: 1e9 },
      () => t,
      async () => {
        yields++;
        t += 50;
      },
    );
    expect(out.runMs).toEqual(Array(12).fill(2));
    expect(yields).toBe(12);
  });

  it('yields only once a slice has passed', async () => {
    let t = 0;
    let yields = 0;
    const yielder = createYielder(
      20,
      () => t,
      async () => void yields++,
    );
    for (let i = 0; i < 100; i++) {
      t += 1;
      await yielder();
    }
    // 100 ms of 1 ms runs with a 20 ms slice.
    expect(yields).toBe(5);
  });
});
