/**
 * A Vite dependency cache that no other live process is using. Two Vite servers on one cache
 * break each other (`504 Outdated Optimize Dep`), yet a reused cache saves the optimization on
 * every start. So: the first of `base`, `base-2`, `base-3`... whose lock is free or stale (its
 * process is gone) is taken, and released on close. Node only.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

export interface CacheDirLease {
  dir: string;
  release(): void;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function tryLock(dir: string): boolean {
  const lock = `${dir}.lock`;
  try {
    mkdirSync(lock, { recursive: false });
  } catch {
    let owner = NaN;
    try {
      owner = Number(readFileSync(`${lock}/pid`, 'utf8'));
    } catch {
      // a lock without a pid file is being created right now, or was left half-made
    }
    if (owner === process.pid || !Number.isInteger(owner) || alive(owner)) return false;
    rmSync(lock, { recursive: true, force: true });
    try {
      mkdirSync(lock, { recursive: false });
    } catch {
      return false;
    }
  }
  writeFileSync(`${lock}/pid`, String(process.pid));
  return true;
}

/** Leases the first free cache dir among `base`, `base-2`, ... (at most `tries`). */
export function leaseCacheDir(base: string, tries = 8): CacheDirLease {
  mkdirSync(base.replace(/[/\\][^/\\]+$/, ''), { recursive: true });
  for (let i = 1; i <= tries; i++) {
    const dir = i === 1 ? base : `${base}-${i}`;
    if (tryLock(dir)) {
      let held = true;
      return {
        dir,
        release() {
          if (!held) return;
          held = false;
          rmSync(`${dir}.lock`, { recursive: true, force: true });
        },
      };
    }
  }
  const dir = `${base}-pid${process.pid}-${Date.now()}`;
  return { dir, release: () => rmSync(dir, { recursive: true, force: true }) };
}
