/**
 * The fixed id tables every layer shares — backend ids, environment kinds, model formats, ORT
 * graph optimization levels — as `as const` tables with their types derived from them. They sit
 * in core so records, config, compare and backends all name them without importing each other.
 */

/**
 * Every backend id the tool knows; types derive from this table. `ort-web/webgpu` is the native
 * WebGPU EP (`import 'onnxruntime-web/webgpu'`), `ort-web/webgpu-jsep` the JSEP one of
 * `onnxruntime-web/all`; `tfjs/webgl-f16` forces half-float textures (WEBGL_FORCE_F16_TEXTURES,
 * as mobile GPUs without float32 render targets), `tfjs/webgl-nopack` turns WEBGL_PACK off.
 * `ort-web-1.29/wasm` is the previous onnxruntime-web minor (npm alias `onnxruntime-web-prev`),
 * so "did upgrading the runtime change my outputs?" is one run.
 */
export const BACKEND_IDS = [
  'ort-node/cpu',
  'ort-web/wasm',
  'ort-web/webgl',
  'ort-web/webgpu',
  'ort-web/webgpu-jsep',
  'ort-web/webnn',
  'ort-web-1.29/wasm',
  'tfjs/cpu',
  'tfjs/wasm',
  'tfjs/webgl',
  'tfjs/webgl-f16',
  'tfjs/webgl-nopack',
  'tfjs/webgpu',
] as const;
export type BackendId = (typeof BACKEND_IDS)[number];

/**
 * Diagnostic backends that run only when named (`--backends`, config `backends`): a second build
 * of a backend that runs by default, emulated precision flags, the previous runtime version. They
 * answer a specific question ("is it the JSEP build?", "do mobile half-float textures break it?",
 * "did the upgrade change my outputs?"); running them by default would double the browser suite.
 */
export const OPT_IN_BACKENDS: readonly BackendId[] = ['ort-web/webgpu-jsep', 'ort-web-1.29/wasm', 'tfjs/webgl-f16', 'tfjs/webgl-nopack'];

/** Model file formats a backend can load. */
const MODEL_FORMATS = ['onnx', 'tfjs'] as const;
export type ModelFormat = (typeof MODEL_FORMATS)[number];

/** Where a backend runs. */
const ENV_KINDS = ['node', 'browser'] as const;
export type EnvKind = (typeof ENV_KINDS)[number];

/** ORT graph optimization levels, lowest first (onnxruntime's own default is `all`). */
export const OPTIMIZATION_LEVELS = ['disabled', 'basic', 'extended', 'all'] as const;
export type OptimizationLevel = (typeof OPTIMIZATION_LEVELS)[number];
