/**
 * RunRecords: what an environment measured for one target, as plain JSON. Environments only run
 * and record; the comparator judges records later (possibly on another machine).
 */
import type { BackendId, EnvKind } from '../backends/types.ts';
import type { EncodedTensor } from './tensor-codec.ts';

export const SCHEMA_VERSION = 1;

/** Variant names and what precision their tolerances follow. */
export const VARIANTS = {
  fp32: { precision: 'fp32' },
  fp16: { precision: 'fp16' },
  'int8-weight': { precision: 'int8' },
  'int8-dynamic': { precision: 'int8' },
  'int8-static': { precision: 'int8' },
  distilled: { precision: 'distilled' },
} as const;
export type VariantName = keyof typeof VARIANTS;
export const VARIANT_NAMES = Object.keys(VARIANTS) as VariantName[];
export type Precision = (typeof VARIANTS)[VariantName]['precision'];

export interface TargetSpec {
  /** `<model>:<variant>@<backend>[/<environment>]`, unique within a run. */
  id: string;
  model: string;
  variant: VariantName;
  backend: BackendId;
  environment: EnvKind;
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
  /** Wall-clock start time, ISO 8601. */
  startedAt: string;
}
