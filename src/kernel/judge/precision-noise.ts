/**
 * The noise each precision is expected to add, as data: the whole-tensor criteria the verdict and
 * `localize` use beside elementwise tolerances. Chosen by precision, never by backend. Pure.
 *
 * SQNR (signal-to-quantization-noise ratio, dB) = 10·log10(Σref² / Σ(ref−out)²) measures error
 * relative to the tensor's own energy, so it neither alarms on deep-model reassociation noise (fp32
 * across runtimes: 100–140 dB) nor passes a real gap hidden by a small absolute scale.
 */
import type { Precision } from '../core/record.ts';

export interface PrecisionNoise {
  /** An output whose SQNR against the reference is at least this is within the precision's noise. */
  minSqnrDb: number;
  /** A single node that lowers SQNR by more than this (inputs → output) creates error beyond noise. */
  maxNodeSqnrDropDb: number;
  /**
   * Below this SQNR an output with a task role has collapsed: the target fails even when its task
   * gates pass (the role's decisions survived by luck of these inputs). fp32: 60 dB — another runtime
   * measures 100–140 dB, a 1% weight error 32–52 dB, so no fp32 bug hides behind agreeing decisions.
   * fp16: 15 dB (PP-OCRv4 rec fp16 measures 25.8 dB and reads 16/16 lines as fp32). int8 5 dB, int4
   * 3 dB (healthy int8 12.8–47 dB; broken: int8-dynamic on PP-OCRv4 rec 2.1 dB, a sign-flipped
   * layer −2 dB, wrong calibration scale 0.5 dB).
   */
  collapseSqnrDb: number;
}

/**
 * Measured in test/compare-corpus.test.ts (real runtimes; `npx vitest run test/compare-corpus.test.ts`):
 * - fp32: reassociation/FMA noise stays above ~100 dB (mnist-cnn across ort-node, ort-web/wasm, tfjs
 *   cpu/wasm 134–144 dB; ocr-cls conv maps 114–118 dB; a deep tfjs CNN cpu vs wasm 127 dB); a 1%
 *   weight error gives 32–52 dB. 70 dB sits between.
 * - fp16: 11-bit mantissa, one rounding ≈ 60 dB; a healthy deep fp16 model keeps ~40–50 dB at its output
 *   (mnist-cnn 81 dB, ocr-cls 49 dB, a healthy detector-like map 47 dB), a broken one (clamped
 *   statistics) falls to single digits. 30 dB sits between.
 * - int8: one 8-bit step over a tensor's range ≈ 40 dB per tensor; compounding leaves ~15–30 dB
 *   (mnist-cnn int8-static 19 dB, ocr-cls int8-dynamic 27 dB; int8 calibrated at the wrong input
 *   scale 0.5 dB, a sign-flipped layer −2 dB). 12 dB.
 * - int4 (block-wise weight-only): 15 levels per block ≈ 20–25 dB per weight tensor, less after a few
 *   layers. 10 dB.
 * - distilled: a different model; elementwise noise is not defined (decision/task gates judge it).
 */
export const EXPECTED_NOISE: Readonly<Record<Precision, PrecisionNoise>> = {
  fp32: { minSqnrDb: 70, maxNodeSqnrDropDb: 30, collapseSqnrDb: 60 },
  fp16: { minSqnrDb: 30, maxNodeSqnrDropDb: 20, collapseSqnrDb: 15 },
  int8: { minSqnrDb: 12, maxNodeSqnrDropDb: 20, collapseSqnrDb: 5 },
  int4: { minSqnrDb: 10, maxNodeSqnrDropDb: 25, collapseSqnrDb: 3 },
  distilled: { minSqnrDb: -Infinity, maxNodeSqnrDropDb: Infinity, collapseSqnrDb: -Infinity },
};
