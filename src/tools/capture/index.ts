/**
 * `infer-parity/capture`: logs what a served model saw and returned, one JSON line per sampled
 * request (format.ts), for `parity replay`. Wraps an onnxruntime-web/-node `InferenceSession`
 * (anything with `run(feeds)`), a TF.js `GraphModel`/`LayersModel` (`predict` / `executeAsync`),
 * or is called explicitly. Pure and dependency-free: browser, worker and Node.
 *
 * ```ts
 * const capture = createCapture({ sink: fetchSink('/log'), sampleRate: 0.1, env: { app: '4.2.0', client: 'web' }, libraries: { ort } });
 * const session = capture.wrapSession(await ort.InferenceSession.create(url));
 * capture.record({ raw, features, outputs: { probs }, label });   // or explicitly
 * ```
 */
import { encodeF32 } from './base64.ts';
import type { CaptureRecord, LoggedValues } from './format.ts';
import { hostTags, libraryTags, type CaptureLibraries } from './env-tags.ts';
import type { CaptureSink } from './sinks.ts';
import { toFlatNumbers, toNamedNumbers, type KeepF32, type Snapshot } from './tensors.ts';

export type { CaptureRecord, EncodedF32, LoggedValues } from './format.ts';
export { decodeF32, encodeF32 } from './base64.ts';
export { CAPTURE_FORMAT_VERSION } from './format.ts';
export type { CaptureSink, FetchSinkOptions } from './sinks.ts';
export { callbackSink, fetchSink } from './sinks.ts';
export type { CaptureLibraries } from './env-tags.ts';

export interface CaptureOptions {
  /** Where lines go: a sink, or a callback per record. */
  sink: CaptureSink | ((record: CaptureRecord, line: string) => void | Promise<void>);
  /** Share of requests logged, 0..1. @default 1 */
  sampleRate?: number;
  /** Tags on every record, e.g. `{ app: '4.2.0', modelVersion: 'v7', client: 'android-webview' }`. Default none. */
  env?: Record<string, string>;
  /** Add the host's user agent / Node version. @default true */
  hostTags?: boolean;
  /** Runtime modules to read versions (and the TF.js backend) from. Default none. */
  libraries?: CaptureLibraries;
  /** Records kept before lines are formatted and handed to the sink. @default 32 */
  batchSize?: number;
  /** Log the served model input (`features`). @default true */
  features?: boolean;
  /**
   * How float tensors are written: `json` number arrays, or `base64` (`{"f32": "…"}`, float32
   * little-endian) — ~100× cheaper to format for image-sized inputs. @default 'json'
   */
  encoding?: 'json' | 'base64';
  /** Prefix of generated ids. @default 'req-' */
  idPrefix?: string;
  /** Random source for sampling (0..1). @default Math.random */
  random?: () => number;
  /** Clock. @default () => new Date() */
  now?: () => Date;
}

/** What one explicit `record` call logs. `outputs` values may be arrays, typed arrays or tensors. */
export interface RecordEntry {
  outputs: Record<string, unknown> | unknown;
  features?: unknown;
  raw?: Record<string, unknown>;
  label?: string | number;
  /** Default: a generated id. */
  id?: string;
  /** Default: now. */
  time?: string | Date;
  /** Tags added to this record only. */
  env?: Record<string, string>;
}

/** Per-call context for wrapped sessions and models: the raw record, an id, extra tags. */
export type ContextFn = (feeds: unknown) => Pick<RecordEntry, 'raw' | 'id' | 'label' | 'env'> | undefined;

