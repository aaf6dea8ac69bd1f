/**
 * Default role gates per precision, as data: what each role must keep for a target to pass at the
 * level of the task. Chosen by role and precision only, never by backend or model. A user's gates
 * (`roleGates` in the config) replace a role's entry. Measurements behind each number: the note of
 * issue 20 and test/judge-*.test.ts.
 *
 * Principles: fp32 across runtimes changes no decision except exact ties (≥ 100 dB, measured);
 * fp16 may flip a decision sitting on its boundary; int8/int4 may move a few boundary decisions
 * but not the task. `ctc` is gated on the decoded sequences, not the per-step argmax: on PP-OCRv4
 * rec (16 rendered lines, ort-node/cpu) the healthy variants differ from fp32 only by spaces at a
 * line's edge or between words — CER vs fp32: fp16 0, int4-weight 0.009, int8-weight 0.026,
 * int8-static 0.043 — while broken int8-dynamic reads 13 of 16 lines empty, CER 0.98. The int8
 * gate (0.1) sits 2× above the worst healthy and 10× below the broken one. CER alone let through an
 * int8-dynamic file that read 7 of 16 lines at their own widths (CER 0.082), so `misreadRate` —
 * the share of lines that change inside, one edge token of jitter forgiven — is gated too: healthy
 * int8 measured 0 (int8-weight, int4-weight) and 3/16 = 0.19 (int8-static, an inner space dropped
 * on three lines); the int8 gate 0.25 lets at most a quarter of lines change.
 */
import type { Precision } from '../core/record.ts';
import type { RoleGate } from './judge-outputs-types.ts';
import type { RoleName } from './role-spec.ts';

type Table = Record<Exclude<RoleName, 'tensor'>, Record<Precision, readonly RoleGate[]>>;

const ge = (metric: string, threshold: number): RoleGate => ({ metric, op: '>=', threshold });
const le = (metric: string, threshold: number): RoleGate => ({ metric, op: '<=', threshold });

/** Per role, per precision: the gates on the role's task metrics (src/kernel/judge/role-*.ts name them). */
export const DEFAULT_ROLE_GATES: Table = {
  // KL(ref || target) in nats, mean over rows (test/compare-corpus.test.ts prints it): mnist-cnn fp32 on
  // other runtimes 1e-15..5e-14, fp16 2e-8, int8 2e-5..1.7e-4; planted fp16 faults that keep the argmax
  // (dense1.weight ×1.3, conv1.bias ×0) 3.5e-3..4.9e-3; broken int8 (sign flip, calibration ×255) 2.2..11.
  classifier: {
    fp32: [ge('top1Agreement', 0.99), le('kl', 1e-4)],
    fp16: [ge('top1Agreement', 0.98), le('kl', 1e-3)],
    int8: [ge('top1Agreement', 0.95), le('kl', 1e-2)],
    int4: [ge('top1Agreement', 0.9), le('kl', 2e-2)],
    distilled: [ge('top1Agreement', 0.9)],
  },
  binary: {
    fp32: [le('flipRate', 0.005)],
    fp16: [le('flipRate', 0.02)],
    int8: [le('flipRate', 0.05)],
    int4: [le('flipRate', 0.08)],
    distilled: [le('flipRate', 0.1)],
  },
  multilabel: {
    fp32: [le('flipRate', 0.005)],
    fp16: [le('flipRate', 0.02)],
    int8: [le('flipRate', 0.05)],
    int4: [le('flipRate', 0.08)],
    distilled: [le('flipRate', 0.1)],
  },
  ctc: {
    fp32: [le('cer', 0.005), le('misreadRate', 0.02)],
    fp16: [le('cer', 0.02), le('misreadRate', 0.1)],
    int8: [le('cer', 0.1), le('misreadRate', 0.25)],
    int4: [le('cer', 0.15), le('misreadRate', 0.3)],
    distilled: [le('cer', 0.2), le('misreadRate', 0.35)],
  },
  tokens: {
    fp32: [ge('top1Agreement', 0.99)],
    fp16: [ge('top1Agreement', 0.98)],
    int8: [ge('top1Agreement', 0.9)],
    int4: [ge('top1Agreement', 0.85)],
    distilled: [ge('top1Agreement', 0.8)],
  },
  embedding: {
    fp32: [ge('cosineP5', 0.9999)],
    fp16: [ge('cosineP5', 0.999)],
    int8: [ge('cosineP5', 0.98), ge('neighbourOverlap', 0.8)],
    int4: [ge('cosineP5', 0.95), ge('neighbourOverlap', 0.7)],
    distilled: [ge('cosineP5', 0.9), ge('neighbourOverlap', 0.6)],
  },
  regression: {
    fp32: [le('relMae', 1e-4)],
    fp16: [le('relMae', 1e-2)],
    int8: [le('relMae', 5e-2)],
    int4: [le('relMae', 0.1)],
    distilled: [le('relMae', 0.2)],
  },
  segmentation: {
    fp32: [ge('pixelAgreement', 0.999)],
    fp16: [ge('pixelAgreement', 0.99)],
    int8: [ge('pixelAgreement', 0.97), ge('mIoU', 0.9)],
    int4: [ge('pixelAgreement', 0.95), ge('mIoU', 0.85)],
    distilled: [ge('pixelAgreement', 0.9), ge('mIoU', 0.8)],
  },
  // PP-OCRv4 det (rendered pages, threshold 0.3): int8-dynamic / int8-static keep pixel positive IoU
  // 0.83 / 0.77 and every DB box (min box IoU 0.86–0.87, the task judge) — box unclipping forgives edge pixels.
  'score-map': {
    fp32: [ge('agreement', 0.999)],
    fp16: [ge('agreement', 0.995), ge('positiveIoU', 0.9)],
    int8: [ge('agreement', 0.98), ge('positiveIoU', 0.7)],
    int4: [ge('agreement', 0.95), ge('positiveIoU', 0.65)],
    distilled: [ge('agreement', 0.9), ge('positiveIoU', 0.6)],
  },
};

/**
 * Gates against labels, applied when the output has labels: the target may not lose more of the
 * task than this against the truth (a fraction, target − reference).
 */
export const DEFAULT_LABEL_GATES: Partial<Record<RoleName, Record<Precision, readonly RoleGate[]>>> = {
  classifier: {
    fp32: [ge('accuracyDelta', -0.005)],
    fp16: [ge('accuracyDelta', -0.01)],
    int8: [ge('accuracyDelta', -0.03)],
    int4: [ge('accuracyDelta', -0.05)],
    distilled: [ge('accuracyDelta', -0.05)],
  },
  ctc: {
    fp32: [le('cerDelta', 0.005)],
    fp16: [le('cerDelta', 0.01)],
    int8: [le('cerDelta', 0.03)],
    int4: [le('cerDelta', 0.05)],
    distilled: [le('cerDelta', 0.05)],
  },
};
