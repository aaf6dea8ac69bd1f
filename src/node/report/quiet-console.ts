/**
 * A quiet console for the CLI: runtimes print lines the user can do nothing about (TF.js's "install
 * tfjs-node" banner, tfjs-converter's per-call hint to use `execute()`), and a run of a graph model
 * prints the hint once per sample. Those known-harmless lines are dropped; every other warning
 * passes through unchanged. The list is data: each entry says why the line is harmless here.
 * `--debug` / PARITY_DEBUG=1 keeps everything.
 */

/** One known-harmless console line. */
export interface HarmlessLine {
  /** Matched against the first argument of the console call, as text. */
  pattern: RegExp;
  /** Why dropping it loses nothing. */
  why: string;
}

export const HARMLESS_RUNTIME_LINES: readonly HarmlessLine[] = [
  {
    pattern: /Hi, looks like you are running TensorFlow\.js in Node\.js/,
    why: 'TF.js banner: tfjs-node cannot install without its native download; the cpu and wasm backends are the ones measured',
  },
  {
    pattern: /^This model execution did not contain any nodes with control flow or dynamic output shapes/,
    why: 'tfjs-converter hint printed on every executeAsync call; the session uses executeAsync so graph models with control flow also run',
  },
];

type ConsoleMethod = 'warn' | 'log' | 'info' | 'error';
const METHODS: readonly ConsoleMethod[] = ['warn', 'log', 'info', 'error'];

export interface QuietConsole {
  /** How many lines were dropped so far, per pattern index. */
  readonly dropped: number[];
  /** Puts the original console methods back. */
  restore(): void;
}

/** Index of the known-harmless line `first` (the first console argument) matches, or -1. */
export function harmlessIndex(first: unknown, lines: readonly HarmlessLine[] = HARMLESS_RUNTIME_LINES): number {
  if (typeof first !== 'string') return -1;
  const text = first.trimStart();
  return lines.findIndex((l) => l.pattern.test(text));
}

/**
 * Wraps `console.warn/log/info/error` so known-harmless runtime lines are dropped. Idempotent per
 * console: a second call returns the first wrapper. Nothing is dropped when `keepAll` is true.
 */
export function quietConsole(options: { keepAll?: boolean; lines?: readonly HarmlessLine[]; target?: Console } = {}): QuietConsole {
  const target = options.target ?? console;
  const lines = options.lines ?? HARMLESS_RUNTIME_LINES;
  const existing = installed.get(target);
  if (existing) return existing;
  const dropped = lines.map(() => 0);
  const originals = new Map<ConsoleMethod, (...args: unknown[]) => void>();
  if (!options.keepAll) {
    for (const m of METHODS) {
      const original = target[m].bind(target) as (...args: unknown[]) => void;
      originals.set(m, target[m] as (...args: unknown[]) => void);
      target[m] = (...args: unknown[]) => {
        const i = harmlessIndex(args[0], lines);
        if (i >= 0) dropped[i]!++;
        else original(...args);
      };
    }
  }
  const quiet: QuietConsole = {
    dropped,
    restore() {
      for (const [m, fn] of originals) target[m] = fn;
      installed.delete(target);
    },
  };
  installed.set(target, quiet);
  return quiet;
}

const installed = new WeakMap<Console, QuietConsole>();
