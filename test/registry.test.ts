import { describe, expect, it } from 'vitest';
import { BackendRegistry } from '../src/kernel/runtime/registry.ts';
import type { Backend } from '../src/kernel/runtime/types.ts';
import { ParityError } from '../src/kernel/core/errors.ts';

const fake = (ok: boolean): Backend => ({
  id: 'tfjs/cpu',
  formats: ['tfjs'],
  environments: ['node'],
  probe: async () => (ok ? { ok: true, info: { library: 'fake', version: '0' } } : { ok: false, reason: 'no device' }),
  load: async () => {
    throw new Error('not used');
  },
});

describe('BackendRegistry', () => {
  it('creates backends lazily, once', async () => {
    let created = 0;
    const r = new BackendRegistry().register('tfjs/cpu', ['node'], async () => (created++, fake(true)));
    expect(created).toBe(0);
    await r.get('tfjs/cpu');
    await r.get('tfjs/cpu');
    expect(created).toBe(1);
  });

  it('reports probe failures and factory crashes as unavailable with the reason', async () => {
    const r = new BackendRegistry()
      .register('tfjs/cpu', ['node'], async () => fake(false))
      .register('tfjs/wasm', ['node'], async () => {
        throw new Error('wasm binary missing');
      });
    expect(await r.probe('tfjs/cpu')).toEqual({ ok: false, reason: 'no device' });
    expect(await r.probe('tfjs/wasm')).toEqual({ ok: false, reason: 'wasm binary missing' });
  });

  it('rejects unknown ids with the valid choices', () => {
    const r: BackendRegistry = new BackendRegistry().register('tfjs/cpu', ['node'], async () => fake(true));
    try {
      r.assertKnown('tfjs/gpu');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ParityError);
      expect((e as ParityError).code).toBe('BACKEND_UNKNOWN');
      expect((e as ParityError).message).toContain("'tfjs/cpu'");
    }
    expect(() => r.assertKnown('ort-web/webgpu')).toThrow(/not registered in this environment/);
  });

  it('filters ids by environment and refuses duplicate registration', () => {
    const r = new BackendRegistry().register('tfjs/cpu', ['node'], async () => fake(true)).register('tfjs/webgl', ['browser'], async () => fake(true));
    expect(r.ids('node')).toEqual(['tfjs/cpu']);
    expect(r.ids('browser')).toEqual(['tfjs/webgl']);
    expect(() => r.register('tfjs/cpu', ['node'], async () => fake(true))).toThrow(/already registered/);
  });
});
