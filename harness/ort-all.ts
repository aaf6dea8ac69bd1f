/** onnxruntime-web's `all` build (wasm + webgl + webgpu in one module, one `ort.env`), imported once. */
type OrtWeb = typeof import('onnxruntime-web');

let loaded: Promise<OrtWeb> | undefined;

export function importOrtAll(): Promise<OrtWeb> {
  return (loaded ??= import('onnxruntime-web/all') as Promise<OrtWeb>);
}
