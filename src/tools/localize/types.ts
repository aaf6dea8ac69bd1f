/**
 * Public types of `parity localize`: what the core takes ({@link LocalizeOptions}) and the plain
 * JSON record it returns ({@link LocalizeReport}, the body of localize.json). Pure types.
 */
import type { Backend, LoadOptions } from '../../kernel/runtime/types.ts';
import type { Tolerance } from '../../kernel/judge/types.ts';
import type { JudgeOutputsOptions } from '../../kernel/judge/judge-outputs.ts';
import type { Verdict } from '../../kernel/judge/verdict.ts';
import type { Precision } from '../../kernel/core/record.ts';
import type { TensorMap } from '../../kernel/core/tensor.ts';
import type { AccumulationFix, Culprit, FinalOutput, RecoveryRecord, ReproMaterial } from './culprit-types.ts';

export type * from './culprit-types.ts';

/** ORT graph optimization levels (recorded with each side). */
export type OptLevel = NonNullable<LoadOptions['graphOptimizationLevel']>;

/** One side of the comparison: an ONNX model and the backend that runs it. */
export interface LocalizeSide {
  /** The ONNX model bytes (self-contained: external data inlined). */
  model: Uint8Array;
  /** Any backend that loads ONNX (ort-node/cpu, ort-web/wasm, webgl, webgpu...). */
  backend: Backend;
  /** Name for the report. Default `reference.onnx` / `target.onnx`. */
  name?: string;
  /**
   * Graph optimization level. Default: `disabled` for the reference (every node runs as written,
   * so each intermediate is that node's ONNX semantics), `all` for the target (as deployed).
   */
  graphOptimizationLevel?: OptLevel;
}

/** Options of {@link localize}. */
export interface LocalizeOptions {
  /** The fp32 model on the reference backend (usually ort-node/cpu). */
  reference: LocalizeSide;
  /** The variant and/or other backend. */
  target: LocalizeSide;
  /** Identical inputs for both sides, one feeds map per sample (at least one). */
  feeds: readonly TensorMap[];
  /** Where the feeds came from, for the report. Default `given feeds`. */
  feedsSource?: string;
  /** Precision the target's tolerance follows. Default: detected from the target graph (`detectPrecision`). */
  precision?: Precision;
  /** Per-node tolerance: the fields given replace those of `DEFAULT_TOLERANCES[precision]`. Default: that entry. */
  tolerance?: Partial<Tolerance>;
  /**
   * With an `elemwise` tolerance, the fraction of elements allowed outside it before a node
   * counts as divergent. Default 0 (any element).
   */
  maxMismatchFraction?: number;
  /** fp16 range hazard threshold as a fraction of 65504. Default {@link DEFAULT_HAZARD_FRACTION}. */
  hazardFraction?: number;
  /** Re-run the first divergent (and first non-finite) node alone on the target. Default true. */
  isolate?: boolean;
  /** Also run the unmarked target model and compare its final outputs. Default true. */
  checkMarking?: boolean;
  /**
   * Candidates for culprit (nodes whose SQNR drop exceeds the precision's expected noise) re-run
   * alone to confirm them, most damaging first. Default {@link MAX_CULPRIT_ISOLATIONS}.
   */
  maxCulpritIsolations?: number;
  /**
   * Called once with the top culprit's one-node model, its recorded inputs and the reference's
   * expected outputs (what `--repro` writes). Not called when there is no culprit. Default: none.
   */
  onRepro?: (material: ReproMaterial) => void;
  /**
   * The calibration data of an int8-static target, named in QDQ-range causes. Default: the
   * target's `parity.calibration` metadata, else "not recorded in the variant".
   */
  calibrationSource?: string;
  /** Declared output roles for the final judge (`judgeOutputs`); others are inferred. Default: inferred. */
  roles?: JudgeOutputsOptions['roles'];
  /**
   * When no single node's fix restores the final gate, search the smallest set of nodes that does
   * (`accumulate.ts`; a few dozen recovery runs). Default true.
   */
  accumulate?: boolean;
  /** Called with progress lines. Default: silent. */
  log?: (line: string) => void;
}

