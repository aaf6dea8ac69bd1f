/**
 * Types of the one judge entry point, `judgeOutputs` (src/kernel/judge/judge-outputs.ts): what a
 * caller hands over (reference and target outputs, roles, precision) and what it gets back
 * (per-output tensor metrics, task metrics, gates, pass/fail and which level decided). Pure data.
 */
import type { Precision } from '../core/record.ts';
import type { FlatOutput } from './float-data.ts';
import type { ResolvedRole, RoleSource, RoleSpec } from './role-spec.ts';
import type { GateResult, NoiseFloor, OutputMetrics, TolerancePolicy } from './types.ts';

/** Labels for one output's task: a class index per row (classifier/binary), or a token-id sequence per sample (ctc/tokens). */
export type TaskLabels = readonly number[] | readonly (readonly number[])[];

/** A role-level gate: `metric op threshold` on the role's task metrics (e.g. `cer <= 0.05`). */
export interface RoleGate {
  metric: string;
  op: '>=' | '<=';
  threshold: number;
}

export interface JudgeOutputsOptions {
  /** Reference outputs by name (every sample concatenated; `flattenSamples` / `tensorsToFlat` build this). */
  reference: Record<string, FlatOutput>;
  /** Target outputs by name, same samples in the same order. */
  target: Record<string, FlatOutput>;
  /** The target's precision: picks the default gates and tolerances. */
  precision: Precision;
  /** Declared roles by output name (manifest, config, `--task`); others are inferred. @default {} */
  roles?: Record<string, RoleSpec & { source?: RoleSource; evidence?: string }>;
  /** Labels by output name: enables task metrics against the truth (accuracy Δ, CER vs labels). @default none */
  labels?: Record<string, TaskLabels>;
  /** Tensor tolerances. @default DEFAULT_TOLERANCE_POLICY (scale-free, by precision) */
  policy?: TolerancePolicy;
  /** Role gates replacing the defaults, by role name. @default DEFAULT_ROLE_GATES (src/kernel/judge/role-default-gates.ts) */
  roleGates?: Partial<Record<string, Partial<Record<Precision, readonly RoleGate[]>>>>;
  /** The measured fp32 noise floor per output (a second fp32 backend), shown beside every error. @default none */
  noiseFloor?: Record<string, NoiseFloor>;
}

/** Task metrics of one output under its role: named numbers (`cer`, `exactMatch`, `flipRate`, `top1Agreement`...). */
export interface RoleMetrics {
  role: ResolvedRole['role'];
  /** Target vs reference. */
  metrics: Record<string, number>;
  /** Against labels when given: reference and target scores (`referenceCer`, `targetCer`, `accuracyDelta`...). */
  labels?: Record<string, number>;
  /** Up to 3 examples of disagreement, in words (`sample 2: ref "上海" target ""`). */
  examples?: string[];
  /** Why these metrics may mean little (e.g. every reference decision is the same). The run puts them in the target's `warnings`. */
  warnings?: string[];
}

/** How one output was judged. */
export interface OutputJudgement {
  role: ResolvedRole;
  /** Scale-free tensor metrics (SQNR, elementwise vs RMS-relative tolerance), `noiseFloor` attached when known. */
  tensor: OutputMetrics;
  /** Set when the tensor check is an outright collapse (non-finite, shape, SQNR under the collapse floor): fails even when the task passes. */
  collapse?: string;
  /** Task metrics (absent for role `tensor`, or when the output could not be compared). */
  task?: RoleMetrics;
  /** The role gates evaluated on `task` (empty for role `tensor`). */
  gates: GateResult[];
  passed: boolean;
  /** Which level decided: `task` (role gates; tensor only vetoes a collapse) or `tensor` (no task role). */
  decidedBy: 'task' | 'tensor';
  /** The deciding metric in words, e.g. `cer 0.98 > 0.05` or `sqnrDb 131 >= 70`. */
  decidingMetric: string;
  /** Why it failed, one line (absent when passed). */
  reason?: string;
}

export interface JudgeOutputsResult {
  /** Every output passed. */
  passed: boolean;
  outputs: Record<string, OutputJudgement>;
  /** `task` when any output was decided by its task, else `tensor`. */
  decidedBy: 'task' | 'tensor';
  /** One line per failed output. */
  reasons: string[];
}
