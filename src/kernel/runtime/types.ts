/** The one small interface every runtime adapter implements (see DESIGN.md, "Core interfaces"). */
import type { BackendId, EnvKind, ModelFormat, OptimizationLevel } from '../core/ids.ts';
import type { OpProfile, TargetMemory } from '../core/record.ts';
import type { TensorMap, TensorSpec } from '../core/tensor.ts';

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
  { format: 'onnx'; name: string; bytes: Uint8Array } | { format: 'tfjs'; name: string; modelJson: unknown; files: Record<string, Uint8Array> };

export interface LoadOptions {
  /** ORT graph optimization level. Default `all`, as onnxruntime itself. */
  graphOptimizationLevel?: OptimizationLevel;
  /** Intra-op threads; default: the runtime's own choice. */
  threads?: number;
  /** Load for profiling (`--profile`): the session gets a working `profile`. Default false. */
  profile?: boolean;
}

export interface Session {
  readonly inputs: readonly TensorSpec[];
  readonly outputs: readonly TensorSpec[];
  /** Runs once; results are read back into plain CPU tensors before resolving. */
  run(feeds: TensorMap): Promise<TensorMap>;
  /**
   * Facts learned while loading and running, merged into the target's record: e.g. `fixedShape`
   * (the dims of a fixed-shape copy the backend ran) or `fallbackNodes` (nodes placed on another EP).
   */
  facts?(): Record<string, unknown> | Promise<Record<string, unknown>>;
  /**
   * Awaited between runs, outside every timing (the benchmark page's sessions yield to the event
   * loop here so the page stays responsive). Default: none.
   */
  between?(): Promise<void>;
  /**
   * Runs `feeds` `runs` times under the runtime's profiler and returns the op-type times. Only
   * on sessions loaded with `profile: true`; absent where the runtime has no profiler.
   */
  profile?(feeds: TensorMap, runs: number): Promise<OpProfile>;
  /** Memory the runtime can report now (tfjs `tf.memory()`, a wasm heap). */
  memory?(): Partial<TargetMemory>;
  dispose(): Promise<void>;
}

export interface Backend {
  readonly id: BackendId;
  readonly formats: readonly ModelFormat[];
  readonly environments: readonly EnvKind[];
  probe(): Promise<Availability>;
  load(model: ModelSource, options?: LoadOptions): Promise<Session>;
}
