/**
 * Where captured lines go. A sink receives batches of finished JSON lines (no trailing newline).
 * `callbackSink` hands them to user code, `fetchSink` POSTs them as NDJSON; the Node file sink is
 * in node-file-sink.ts so that browser bundles never see `node:fs`. Pure.
 */
import type { CaptureRecord } from './format.ts';

export interface CaptureSink {
  /** Receives finished lines, in capture order. A rejection is counted in `capture.stats.errors`. */
  write(lines: readonly string[], records: readonly CaptureRecord[]): void | Promise<void>;
  /** Flushes what the sink buffers itself and releases it. */
  close?(): void | Promise<void>;
}

/** Calls `fn` once per captured record with the record and its JSON line. */
export function callbackSink(fn: (record: CaptureRecord, line: string) => void | Promise<void>): CaptureSink {
  return {
    async write(lines, records) {
      for (let i = 0; i < lines.length; i++) await fn(records[i]!, lines[i]!);
    },
  };
}

export interface FetchSinkOptions {
  /** Extra request headers (auth...). Default none. */
  headers?: Record<string, string>;
  /** The fetch to use. @default globalThis.fetch */
  fetch?: (
    url: string,
    init: { method: string; headers: Record<string, string>; body: string; keepalive?: boolean },
  ) => Promise<{ ok: boolean; status: number }>;
}

/** POSTs each batch to `url` as `application/x-ndjson` (one line per record). */
export function fetchSink(url: string, options: FetchSinkOptions = {}): CaptureSink {
  const doFetch = options.fetch ?? (globalThis as { fetch?: FetchSinkOptions['fetch'] }).fetch;
  if (!doFetch) throw new TypeError('fetchSink: no fetch in this environment; pass options.fetch');
  return {
    async write(lines) {
      const res = await doFetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-ndjson', ...options.headers },
        body: lines.join('\n') + '\n',
        keepalive: true,
      });
      if (!res.ok) throw new Error(`fetchSink: POST ${url} answered ${res.status}`);
    },
  };
}
