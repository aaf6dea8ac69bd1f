/**
 * Turns anything a command threw into what the user sees: one line and an exit code, never a
 * stack; every line capped (cap-text.ts) so a message quoting a topology or a huge value stays a line. Typed errors print their code and message; a file-system error about a path the user
 * gave (EEXIST, ENOTDIR, EISDIR, EACCES, ...) is a usage error naming the path; anything else is a
 * bug, printed as one `[INTERNAL]` line that says where the stack went (a log file, or stderr with
 * `--debug` / `PARITY_DEBUG=1`).
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { errorMessage, isParityError, type ErrorCode } from '../../kernel/core/errors.ts';
import { EXIT, type ExitCode } from '../../kernel/core/exit-codes.ts';
import { capLines } from '../../kernel/core/cap-text.ts';

/** What to print and how to exit. */
export interface Failure {
  /** Lines for stderr, each ending in a newline. */
  text: string;
  exit: ExitCode;
}

const FS_ERRORS: Record<string, { code: ErrorCode; says: (path: string, syscall: string) => string }> = {
  ENOENT: { code: 'FILE_NOT_FOUND', says: (p) => `'${p}' does not exist` },
  EEXIST: { code: 'USAGE', says: (p) => `'${p}' is a file; expected a folder (or a path where one can be created)` },
  ENOTDIR: { code: 'USAGE', says: (p) => `'${p}': part of this path is a file, not a folder` },
  EISDIR: { code: 'USAGE', says: (p) => `'${p}' is a folder; expected a file` },
  EACCES: { code: 'USAGE', says: (p, s) => `permission denied for '${p}' (${s})` },
  EPERM: { code: 'USAGE', says: (p, s) => `operation not permitted on '${p}' (${s})` },
  EROFS: { code: 'USAGE', says: (p) => `'${p}' is on a read-only file system` },
  ENOSPC: { code: 'USAGE', says: (p) => `no space left on the device while writing '${p}'` },
  ENAMETOOLONG: { code: 'USAGE', says: (p) => `the path '${p.slice(0, 80)}…' is too long` },
};

interface ErrnoLike {
  code?: unknown;
  path?: unknown;
  dest?: unknown;
  syscall?: unknown;
}

/** A Node fs error about a path, as a usage line; undefined for anything else. */
function fsFailure(e: unknown): Failure | undefined {
  if (!(e instanceof Error)) return undefined;
  const { code, path, dest, syscall } = e as ErrnoLike;
  const known = typeof code === 'string' ? FS_ERRORS[code] : undefined;
  if (!known || typeof path !== 'string') return undefined;
  const where = code === 'EEXIST' || code === 'EISDIR' || typeof dest !== 'string' ? path : dest;
  return {
    text: `parity: error [${known.code}]: ${known.says(where, String(syscall ?? 'access'))} (${code} from ${String(syscall ?? 'fs')})\n`,
    exit: EXIT.USAGE,
  };
}

/** Writes the stack of an unexpected error to a log file; returns its path, or undefined. */
function writeCrashLog(e: unknown, argv: readonly string[]): string | undefined {
  const path = join(tmpdir(), `parity-internal-${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}.log`);
  const stack = e instanceof Error ? (e.stack ?? e.message) : String(e);
  try {
    writeFileSync(path, `parity ${argv.join(' ')}\nnode ${process.version} ${process.platform}-${process.arch}\n\n${stack}\n`);
    return path;
  } catch {
    return undefined;
  }
}

/** Whether internal errors print their stack: `--debug` anywhere in argv, or PARITY_DEBUG=1. */
function debugRequested(argv: readonly string[]): boolean {
  return argv.includes('--debug') || /^(1|true|yes)$/i.test(process.env.PARITY_DEBUG ?? '');
}

/** The one line (or, when debugging, line + stack) for a thrown value. */
export function describeFailure(e: unknown, argv: readonly string[]): Failure {
  const debug = debugRequested(argv);
  const stack = debug && e instanceof Error && e.stack ? `${e.stack}\n` : '';
  if (isParityError(e)) {
    return { text: `parity: error [${e.code}]: ${capLines(e.message)}\n${stack}`, exit: e.isUserError ? EXIT.USAGE : EXIT.INTERNAL };
  }
  const fs = fsFailure(e);
  if (fs) return { text: capLines(fs.text) + stack, exit: fs.exit };
  const first = errorMessage(e).split('\n')[0]!.slice(0, 300);
  if (debug) return { text: `parity: error [INTERNAL]: ${first}\n${stack || `${String(e)}\n`}`, exit: EXIT.INTERNAL };
  const log = writeCrashLog(e, argv);
  const where = log ? `the stack is in ${log}` : 'rerun with --debug (or PARITY_DEBUG=1) for the stack';
  return { text: `parity: error [INTERNAL]: ${first} — an internal error (a bug in parity, not in your input); ${where}\n`, exit: EXIT.INTERNAL };
}