/** Model metadata key naming the calibration data a variant was calibrated on. */
export const CALIBRATION_METADATA = 'parity.calibration';

/** Default of {@link LocalizeOptions.maxCulpritIsolations}. */
export const MAX_CULPRIT_ISOLATIONS = 8;

/**
 * Default fp16 range hazard threshold: 0.5 × 65504 = 32752. A value there is one doubling (a
 * residual add of similar size, x·2, a sum of squares over two elements) from overflowing to Inf,
 * and float16 spacing at 32768 is already 32, so it is flagged even when the outputs stay finite.
 */
export const DEFAULT_HAZARD_FRACTION = 0.5;

/** Flags a node row can carry. */
export const ROW_FLAGS = {
  'fp16-range': 'the reference reaches |x| ≥ hazard threshold (fp16 range hazard)',
  'fp16-overflow': 'the reference exceeds 65504 (does not fit float16 at all)',
  'nonfinite-new': 'the target has NaN/Inf where the reference is finite',
  'leaves-tolerance': 'the error exceeds the tolerance',
} as const;
export type RowFlag = keyof typeof ROW_FLAGS;

/** Error of one tensor: a subset of OutputMetrics plus what localization adds. */
export interface TensorError {
  elements: number;
  maxAbs: number;
  meanAbs: number;
  cosine: number;
  sqnrDb: number;
  /** Fraction of elements outside the tolerance (NaN counts). */
  mismatchFraction: number;
  /** Elements where the target is NaN/Inf and the reference finite. */
  newNonFinite: number;
  /** Outside tolerance (see `LocalizeOptions.maxMismatchFraction`) or new NaN/Inf. */
  leaves: boolean;
  /** RMS of the reference over its finite elements (SQNR means little at or below atol). */
  referenceRms?: number;
  /** Why it could not be compared (shape mismatch...); numbers are NaN then. */
  reason?: string;
}

/** How a reference tensor is re-quantized in the target (X → QuantizeLinear → DequantizeLinear). */
export interface QdqInfo {
  /** The DequantizeLinear output consumers read. */
  tensor: string;
  /** The QuantizeLinear node. */
  quantizeNode: string;
  /** Per-tensor scale and zero point when constant. */
  scale?: number;
  zeroPoint?: number;
  /** Reference vs the dequantized value (what consumers of the tensor read). */
  error?: TensorError;
}

/** One row of the per-node table: one float output of one reference node. */
export interface NodeRow {
  /** Position in the reference's topological order (0-based, Constant nodes left out). */
  index: number;
  /** Node name (its first output when unnamed). */
  node: string;
  /** Op type; `domain::Op` outside the default domain. */
  op: string;
  /** Reference tensor name. */
  output: string;
  /** Target tensor it is paired with; undefined when unpaired. */
  targetTensor?: string;
  /** Element type of the target tensor (`float16` in fp16 graphs). */
  targetDtype?: string;
  /** max |reference|, over finite elements. */
  refMaxAbs: number;
  /** Undefined when unpaired. */
  error?: TensorError;
  /** Present when the target re-quantizes this tensor; attributed to its consumers (see README). */
  qdq?: QdqInfo;
  flags: RowFlag[];
  /**
   * SQNR this node loses from its activation inputs to its output (see {@link Culprit}), dB;
   * undefined when it cannot be measured (not float, not compared, reference at the noise floor).
   */
  sqnrDropDb?: number;
  /**
   * Noise power the node adds, as a share of its output's signal power (linear: 10^(−out/10) −
   * 10^(−in/10), ≥ 0; Infinity when NaN/Inf appear). What culprits are ranked by; undefined with `sqnrDropDb`.
   */
  addedNsr?: number;
  /** Leaves tolerance, NaN/Inf appears, or (fp16 targets) a range hazard (shown in red; the verdict is `LocalizeReport.flagged`). */
  flagged: boolean;
  /** Why not compared. */
  reason?: string;
}

