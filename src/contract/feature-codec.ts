/**
 * A pipeline's feature matrix as JSON, for `window.parity.transform`: the features as an encoded
 * tensor (raw little-endian bytes in base64), so Float64 and Float32 values cross the page
 * boundary bit for bit (JSON numbers would lose -0, NaN and the float32 type). Pure.
 */
import { ParityError } from '../kernel/core/errors.ts';
import { decodeTensor, encodeTensor, type EncodedTensor } from '../kernel/core/tensor-codec.ts';
import type { FeatureInfo, FeatureMatrix, TransformMode } from '../tools/pipeline/types.ts';

/** A {@link FeatureMatrix} (plus tabular provenance) as JSON. */
export interface EncodedFeatureMatrix {
  /** dtype `float64` (offline) or `float32` (serving), dims [rows, cols]. */
  features: EncodedTensor;
  rows: number;
  cols: number;
  featureNames: string[];
  sampleDims?: number[];
  mode: TransformMode;
  infos?: FeatureInfo[];
}

export function encodeFeatureMatrix(m: FeatureMatrix & { infos?: FeatureInfo[] }): EncodedFeatureMatrix {
  const dtype = m.features instanceof Float64Array ? 'float64' : 'float32';
  return {
    features: encodeTensor({ dtype, dims: [m.rows, m.cols], data: m.features }),
    rows: m.rows,
    cols: m.cols,
    featureNames: m.featureNames,
    mode: m.mode,
    ...(m.sampleDims ? { sampleDims: m.sampleDims } : {}),
    ...(m.infos ? { infos: m.infos } : {}),
  };
}

export function decodeFeatureMatrix(e: EncodedFeatureMatrix): FeatureMatrix & { infos?: FeatureInfo[] } {
  const features = decodeTensor(e.features).data;
  if (!(features instanceof Float64Array || features instanceof Float32Array)) {
    throw new ParityError('INTERNAL', `a feature matrix of dtype ${e.features.dtype} came back from the page; expected float64 (offline) or float32 (serving)`);
  }
  return {
    features,
    rows: e.rows,
    cols: e.cols,
    featureNames: e.featureNames,
    mode: e.mode,
    ...(e.sampleDims ? { sampleDims: e.sampleDims } : {}),
    ...(e.infos ? { infos: e.infos } : {}),
  };
}
