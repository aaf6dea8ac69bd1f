/**
 * A backend's answers, recorded in one environment and replayed in another. `parity localize
 * --browser` keeps its reference in Node (fp32 on ort-node/cpu): Node runs the reference side
 * through a {@link recordingBackend}, sends the recording into the page as JSON, and the page's
 * `localize()` gets a {@link replayBackend} as its reference backend — so the very same
 * localization core judges a Node reference against a browser target.
 *
 * The replay is checked, never trusted: it answers only for the model bytes, optimization level
 * and feeds that were recorded (by fingerprint), in the recorded order, else throws INTERNAL.
 * Pure: no Node imports.
 */
import type { Availability, Backend, BackendInfo, LoadOptions, ModelSource, Session } from '../kernel/runtime/types.ts';
import type { BackendId, EnvKind } from '../kernel/core/ids.ts';
import { ParityError } from '../kernel/core/errors.ts';
import { decodeTensor, encodeTensor, type EncodedTensor } from '../kernel/core/tensor-codec.ts';
import type { TensorMap, TensorSpec } from '../kernel/core/tensor.ts';

/** One recorded `session.run`: a fingerprint of its feeds and every output it returned. */
export interface RecordedRun {
  feeds: string;
  outputs: Record<string, EncodedTensor>;
}

/** What one loaded session did, as plain JSON. */
export interface Recording {
  backend: BackendId;
  environment: EnvKind;
  /** The backend's probe facts (library, version, threads...). */
  info?: BackendInfo;
  /** Fingerprint of the loaded model bytes. */
  model: string;
  /** The optimization level it was loaded with (`all` when none was given). */
  graphOptimizationLevel: NonNullable<LoadOptions['graphOptimizationLevel']>;
  inputs: TensorSpec[];
  outputs: TensorSpec[];
  runs: RecordedRun[];
}

/** FNV-1a (32 bit) over `bytes`, continuing from `h`. */
function fnv1a(bytes: Uint8Array, h = 0x811c9dc5): number {
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193) >>> 0;
  return h;
}

const utf8 = new TextEncoder();

/** `length:hash` of a byte string: enough to tell two deterministic encodings apart. */
function fingerprintBytes(bytes: Uint8Array): string {
  return `${bytes.length}:${fnv1a(bytes).toString(16).padStart(8, '0')}`;
}

/** Fingerprint of a feeds map: names, dtypes, dims and element bytes. */
function fingerprintFeeds(feeds: TensorMap): string {
  let h = 0x811c9dc5;
  for (const name of Object.keys(feeds).sort()) {
    const t = feeds[name]!;
    h = fnv1a(utf8.encode(`${name}|${t.dtype}|${t.dims.join(',')}|`), h);
    h = fnv1a(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), h);
  }
  return h.toString(16).padStart(8, '0');
}

export interface Recorder {
  /** Use this in place of the wrapped backend. */
  backend: Backend;
  /** The last loaded session's recording. @throws ParityError INTERNAL when nothing was loaded. */
  recording(): Recording;
}

/** Wraps `inner` so the last session it loads records every run. */
export function recordingBackend(inner: Backend): Recorder {
  let current: Recording | undefined;
  const backend: Backend = {
    id: inner.id,
    formats: inner.formats,
    environments: inner.environments,
    probe: () => inner.probe(),
    async load(model: ModelSource, options?: LoadOptions): Promise<Session> {
      if (model.format !== 'onnx')
        throw new ParityError('MODEL_UNSUPPORTED', `recording backend ${inner.id}: only ONNX models are recorded; '${model.name}' is ${model.format}`);
      const session = await inner.load(model, options);
      const probed: Availability = await inner.probe();
      const rec: Recording = {
        backend: inner.id,
        environment: inner.environments[0] ?? 'node',
        ...(probed.ok ? { info: probed.info } : {}),
        model: fingerprintBytes(model.bytes),
        graphOptimizationLevel: options?.graphOptimizationLevel ?? 'all',
        inputs: [...session.inputs],
        outputs: [...session.outputs],
        runs: [],
      };
      current = rec;
      return {
        inputs: session.inputs,
        outputs: session.outputs,
        async run(feeds) {
          const out = await session.run(feeds);
          rec.runs.push({ feeds: fingerprintFeeds(feeds), outputs: Object.fromEntries(Object.entries(out).map(([k, t]) => [k, encodeTensor(t)])) });
          return out;
        },
        dispose: () => session.dispose(),
      };
    },
  };
  return {
    backend,
    recording() {
      if (!current) throw new ParityError('INTERNAL', `recording backend ${inner.id}: no session was loaded, so there is nothing to replay`);
      return current;
    },
  };
}

/**
 * A backend that answers from `rec`: one session, for the recorded model and level only, whose
 * runs return the recorded outputs in order after checking each feeds map is the recorded one.
 */
export function replayBackend(rec: Recording): Backend {
  const mismatch = (what: string, expected: string, got: string) =>
    new ParityError(
      'INTERNAL',
      `replayed ${rec.backend} reference: ${what} differs from the recorded one (recorded ${expected}, asked ${got}); both sides must derive the same model from the same inputs`,
      { expected, got },
    );
  return {
    id: rec.backend,
    formats: ['onnx'],
    environments: [rec.environment],
    probe: async () => ({ ok: true, info: rec.info ?? { library: 'recorded', version: 'unknown' } }),
    async load(model, options) {
      if (model.format !== 'onnx')
        throw new ParityError('MODEL_UNSUPPORTED', `replayed ${rec.backend} reference: '${model.name}' is ${model.format}, the recording is of an ONNX model`);
      const fp = fingerprintBytes(model.bytes);
      if (fp !== rec.model) throw mismatch(`the model '${model.name}' (bytes)`, rec.model, fp);
      const level = options?.graphOptimizationLevel ?? 'all';
      if (level !== rec.graphOptimizationLevel) throw mismatch('the graph optimization level', rec.graphOptimizationLevel, level);
      let next = 0;
      return {
        inputs: rec.inputs,
        outputs: rec.outputs,
        async run(feeds: TensorMap): Promise<TensorMap> {
          const run = rec.runs[next];
          if (!run) throw new ParityError('INTERNAL', `replayed ${rec.backend} reference: run ${next + 1} was asked for, ${rec.runs.length} were recorded`);
          const fp = fingerprintFeeds(feeds);
          if (fp !== run.feeds) throw mismatch(`the feeds of run ${next + 1}`, run.feeds, fp);
          next++;
          return Object.fromEntries(Object.entries(run.outputs).map(([k, t]) => [k, decodeTensor(t)]));
        },
        dispose: async () => undefined,
      };
    },
  };
}
