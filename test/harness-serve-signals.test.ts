/**
 * `parity serve` ends its Vite server with its own process: killing the CLI (SIGTERM, SIGINT)
 * closes the port, and so does killing whatever started it (npx's shell), which would otherwise
 * leave the server re-parented and serving. Real processes, real ports.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../src/node/run/bundled-models.ts';

const BIN = join(PACKAGE_ROOT, 'bin/parity.js');
const started: ChildProcess[] = [];

afterEach(() => {
  for (const p of started.splice(0)) if (p.exitCode === null) p.kill('SIGKILL');
});

/** Resolves to true when something answers HTTP on `url`, false when the connection is refused. */
function answers(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(url, { method: 'HEAD', timeout: 2000 }, (res) => {
      res.resume();
      resolve(true);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

/** Polls until `check` holds (or the attempts run out); returns the last answer. */
async function until(check: () => Promise<boolean>, attempts = 40): Promise<boolean> {
  for (let i = 0; i < attempts; i++) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

/** Starts `command` and resolves with the page URL `parity serve` prints. */
function startServe(command: string, args: string[]): Promise<{ proc: ChildProcess; url: string }> {
  const proc = spawn(command, args, { cwd: PACKAGE_ROOT, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  started.push(proc);
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`parity serve printed no URL in 45 s: ${out}`)), 45_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const m = /benchmark page: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ proc, url: m[1]! });
      }
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    proc.on('exit', (code) => reject(new Error(`parity serve exited (${code}) before serving: ${out}`)));
  });
}

describe('parity serve ends with its process', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)(
    'closes the port and exits on %s',
    async (signal) => {
      const { proc, url } = await startServe(process.execPath, [BIN, 'serve', '--port', '0']);
      expect(await answers(url)).toBe(true);
      const exited = new Promise<number | null>((r) => proc.on('exit', (code) => r(code)));
      proc.kill(signal);
      // It ends by itself (an exit code, not killed by the signal): 0, or 128 + 15 where Vite's own SIGTERM handler exits.
      expect([0, 143]).toContain(await exited);
      expect(await until(async () => !(await answers(url)))).toBe(true);
    },
    60_000,
  );

  it('closes the port when the shell that started it is killed (as with `kill` on npx)', async () => {
    // The shell waits on the CLI like npm exec's `sh -c`; SIGKILL leaves the CLI re-parented.
    const { proc, url } = await startServe('sh', ['-c', `"${process.execPath}" "${BIN}" serve --port 0 & wait`]);
    expect(await answers(url)).toBe(true);
    proc.kill('SIGKILL');
    expect(await until(async () => !(await answers(url)))).toBe(true);
  }, 60_000);
});
