/**
 * Image pipelines: one column holds each record's pixels as a flat number array in the declared
 * input layout (HWC for `NHWC`, CHW for `NCHW`); steps scale values to a range, normalize per
 * channel and choose the output layout. Pure: no Node imports.
 */
import { ParityError } from '../../kernel/core/errors.ts';
import type { Round } from './apply-tabular.ts';
import { FITTED_FORMAT, type FittedImage, type FittedImageStep } from './fitted.ts';
import type { ImageSpec } from './spec.ts';
import { roundingOf } from './transform-tabular.ts';
import type { FeatureMatrix, RawRow, TransformMode } from './types.ts';

type Input = ImageSpec['input'];

function pixels(rows: readonly RawRow[], input: Input, r: Round): Float64Array[] {
  const n = input.height * input.width * input.channels;
  return rows.map((row, i) => {
    const v = row[input.column];
    const arr = Array.isArray(v) || ArrayBuffer.isView(v) ? (v as ArrayLike<number>) : undefined;
    if (!arr || arr.length !== n) {
      throw new ParityError(
        'INPUT_DATA',
        `image pipeline: row ${i + 1} column '${input.column}' must hold ${n} numbers (${input.height}x${input.width}x${input.channels}), got ${arr ? arr.length : typeof v}`,
        { row: i },
      );
    }
    const out = new Float64Array(n);
    for (let k = 0; k < n; k++) out[k] = r(Number(arr[k]));
    return out;
  });
}

/** Channel of flat index k in the input layout. */
function channelOf(input: Input): (k: number) => number {
  const hw = input.height * input.width;
  return input.layout === 'NHWC' ? (k) => k % input.channels : (k) => Math.floor(k / hw);
}

function applyImageStep(imgs: Float64Array[], step: FittedImageStep, input: Input, r: Round): void {
  const ch = channelOf(input);
  if (step.op === 'scale') {
    const [a, b] = step.from ?? [0, 255];
    const [lo, hi] = step.to;
    const span = r(b - a),
      w = r(hi - lo),
      ra = r(a),
      rlo = r(lo);
    for (const img of imgs) for (let k = 0; k < img.length; k++) img[k] = r(r(r(r(img[k]! - ra) / span) * w) + rlo);
  } else if (step.op === 'normalize') {
    const m = step.mean.map(r),
      s = step.std.map(r);
    for (const img of imgs) for (let k = 0; k < img.length; k++) img[k] = r(r(img[k]! - m[ch(k)]!) / s[ch(k)]!);
  }
}

function channelStats(imgs: Float64Array[], input: Input): { mean: number[]; std: number[] } {
  const ch = channelOf(input);
  const sum = new Float64Array(input.channels),
    sq = new Float64Array(input.channels),
    cnt = new Float64Array(input.channels);
  for (const img of imgs)
    for (let k = 0; k < img.length; k++) {
      sum[ch(k)]! += img[k]!;
      cnt[ch(k)]!++;
    }
  const mean = [...sum].map((s, c) => s / cnt[c]!);
  for (const img of imgs) for (let k = 0; k < img.length; k++) sq[ch(k)]! += (img[k]! - mean[ch(k)]!) ** 2;
  return { mean, std: [...sq].map((s, c) => Math.sqrt(s / cnt[c]!) || 1) };
}

export function fitImage(spec: ImageSpec, rows: readonly RawRow[]): FittedImage {
  if (rows.length === 0) throw new ParityError('INPUT_DATA', 'cannot fit a pipeline on zero rows');
  const imgs = pixels(rows, spec.input, (x) => x);
  const steps = spec.steps.map((step, i): FittedImageStep => {
    let fitted: FittedImageStep;
    if (step.op === 'normalize') {
      const stats = step.mean === 'fit' || step.std === 'fit' ? channelStats(imgs, spec.input) : undefined;
      const mean = step.mean === 'fit' ? stats!.mean : step.mean;
      const sd = step.std === 'fit' ? stats!.std : step.std;
      if (mean.length !== spec.input.channels || sd.length !== spec.input.channels) {
        throw new ParityError(
          'CONFIG_INVALID',
          `steps[${i}] (normalize): 'mean' and 'std' need ${spec.input.channels} values (one per channel), got ${mean.length} and ${sd.length}`,
          { step: i },
        );
      }
      fitted = { op: 'normalize', mean, std: sd };
    } else fitted = step;
    applyImageStep(imgs, fitted, spec.input, (x) => x);
    return fitted;
  });
  return {
    format: FITTED_FORMAT,
    version: 1,
    kind: 'image',
    ...(spec.name ? { name: spec.name } : {}),
    input: spec.input,
    steps,
    ...(spec.label ? { label: { column: spec.label.column, classes: spec.label.classes ?? [] } } : {}),
    fittedOn: { rows: rows.length },
  };
}

export function transformImage(fitted: FittedImage, rows: readonly RawRow[], mode: TransformMode): FeatureMatrix {
  const r = roundingOf(mode);
  const { input } = fitted;
  const imgs = pixels(rows, input, r);
  for (const step of fitted.steps) applyImageStep(imgs, step, input, r);
  const layoutStep = [...fitted.steps].reverse().find((s) => s.op === 'layout');
  const to = layoutStep && layoutStep.op === 'layout' ? layoutStep.to : input.layout;
  const { height: H, width: W, channels: C } = input;
  const n = H * W * C;
  const out = mode === 'serving' ? new Float32Array(rows.length * n) : new Float64Array(rows.length * n);
  const names: string[] = [];
  // Output index for (c, y, x) in the target layout; input index in the source layout.
  const idx = (layout: string, c: number, y: number, x: number): number => (layout === 'NHWC' ? (y * W + x) * C + c : (c * H + y) * W + x);
  for (let c = 0; c < C; c++) for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) names[idx(to, c, y, x)] = `${input.column}[c${c},y${y},x${x}]`;
  imgs.forEach((img, i) => {
    for (let c = 0; c < C; c++) for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) out[i * n + idx(to, c, y, x)] = img[idx(input.layout, c, y, x)]!;
  });
  return { features: out, rows: rows.length, cols: n, featureNames: names, sampleDims: to === 'NHWC' ? [H, W, C] : [C, H, W], mode };
}
