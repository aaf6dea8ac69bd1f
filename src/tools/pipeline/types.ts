/**
 * Shared types of the feature pipeline: raw records in, a feature matrix out. Pure: the same
 * code runs in Node and in the browser.
 */

/** One raw cell: a number, a category string, or `null` when missing. */
export type RawValue = number | string | null;
/** One raw record keyed by column name (what the CSV parser and JSON datasets give). */
export type RawRow = Readonly<Record<string, unknown>>;

/**
 * `offline`: float64 math, `Float64Array` output (how training computed features).
 * `serving`: float32 math — every operand and every intermediate result is rounded with
 * `Math.fround` — and `Float32Array` output (what a float32 serving stack computes).
 */
export const TRANSFORM_MODES = ['offline', 'serving'] as const;
export type TransformMode = (typeof TRANSFORM_MODES)[number];

/** How a feature relates to the raw data; skew diagnosis and reports read it. */
export interface FeatureInfo {
  /** Feature name, e.g. `bill_length_mm` or `island=Dream`. */
  name: string;
  /** The raw column it derives from (`null` for image pixels). */
  source: string | null;
  /** `numeric` (a transformed number), `onehot` (one category's 0/1), `index` (vocabulary index),
   * `indicator` (1 when the raw value was missing), `bucket` (bucket index), `pixel`. */
  kind: 'numeric' | 'onehot' | 'index' | 'indicator' | 'bucket' | 'pixel';
  /** The category a one-hot column stands for (`<oov>` for the extra bucket). */
  category?: string;
  /** Id shared by the one-hot columns of one vocabulary: `<step index>:<source>`. */
  group?: string;
  /**
   * On non-missing raw values, feature = scale * raw + offset, when every step from the raw
   * column to this feature is affine (standardize, minmax, identity). Absent otherwise.
   */
  affine?: { scale: number; offset: number };
  /** Ops applied, in order, e.g. `['impute:mean', 'standardize']`. */
  ops: string[];
}

/** What `transform` returns: an [N, F] row-major matrix and the names of its F columns. */
export interface FeatureMatrix {
  /** Row-major [rows, cols]: Float64Array in `offline` mode, Float32Array in `serving` mode. */
  features: Float64Array | Float32Array;
  rows: number;
  cols: number;
  featureNames: string[];
  /** Tensor dims of one sample when not flat (image pipelines: [C,H,W] or [H,W,C]). */
  sampleDims?: number[];
  mode: TransformMode;
}