export interface Capture {
  /** Logs one request (subject to the sample rate). Returns the record's id, or undefined when not sampled. */
  record(entry: RecordEntry): string | undefined;
  /** The same session whose `run` also logs feeds and outputs. */
  wrapSession<S extends { run(...args: never[]): Promise<unknown> }>(session: S, context?: ContextFn): S;
  /** The same TF.js model whose `predict` / `executeAsync` also log inputs and outputs. */
  wrapModel<M extends object>(model: M, context?: ContextFn): M;
  /** Formats pending records and waits for the sink. */
  flush(): Promise<void>;
  /** Flushes and closes the sink. */
  close(): Promise<void>;
  readonly stats: { seen: number; sampled: number; written: number; errors: number; lastError?: string };
}

export function createCapture(options: CaptureOptions): Capture {
  const sink: CaptureSink = typeof options.sink === 'function' ? { write: callbackWrite(options.sink) } : options.sink;
  const rate = options.sampleRate ?? 1;
  if (!(rate >= 0 && rate <= 1)) throw new RangeError(`createCapture: sampleRate ${rate} must be between 0 and 1`);
  const batchSize = Math.max(1, options.batchSize ?? 32);
  const random = options.random ?? Math.random;
  const now = options.now ?? (() => new Date());
  const prefix = options.idPrefix ?? 'req-';
  const env: Record<string, string> = { ...(options.hostTags === false ? {} : hostTags()), ...libraryTags(options.libraries), ...options.env };
  const stats: Capture['stats'] = { seen: 0, sampled: 0, written: 0, errors: 0 };
  const encoding = options.encoding ?? 'json';
  // base64 encodes float32 data straight from the runtime's buffer: no copy, no allocation of a typed array.
  const keep: KeepF32 | undefined = encoding === 'base64' ? encodeF32 : undefined;
  let pending: Pending[] = [];
  let chain: Promise<void> = Promise.resolve();
  let counter = 0;
  let scheduled = false;

  const drain = (): Promise<void> => {
    scheduled = false;
    if (pending.length === 0) return chain;
    const batch = pending.map((p) => finish(p, encoding));
    pending = [];
    const lines = batch.map(formatLine);
    chain = chain.then(async () => {
      try {
        await sink.write(lines, batch);
        stats.written += lines.length;
      } catch (e) {
        stats.errors++;
        stats.lastError = e instanceof Error ? e.message : String(e);
      }
    });
    return chain;
  };

  const record = (entry: RecordEntry): string | undefined => {
    stats.seen++;
    if (rate < 1 && !(random() < rate)) return undefined;
    stats.sampled++;
    const t = entry.time ?? now();
    const rec: Pending = {
      id: entry.id ?? `${prefix}${++counter}`,
      time: t,
      env: entry.env ? { ...env, ...entry.env } : env,
      ...(entry.raw ? { raw: entry.raw } : {}),
      ...(entry.features !== undefined && options.features !== false ? { features: toFeatures(entry.features, keep) } : {}),
      outputs: toNamedNumbers(entry.outputs, 'output', keep),
      ...(entry.label !== undefined ? { label: entry.label } : {}),
    };
    pending.push(rec);
    if (pending.length >= batchSize && !scheduled) {
      scheduled = true;
      setTimeout(() => void drain(), 0);
    }
    return rec.id;
  };

  const logCall = (feeds: unknown, out: unknown, context?: ContextFn) => {
    try {
      const ctx = context?.(feeds);
      record({ ...ctx, features: feeds, outputs: out });
    } catch (e) {
      stats.errors++;
      stats.lastError = e instanceof Error ? e.message : String(e);
    }
  };

  return {
    record,
    stats,
    wrapSession(session, context) {
      const run = session.run.bind(session) as (...args: unknown[]) => Promise<unknown>;
      return new Proxy(session, {
        get(target, prop, receiver) {
          if (prop !== 'run') return Reflect.get(target, prop, receiver);
          return async (...args: unknown[]) => {
            const out = await run(...args);
            logCall(args[0], out, context);
            return out;
          };
        },
      });
    },
    wrapModel(model, context) {
      return new Proxy(model, {
        get(target, prop, receiver) {
          const value = Reflect.get(target, prop, receiver) as unknown;
          if ((prop !== 'predict' && prop !== 'executeAsync' && prop !== 'execute') || typeof value !== 'function') return value;
          return (...args: unknown[]) => {
            const out = (value as (...a: unknown[]) => unknown).apply(target, args);
            if (out instanceof Promise) return out.then((o) => (logCall(args[0], o, context), o));
            logCall(args[0], out, context);
            return out;
          };
        },
      });
    },
    flush: () => drain(),
    async close() {
      await drain();
      await sink.close?.();
    },
  };
}

