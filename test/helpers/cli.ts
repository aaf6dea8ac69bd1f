/** Runs the real `parity` CLI in a child process and captures what a user would see. */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The CLI entry point. */
export const PARITY_BIN = fileURLToPath(new URL('../../bin/parity.js', import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function parity(args: readonly string[], opts: { cwd?: string; env?: Record<string, string> } = {}): CliResult {
  const r = spawnSync(process.execPath, [PARITY_BIN, ...args], {
    cwd: opts.cwd ?? process.cwd(),
    env: { ...process.env, CI: 'true', NO_COLOR: '1', ...opts.env },
    encoding: 'utf8',
    timeout: 180_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
