/**
 * onnxruntime-web's `webgpu` build — what `import 'onnxruntime-web/webgpu'` gives a user: the
 * native WebGPU EP (`ort-wasm-simd-threaded.asyncify.*`), not the JSEP one of the `all` build.
 * A module of its own, with its own `ort.env`; imported once.
 */
type OrtWeb = typeof import('onnxruntime-web');

let loaded: Promise<OrtWeb> | undefined;

export function importOrtWebGpu(): Promise<OrtWeb> {
  return (loaded ??= import('onnxruntime-web/webgpu') as Promise<OrtWeb>);
}

/** How each onnxruntime-web build is named in `facts.ortBuild`. */
export const ORT_BUILDS = {
  all: 'onnxruntime-web/all (JSEP WebGPU, WebGL, wasm)',
  webgpu: 'onnxruntime-web/webgpu (native WebGPU EP)',
} as const;
