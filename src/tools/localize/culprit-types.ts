/**
 * Types of culprit ranking and its repro, part of `LocalizeReport` (types.ts re-exports
 * them): the nodes that create error beyond the precision's noise, the variant facts tied to them,
 * the final outputs' verdict, and what `--repro` writes. Pure types.
 */
import type { Precision } from '../../kernel/core/record.ts';
import type { Tensor, TensorMap } from '../../kernel/core/tensor.ts';
import type { Isolation, OptLevel, TensorError } from './types.ts';

/** The culprit alone, as `--repro` writes it (not part of localize.json). */
export interface ReproMaterial {
  node: string;
  op: string;
  /** Target tensor the one-node model outputs. */
  output: string;
  /** The one-node model (ONNX bytes), in the target's form. */
  model: Uint8Array;
  /** Per sample: the reference's values of the model's inputs, in the target's element types. */
  inputs: TensorMap[];
  /** Per sample: the reference's (fp32) value of the node's output. */
  expected: Tensor[];
  backend: string;
  graphOptimizationLevel: OptLevel;
  precision: Precision;
  /** The node's error in the graph, and alone, as localize measured them. */
  inGraph: TensorError;
  isolated?: TensorError;
}

/**
 * A variant fact tied to a culprit: a constant the fp16 conversion clamped (|x| > 65504) or flushed
 * (0 < |x| below float16's smallest subnormal), or a QuantizeLinear/DequantizeLinear whose scale
 * or zero point does not fit the tensor it quantizes.
 */
export interface CulpritCause {
  kind: 'clamped' | 'flushed' | 'qdq-scale' | 'qdq-zero-point' | 'activation-overflow' | 'cast-range' | 'constants' | 'qdq-range' | 'backend-kernel';
  /** The constant or quantized tensor. */
  tensor: string;
  /** Values clamped / flushed, or the share of values clipped (qdq), when counted. */
  count?: number;
  text: string;
  /** Noise-to-signal power this fact can add at the node, when estimated (see evidence.ts). */
  estimatedNsr?: number;
  /** QDQ: representable span / observed span of the tensor (≫ 1 wastes levels, < 1 clips). */
  rangeFactor?: number;
  /**
   * The fact can explain the size of the error measured at the node (estimate ≥ 10% of it). Absent
   * on facts from before evidence was weighed; false: stated as a fact, not as the cause.
   */
  explains?: boolean;
}

/**
 * A node that creates error beyond the precision's expected noise (`EXPECTED_NOISE`): its output's
 * SQNR against the reference falls more than `maxNodeSqnrDropDb` below its inputs' (capped at
 * `minSqnrDb + maxNodeSqnrDropDb`, so a clean input counts as exactly as clean as the precision
 * can be: a node lands here only when its output also falls below `minSqnrDb`), confirmed by
 * isolation on the reference's inputs.
 */
export interface Culprit {
  /** Index into `rows`; −1 for the quantization of a graph input (no row). */
  row: number;
  /** `node`: a reference node; `qdq`: the QuantizeLinear/DequantizeLinear of a tensor in the target. */
  kind?: 'node' | 'qdq';
  /** Noise power the node adds, as a share of its output's signal (linear; see `RowDrop.addedNsr`). */
  addedNsr?: number;
  /** Share of the final error removed when this node runs as the reference runs it (recovery.ts). */
  recoveredShare?: number;
  /** The final outputs pass with the fix applied. */
  passesWhenFixed?: boolean;
  /** How the recovery was made, in words. */
  recovery?: string;
  node: string;
  op: string;
  output: string;
  /** min SQNR over the node's activation inputs (constants left out); Infinity for graph inputs only. */
  inputSqnrDb: number;
  outputSqnrDb: number;
  /** min(inputSqnrDb, cap) − outputSqnrDb, dB (see the type's comment). */
  sqnrDropDb: number;
  /** The node alone on the reference's inputs: `created` and `mixed` confirm, `failed` could not check. */
  isolation: Isolation['verdict'];
  /** SQNR of the node alone (isolation), dB. */
  isolatedSqnrDb?: number;
  cause?: CulpritCause;
  /** Facts weighed but unable to explain the error's size (see `CulpritCause.explains`). */
  otherFacts?: CulpritCause[];
}

/** Accumulation: no single node recovers enough; the smallest set found that restores the gate. */
export interface AccumulationFix {
  /** Reference nodes (labels) of the set, in topological order. */
  nodes: string[];
  /** The ones the target changed (what `parity quantize --exclude-nodes` takes). */
  excludeNodes: string[];
  /** Share of the final error removed with the set at reference precision. */
  recoveredShare: number;
  /** The final gate passes with the set fixed. */
  passes: boolean;
  /** Recovery runs the search took. */
  trials: number;
  /** Ready to paste: `--exclude-nodes a,b,c`. */
  command: string;
  note: string;
}

/** One recovery measurement, as recorded. */
export interface RecoveryRecord {
  label: string;
  /** Reference nodes fixed, or the QDQ tensor. */
  nodes: string[];
  share: number;
  passes: boolean;
  finalNsr: number;
  failed?: string;
}

/** A final output of the (unmarked) target judged as `parity run` judges it. */
export interface FinalOutput {
  output: string;
  /** `unmarked`: the model as deployed; `marked`: the run with intermediates exposed (no unmarked run). */
  source: 'unmarked' | 'marked';
  maxAbs: number;
  sqnrDb: number;
  passed: boolean;
  /** Why it failed (the judge's reason), when not passed. */
  failures: string[];
  /** The role it was judged with (`ctc`, `classifier`, `tensor`...). */
  role?: string;
  /** `task` (role gates) or `tensor` (scale-free tensor check). */
  decidedBy?: 'task' | 'tensor';
  /** The deciding metric in words (`cer 0.97 > 0.05`). */
  decidingMetric?: string;
}
