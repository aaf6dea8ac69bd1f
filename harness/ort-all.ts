/**
 * onnxruntime-web's `all` build (wasm + webgl + webgpu in one module, one `ort.env`), with one
 * adaptation: the WebGL EP throws "Getting model metadata is not supported in webgl backend" when
 * a session's `inputMetadata` / `outputMetadata` is read. Sessions here fall back to the names
 * (type and dims unknown), so a WebGL target fails only for reasons of its own.
 */
import type { InferenceSession } from 'onnxruntime-web';

type OrtWeb = typeof import('onnxruntime-web');
type Metadata = InferenceSession['inputMetadata'];

function namesOnly(names: readonly string[]): Metadata {
  return names.map((name) => ({ name, isTensor: false })) as unknown as Metadata;
}

function tolerant(session: InferenceSession): InferenceSession {
  return new Proxy(session, {
    get(target, prop) {
      if (prop === 'inputMetadata' || prop === 'outputMetadata') {
        try {
          return Reflect.get(target, prop, target);
        } catch {
          return namesOnly(prop === 'inputMetadata' ? target.inputNames : target.outputNames);
        }
      }
      const v = Reflect.get(target, prop, target) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

let loaded: Promise<OrtWeb> | undefined;

/** The `all` build, imported once; `InferenceSession.create` returns metadata-tolerant sessions. */
export function importOrtAll(): Promise<OrtWeb> {
  return (loaded ??= import('onnxruntime-web/all').then((ort) => {
    const create = ((...args: unknown[]) =>
      (ort.InferenceSession.create as (...a: unknown[]) => Promise<InferenceSession>)(...args).then(tolerant)) as OrtWeb['InferenceSession']['create'];
    return { ...ort, InferenceSession: { ...ort.InferenceSession, create } } as unknown as OrtWeb;
  }));
}