/** A record as captured: tensors copied, not yet formatted (that waits for the batch). */
type Pending = Omit<CaptureRecord, 'features' | 'outputs' | 'time'> & {
  time: string | Date;
  features?: Snapshot | Record<string, Snapshot>;
  outputs: Record<string, Snapshot>;
};

function values(v: Snapshot, encoding: 'json' | 'base64'): LoggedValues {
  if (encoding === 'base64' && v instanceof Float32Array) return encodeF32(v);
  if (Array.isArray(v) || !(v instanceof Float32Array)) return v;
  const out = new Array<number>(v.length); // a plain loop: Array.from walks the iterator, ~20× slower
  for (let i = 0; i < v.length; i++) out[i] = v[i]!;
  return out;
}

/** base64 needs no JSON escaping, so encoded tensors are spliced in as is (JSON.stringify would rescan them). */
function valuesJson(v: LoggedValues): string {
  return Array.isArray(v) ? JSON.stringify(v) : `{"f32":"${v.f32}"}`;
}

const isEncoded = (v: unknown): v is { f32: string } =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && typeof (v as { f32?: unknown }).f32 === 'string';

/** The record's JSON line, keys in the documented order. */
function formatLine(r: CaptureRecord): string {
  const map = (m: Record<string, LoggedValues>) =>
    `{${Object.entries(m)
      .map(([k, v]) => `${JSON.stringify(k)}:${valuesJson(v)}`)
      .join(',')}}`;
  let line = `{"id":${JSON.stringify(r.id)},"time":${JSON.stringify(r.time)},"env":${JSON.stringify(r.env)}`;
  if (r.raw) line += `,"raw":${JSON.stringify(r.raw)}`;
  if (r.features !== undefined) line += `,"features":${Array.isArray(r.features) || isEncoded(r.features) ? valuesJson(r.features) : map(r.features)}`;
  line += `,"outputs":${map(r.outputs)}`;
  if (r.label !== undefined) line += `,"label":${JSON.stringify(r.label)}`;
  return line + '}';
}

function finish(p: Pending, encoding: 'json' | 'base64'): CaptureRecord {
  const map = (m: Record<string, Snapshot>) => Object.fromEntries(Object.entries(m).map(([k, v]) => [k, values(v, encoding)]));
  const { features, outputs, time, ...rest } = p;
  const f =
    features === undefined
      ? undefined
      : Array.isArray(features) || features instanceof Float32Array || isEncoded(features)
        ? values(features, encoding)
        : map(features as Record<string, Snapshot>);
  const { id, env, ...more } = rest;
  return { id, time: typeof time === 'string' ? time : time.toISOString(), env, ...more, ...(f !== undefined ? { features: f } : {}), outputs: map(outputs) };
}

/** One feed → a flat array; several → one array per name. */
function toFeatures(feeds: unknown, keep?: KeepF32): Snapshot | Record<string, Snapshot> {
  const flat = toFlatNumbers(feeds, keep);
  if (flat) return flat;
  const named = toNamedNumbers(feeds, 'input', keep);
  const names = Object.keys(named);
  return names.length === 1 ? named[names[0]!]! : named;
}

function callbackWrite(fn: (record: CaptureRecord, line: string) => void | Promise<void>): CaptureSink['write'] {
  return async (lines, records) => {
    for (let i = 0; i < lines.length; i++) await fn(records[i]!, lines[i]!);
  };
}
