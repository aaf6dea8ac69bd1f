/**
 * The harness server: bound to 127.0.0.1, cross-origin isolated, and serving nothing outside its
 * roots (path traversal, Vite's /@fs/ escape hatch, query tricks); concurrent servers get their
 * own dependency caches.
 */
import { request } from 'node:http';
import { existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leaseCacheDir } from '../src/node/browser/cache-dir.ts';
import { startHarnessServer, type HarnessServer } from '../src/node/browser/harness-server.ts';
import { PACKAGE_ROOT } from '../src/node/run/bundled-models.ts';

/** A raw GET: the path goes out exactly as written (no client-side `..` normalization). */
function get(base: string, path: string): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, path, method: 'GET' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

let server: HarnessServer;
beforeAll(async () => {
  server = await startHarnessServer({ cacheName: 'harness-test-server' });
});
afterAll(async () => {
  await server?.close();
});

describe('harness server', () => {
  it('listens on 127.0.0.1 only and serves the page cross-origin isolated', async () => {
    expect(new URL(server.url).hostname).toBe('127.0.0.1');
    const r = await get(server.url, '/');
    expect(r.status).toBe(200);
    expect(r.body).toContain('infer-parity');
    expect(r.headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(r.headers['cross-origin-embedder-policy']).toBe('require-corp');
  });

  it('serves the bundled models the page lists', async () => {
    const r = await get(server.url, `/@fs${join(PACKAGE_ROOT, 'models/penguins/parity-model.json')}`);
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body).name).toBe('penguins-mlp');
  });

  const root = PACKAGE_ROOT.replace(/\/$/, '');
  it.each([
    '/../../etc/passwd',
    '/..%2f..%2f..%2fetc%2fpasswd',
    '/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
    '/@fs/etc/passwd',
    '/@fs/etc/passwd?raw',
    '/@fs/etc/passwd?import&raw??',
    '/@fs/../../../etc/passwd',
    '/src/../../../../etc/passwd',
    `/@fs${root}/package.json`,
    `/@fs${root}/.gitignore`,
    `/@fs${root}/test/fixtures/README.md`,
    `/@fs${root}/node_modules/onnxruntime-node/package.json`,
    `/@fs${root}/harness/../package.json`,
    '/package.json',
  ])('refuses %s', async (path) => {
    const r = await get(server.url, path);
    expect([403, 404]).toContain(r.status);
    expect(r.body).not.toMatch(/root:x:0:0|"dependencies"|node_modules\/\n|allowScripts/);
  });
});

describe('dependency cache leases', () => {
  it('gives concurrent servers different cache dirs and reuses a released one', () => {
    const base = join(tmpdir(), `parity-lease-${process.pid}`, 'cache');
    const a = leaseCacheDir(base);
    const b = leaseCacheDir(base);
    expect(a.dir).toBe(base);
    expect(b.dir).toBe(`${base}-2`);
    a.release();
    const c = leaseCacheDir(base);
    expect(c.dir).toBe(base);
    b.release();
    c.release();
    expect(existsSync(`${base}.lock`)).toBe(false);
    rmSync(join(tmpdir(), `parity-lease-${process.pid}`), { recursive: true, force: true });
  });
});