/** Re-running one node alone on the reference's inputs for it. */
export interface Isolation {
  row: number;
  node: string;
  output: string;
  /** Target nodes in the one-node model (the node plus its Q/DQ, Cast and constant feeders). */
  nodes: string[];
  /** Tensors fed with the reference's values (converted to the target's dtype). */
  inputs: string[];
  /** How far the target's own values of those inputs were off in the graph (rows of the table). */
  upstream: { output: string; node: string; maxAbs: number; leaves: boolean }[];
  inGraph: TensorError;
  isolated?: TensorError;
  /** isolated.maxAbs / inGraph.maxAbs. */
  ratio?: number;
  /**
   * `created`: the node alone, in the target's form, makes at least half its in-graph error (max
   * abs); `inherited`: alone it makes less and stays within tolerance (the error comes from
   * upstream); `mixed`: alone it makes less but still leaves tolerance; `failed`: the one-node
   * model could not be built or run (see `explanation`).
   */
  verdict: 'created' | 'inherited' | 'mixed' | 'failed';
  explanation: string;
}

/** Final outputs of the marked run vs the unmarked model (marking can change fusion). */
export interface MarkingCheck {
  /** Output → max |unmarked − marked| of the target. */
  targetMaxAbs: Record<string, number>;
  /** Output → max |unmarked target − reference|: the error of the model as deployed. */
  unmarkedVsReference: Record<string, number>;
  /** True when some output differs at all. */
  changed: boolean;
  note: string;
}

/** Facts about one side, as recorded. */
export interface SideFacts {
  model: string;
  backend: string;
  graphOptimizationLevel: OptLevel;
  /** Tensors exposed as extra graph outputs. */
  exposed: number;
  /** Values that could not be exposed, with reasons. */
  skipped: { name: string; reason: string }[];
}

/** What `localize` returns; written as localize.json. */
export interface LocalizeReport {
  schemaVersion: 1;
  createdAt: string;
  reference: SideFacts;
  target: SideFacts & { precision: Precision };
  samples: number;
  feedsSource: string;
  tolerance: Tolerance;
  maxMismatchFraction: number;
  /** |x| threshold of the fp16 range hazard. */
  hazardThreshold: number;
  rows: NodeRow[];
  /** Index into `rows` of the first row that leaves tolerance (or gets NaN/Inf). */
  firstDivergent?: number;
  /** Index into `rows` of the first row where NaN/Inf appears in the target only. */
  firstNonFinite?: number;
  /** Recovery runs (`recovery.ts`): the share of the final error each fix removes, candidates first, then the accumulation search. */
  recoveries?: RecoveryRecord[];
  /** When no single node recovers enough: the smallest set found that restores the final gate. */
  accumulation?: AccumulationFix;
  /** Quantization of graph inputs in the target (Q/DQ on an input): the dequantized value vs the input. */
  inputQdq?: { input: string; tensor: string; quantizeNode: string; scale?: number; zeroPoint?: number; error: TensorError; addedNsr: number }[];
  /** Rows flagged as fp16 range hazards. */
  hazards: number[];
  isolations: Isolation[];
  /**
   * Nodes that create error beyond the precision's expected noise, confirmed by isolation, best
   * first (created before mixed before failed isolations, then by SQNR drop). The headline names
   * `culprits[0]`; the first row out of elementwise tolerance (`firstDivergent`) may differ.
   */
  culprits: Culprit[];
  /** Candidates rejected because the node alone stays within noise (its error is inherited). */
  rejected: { row: number; node: string; sqnrDropDb: number }[];
  /** The target's final outputs judged with the precision's tolerance (elementwise budget and SQNR floor). */
  finalOutputs: FinalOutput[];
  marking?: MarkingCheck;
  /**
   * True (exit 1) when a final output fails the precision's tolerance or a node creates error
   * beyond the precision's expected noise (`culprits` not empty) — what `parity run` would fail.
   */
  flagged: boolean;
  /** The common verdict (`buildVerdict`): exit 1 when a final output fails. `flagged` is `!verdict.ok` (kept for the page and renderers). */
  verdict: Verdict<{ outputs: number; failing: number; culprits: number }>;
  headline: string;
  notes: string[];
  timings: Record<string, number>;
}
