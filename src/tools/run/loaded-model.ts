/** A model ready to run: its bytes in each format it has, its manifest, and how to feed it. */
import type { ModelSource } from '../../kernel/runtime/types.ts';
import type { ModelManifest } from '../../kernel/core/manifest.ts';
import type { BuiltinVariant, Precision } from '../../kernel/core/record.ts';
import type { InputOverrides } from '../../kernel/data/input-options.ts';
import type { TwinMapping } from './twin.ts';

export type OnnxSource = Extract<ModelSource, { format: 'onnx' }>;
export type TfjsSource = Extract<ModelSource, { format: 'tfjs' }>;

export interface LoadedModel {
  name: string;
  /** Where it came from (a manifest, an ONNX file, a model.json). */
  path: string;
  manifest?: ModelManifest;
  onnx?: OnnxSource;
  tfjs?: TfjsSource;
  /** Required to run the TF.js twin of an ONNX model with the same feeds. */
  twin?: TwinMapping;
  classifierOutput?: string;
  overrides: InputOverrides;
  /** Real inputs the user gave (`--data FILE` or the config's `inputs.data`), absolute path. */
  dataFile?: string;
  /** The manifest's bundled evaluation data (absolute path). */
  dataPath?: string;
  labelsKey?: string;
  /**
   * Variant files the user brought (a transformers.js folder's `model_q4.onnx` → `q4`, `--variant
   * NAME=FILE`), judged against this model; precision inferred from each graph. Default none.
   */
  shipped?: Record<string, ShippedVariant>;
  /** Raw records + fitted feature pipeline that make the inputs (tabular models), absolute paths. */
  pipeline?: { fitted: string; records: string; labelColumn?: string };
}

/** A variant file someone else made, with what its graph says it is (src/tools/variants/infer-precision.ts). */
export interface ShippedVariant {
  /** Absolute path of the file (an ONNX file, or a TF.js model.json). */
  path: string;
  /** One of them, in the reference's format. */
  onnx?: OnnxSource;
  tfjs?: TfjsSource;
  precision: Precision;
  /** The built-in variant it corresponds to. */
  like: BuiltinVariant;
  evidence: string;
  coverage?: { nodes: { quantized: number; eligible: number }; weightBytes: { lowPrecision: number; total: number; after?: number } };
}
