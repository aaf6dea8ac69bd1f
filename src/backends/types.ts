/** The one small interface every runtime adapter implements (see DESIGN.md, "Core interfaces"). */
import type { TensorMap, TensorSpec } from '../core/tensor.ts';

/** Every backend id the tool knows; types derive from this table. */
export const BACKEND_IDS = [
  'ort-node/cpu',
  'ort-web/wasm',
  'ort-web/webgl',
  'ort-web/webgpu',
  'tfjs/cpu',
  'tfjs/wasm',
  'tfjs/webgl',
  'tfjs/webgpu',
] as const;
export type BackendId = (typeof BACKEND_IDS)[number];

export const MODEL_FORMATS = ['onnx', 'tfjs'] as const;
export type ModelFormat = (typeof MODEL_FORMATS)[number];

export const ENV_KINDS = ['node', 'browser'] as const;
export type EnvKind = (typeof ENV_KINDS)[number];

/** Facts a backend reports about itself; every record carries them. */
export interface BackendInfo {
  /** Runtime library and version, e.g. `onnxruntime-node 1.30.0`. */
  library: string;
  version: string;
  /** Intra-op threads the runtime will use, when it says. */
  threads?: number;
  /** ORT graph optimization level in force (`disabled` | `basic` | `extended` | `all`). */
  graphOptimizationLevel?: string;
  /** Anything else worth recording (WebGPU adapter, WebGL renderer, SIMD...). */
  [key: string]: unknown;
}

export type Availability = { ok: true; info: BackendInfo } | { ok: false; reason: string };

/**
 * A model as bytes, the same for every environment. For TF.js, `files` maps each weight shard
 * path (relative to model.json) to its bytes.
 */
export type ModelSource =
  | { format: 'onnx'; name: string; bytes: Uint8Array }
  | { format: 'tfjs'; name: string; modelJson: unknown; files: Record<string, Uint8Array> };

export interface LoadOptions {
  /** ORT graph optimization level. Default `all`, as onnxruntime itself. */
  graphOptimizationLevel?: 'disabled' | 'basic' | 'extended' | 'all';
  /** Intra-op threads; default: the runtime's own choice. */
  threads?: number;
}

export interface Session {
  readonly inputs: readonly TensorSpec[];
  readonly outputs: readonly TensorSpec[];
  /** Runs once; results are read back into plain CPU tensors before resolving. */
  run(feeds: TensorMap): Promise<TensorMap>;
  dispose(): Promise<void>;
}

export interface Backend {
  readonly id: BackendId;
  readonly formats: readonly ModelFormat[];
  readonly environments: readonly EnvKind[];
  probe(): Promise<Availability>;
  load(model: ModelSource, options?: LoadOptions): Promise<Session>;
}
