/**
 * RunRecords: what an environment measured for one target, as plain JSON. Environments only run
 * and record; the comparator judges records later (possibly on another machine).
 */
import type { BackendId, EnvKind } from './ids.ts';
import type { EncodedTensor } from './tensor-codec.ts';

export const SCHEMA_VERSION = 1;

/** Variant names and what precision their tolerances follow. */
export const VARIANTS = {
  fp32: { precision: 'fp32' },
  fp16: { precision: 'fp16' },
  'int8-weight': { precision: 'int8' },
  'int8-dynamic': { precision: 'int8' },
  'int8-static': { precision: 'int8' },
  'int4-weight': { precision: 'int4' },
  distilled: { precision: 'distilled' },
} as const;
/** A variant the tool makes or the manifest names. */
export type BuiltinVariant = keyof typeof VARIANTS;
/**
 * A target's variant: a built-in one, or a file the user shipped (`--variant NAME=FILE`, a
 * transformers.js folder's `model_q4.onnx` → `q4`), whose precision is inferred from its graph.
 */
export type VariantName = BuiltinVariant | (string & {});
export const VARIANT_NAMES = Object.keys(VARIANTS) as BuiltinVariant[];
export type Precision = (typeof VARIANTS)[BuiltinVariant]['precision'];
export const isBuiltinVariant = (v: string): v is BuiltinVariant => Object.hasOwn(VARIANTS, v);
const PRECISIONS: readonly string[] = [...new Set(Object.values(VARIANTS).map((v) => v.precision))];

/**
 * The precision a variant's tolerances follow: the built-in table's, or for a shipped file the one
 * inferred from its graph and recorded in `facts.variantPrecision`. Undefined when neither is known.
 */
export function variantPrecision(variant: VariantName, facts?: Record<string, unknown>): { precision: Precision } | undefined {
  if (isBuiltinVariant(variant)) return VARIANTS[variant];
  const p = facts?.variantPrecision;
  return typeof p === 'string' && PRECISIONS.includes(p) ? { precision: p as Precision } : undefined;
}

/**
 * Constraints a target runs under (`--cpu-throttle`, `--threads`, `--batch`); each swept value is
 * a target of its own, its id suffixed `[cpu×4,threads=2,batch=8]` (src/tools/run/settings.ts).
 */
export interface TargetSettings {
  /** Chromium CPU slowdown factor (CDP `Emulation.setCPUThrottlingRate`); browser targets only. */
  cpuThrottle?: number;
  /** Intra-op / wasm threads. */
  threads?: number;
  /** Samples per run, concatenated along the free batch dim. */
  batch?: number;
}

/** The values each setting is swept over (src/tools/run/settings.ts); an empty list is no sweep. */
export interface SettingSweeps {
  /** CPU slowdown factors for browser targets (1 is the unthrottled target). @default [] */
  cpuThrottle: readonly number[];
  /** Thread counts for the backends whose thread pool a run can set. @default [] */
  threads: readonly number[];
  /** Samples per run (1 is the unbatched target). @default [] */
  batch: readonly number[];
}

export interface TargetSpec {
  /** `<model>:<variant>@<backend>[/<environment>][settings]`, unique within a run. */
  id: string;
  model: string;
  variant: VariantName;
  backend: BackendId;
  environment: EnvKind;
  /** Constraints this target ran under. Default none (the machine as it is). */
  settings?: TargetSettings;
}

/** Time per op type over the profiled runs (`--profile`), most expensive first. */
export interface OpProfile {
  /** Where the numbers come from, e.g. `onnxruntime session profiling`, `tf.profile`. */
  source: string;
  /** Profiled runs the times add up over. */
  runs: number;
  /** Op type, total ms over `runs`, share of the summed op time (0..1). */
  top: { op: string; ms: number; share: number }[];
  /** Set when this backend cannot profile (the reason); `top` is then empty. */
  unavailable?: string;
}

/** Memory a target used, bytes; each figure only where the environment can tell. */
export interface TargetMemory {
  /** Peak Node resident set size sampled during the target (Node targets). */
  peakRssBytes?: number;
  /** Growth of the RSS over the target (peak − at start). */
  rssGrowthBytes?: number;
  /** Peak JS heap in use (Node `heapUsed`, Chromium `performance.memory.usedJSHeapSize`). */
  peakJsHeapBytes?: number;
  /** WebAssembly heap of the runtime (its linear memory). */
  wasmHeapBytes?: number;
  /** tfjs `tf.memory().numBytes` while the model is loaded. */
  tfjsBytes?: number;
  /** tfjs `tf.memory().numBytesInGPU` (WebGL/WebGPU). */
  gpuBytes?: number;
}

export interface Timings {
  /** Session creation, ms. */
  loadMs: number;
  /** The first run (includes lazy init, shader compilation...), ms. */
  firstRunMs: number;
  /** Warm runs, ms, in order. */
  runMs: number[];
  /** True when readback to CPU memory is inside each timed run. */
  readbackIncluded: boolean;
  /** Why warm runs stopped: the CI of the median got narrow enough, or the budget ran out. */
  stopReason?: 'converged' | 'budget' | 'max-iterations';
  /** Samples per timed run (`--batch`); `runMs` are then per batch. Default 1. */
  batch?: number;
}

export type RecordStatus = 'ok' | 'skipped' | 'error';

export interface RunRecord {
  schemaVersion: number;
  target: TargetSpec;
  status: RecordStatus;
  /** Why skipped or errored. */
  reason?: string;
  errorCode?: string;
  /** Environment facts: library versions, threads, user agent, GPU adapter... */
  facts: Record<string, unknown>;
  /** Bytes of the model this target loaded. */
  modelBytes?: number;
  /** outputs[name][sample]: one tensor per output per sample, same sample order for every target. */
  outputs?: Record<string, EncodedTensor[]>;
  timings?: Timings;
  /** Per-op times (`--profile`). */
  profile?: OpProfile;
  /** Memory figures the environment could read. */
  memory?: TargetMemory;
  /** Wall-clock start time, ISO 8601. */
  startedAt: string;
}
