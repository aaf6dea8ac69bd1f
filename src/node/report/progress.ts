/**
 * Progress over the targets of a run: a cli-progress bar on an interactive terminal, plain
 * numbered lines (`[3/8] mnist-cnn:fp32@tfjs/wasm ok 1.23 ms`) in CI logs and pipes, where a
 * redrawn bar would be noise.
 */
import cliProgress from 'cli-progress';
import type { RunRecord } from '../../kernel/core/record.ts';
import { fmtMs } from '../../kernel/render/format.ts';

/** What a progress display writes to: `process.stderr` or any writable with `isTTY`. */
export type ProgressStream = NodeJS.WritableStream & { isTTY?: boolean };

export interface ProgressOptions {
  /** Number of targets expected. Default 0; raise it with `addTotal`, and `tick` past it raises it too. */
  total?: number;
  /** Where to write. Default `process.stderr`. */
  stream?: ProgressStream;
  /** Whether `stream` is an interactive terminal. Default `stream.isTTY === true`. */
  isTTY?: boolean;
  /** Running under CI (plain lines even on a TTY). Default: env `CI` set and not `0`/`false`. */
  ci?: boolean;
}

export interface Progress {
  /** One target finished: a label, or its record (shown as {@link recordLabel}). */
  tick(label: string | RunRecord): void;
  /** More targets were planned (e.g. per model, once its variants are known). */
  addTotal(n: number): void;
  /** A message that must not be lost under the bar (a warning, a skip reason). */
  log(line: string): void;
  /** Ends the display (removes the bar). Idempotent. */
  done(): void;
}

/** True when env `CI` is set to anything but `''`, `0` or `false` (GitHub, GitLab, Buildkite...). */
export function isCi(env: Record<string, string | undefined> = process.env): boolean {
  const v = env.CI;
  return v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false';
}

/**
 * `mnist-cnn:fp32@tfjs/wasm ok 1.23 ms`, `… skipped`, `… error [CODE]: <reason>`. A skip's reason
 * is printed once, in the summary after the table (it is not news the way an error is).
 */
export function recordLabel(record: RunRecord): string {
  const id = record.target.id;
  if (record.status === 'skipped') return `${id} skipped (reason below)`;
  if (record.status === 'error') return `${id} error${record.errorCode ? ` [${record.errorCode}]` : ''}: ${record.reason ?? ''}`;
  const runs = [...(record.timings?.runMs ?? [])].sort((a, b) => a - b);
  if (runs.length === 0) return `${id} ok`;
  const mid = runs.length >> 1;
  const median = runs.length % 2 ? runs[mid]! : (runs[mid - 1]! + runs[mid]!) / 2;
  return `${id} ok ${fmtMs(median)} ms`;
}

const text = (label: string | RunRecord): string => (typeof label === 'string' ? label : recordLabel(label));

function plainProgress(initial: number, stream: ProgressStream): Progress {
  let n = 0;
  let total = initial;
  return {
    tick(label) {
      n++;
      total = Math.max(total, n);
      stream.write(`[${String(n).padStart(String(total).length)}/${total}] ${text(label)}\n`);
    },
    addTotal(k) {
      total += k;
    },
    log(line) {
      stream.write(`${line}\n`);
    },
    done() {},
  };
}

function barProgress(total: number, stream: ProgressStream): Progress {
  const multi = new cliProgress.MultiBar(
    {
      stream,
      format: '{bar} {value}/{total} {label}',
      hideCursor: true,
      clearOnComplete: true,
      autopadding: true,
    },
    cliProgress.Presets.shades_classic,
  );
  const bar = multi.create(total, 0, { label: '' });
  let n = 0;
  let finished = false;
  return {
    tick(label) {
      n++;
      if (n > bar.getTotal()) bar.setTotal(n);
      bar.update(n, { label: text(label) });
      multi.update(); // redraw now: ticks are rare (one per target), no need to wait for the timer
    },
    addTotal(k) {
      bar.setTotal(bar.getTotal() + k);
    },
    log(line) {
      // MultiBar buffers log lines until its next redraw and drops them on stop(): flush now.
      multi.log(`${line}\n`);
      multi.update();
    },
    done() {
      if (finished) return;
      finished = true;
      multi.update();
      multi.stop();
    },
  };
}

/** A progress display fitting the stream: a bar on an interactive terminal outside CI, else lines. */
export function createProgress(options: ProgressOptions): Progress {
  const stream = options.stream ?? process.stderr;
  const tty = options.isTTY ?? stream.isTTY === true;
  const ci = options.ci ?? isCi();
  const total = options.total ?? 0;
  return tty && !ci ? barProgress(total, stream) : plainProgress(total, stream);
}
