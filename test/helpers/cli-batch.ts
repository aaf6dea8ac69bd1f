/**
 * Runs many `parity` command lines through the real CLI entry (`main`) in ONE child process, so a
 * corpus of bad inputs costs one tsx start instead of one per case. For each case it captures
 * stdout, stderr and the exit code, and snapshots a folder before and after (paths, sizes, mtimes,
 * content hashes), so a test can assert that bad input created or changed nothing.
 *
 * Usage (from a test): `parityBatch(cases, { root })`; it spawns itself with tsx.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { lstatSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface BatchCase {
  args: string[];
  env?: Record<string, string>;
}

export interface BatchResult {
  code: number;
  stdout: string;
  stderr: string;
  /** Paths (relative to the root) added, removed or changed by the command. */
  changed: string[];
}

/** Every entry under `root` (symlinks not followed) with what identifies its content. */
export function snapshot(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      const st = lstatSync(p);
      const key = relative(root, p);
      if (st.isSymbolicLink()) out.set(key, `link ${readlinkSync(p)}`);
      else if (st.isDirectory()) {
        out.set(key, 'dir');
        walk(p);
      } else out.set(key, `${st.size} ${st.mtimeMs} ${createHash('sha1').update(readFileSync(p)).digest('hex')}`);
    }
  };
  walk(root);
  return out;
}

export function diffSnapshots(a: Map<string, string>, b: Map<string, string>): string[] {
  const keys = new Set([...a.keys(), ...b.keys()]);
  return [...keys].filter((k) => a.get(k) !== b.get(k)).sort();
}

const SELF = fileURLToPath(import.meta.url);
/** tsx's loader by absolute URL: the child's cwd (the corpus folder) has no node_modules. */
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm')).href;

/** Runs `cases` in one child process with `root` as its cwd; returns one result per case. */
export function parityBatch(cases: readonly BatchCase[], opts: { root: string }): BatchResult[] {
  const io = mkdtempSync(join(tmpdir(), 'parity-batch-'));
  const jobs = join(io, 'jobs.json');
  const results = join(io, 'results.json');
  writeFileSync(jobs, JSON.stringify({ cases, root: opts.root, results }));
  const r = spawnSync(process.execPath, ['--import', TSX, SELF, jobs], {
    cwd: opts.root,
    env: { ...process.env, CI: 'true', NO_COLOR: '1' },
    encoding: 'utf8',
    timeout: 300_000,
  });
  try {
    if (r.status !== 0) throw new Error(`batch driver failed (${r.status ?? r.signal}): ${r.stderr}`);
    return JSON.parse(readFileSync(results, 'utf8')) as BatchResult[];
  } finally {
    rmSync(io, { recursive: true, force: true });
  }
}

async function drive(jobsFile: string): Promise<void> {
  const { cases, root, results } = JSON.parse(readFileSync(jobsFile, 'utf8')) as { cases: BatchCase[]; root: string; results: string };
  const { main } = await import('../../src/node/cli/main.ts');
  const out: BatchResult[] = [];
  const realOut = process.stdout.write.bind(process.stdout);
  const realErr = process.stderr.write.bind(process.stderr);
  for (const c of cases) {
    const before = snapshot(root);
    let stdout = '';
    let stderr = '';
    const saved = { ...process.env };
    Object.assign(process.env, c.env ?? {});
    process.stdout.write = ((s: string | Uint8Array) => ((stdout += String(s)), true)) as typeof process.stdout.write;
    process.stderr.write = ((s: string | Uint8Array) => ((stderr += String(s)), true)) as typeof process.stderr.write;
    let code: number;
    try {
      code = await main(c.args);
    } catch (e) {
      code = -1;
      stderr += `main threw: ${(e as Error).stack}`;
    } finally {
      process.stdout.write = realOut;
      process.stderr.write = realErr;
      process.env = saved;
    }
    out.push({ code, stdout, stderr, changed: diffSnapshots(before, snapshot(root)) });
  }
  writeFileSync(results, JSON.stringify(out));
}

if (process.argv[1] === SELF) await drive(process.argv[2]!);
