/** A model ready to run: its bytes in each format it has, its manifest, and how to feed it. */
import type { ModelSource } from '../../kernel/runtime/types.ts';
import type { ModelManifest } from '../../kernel/core/manifest.ts';
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
  /** Raw records + fitted feature pipeline that make the inputs (tabular models), absolute paths. */
  pipeline?: { fitted: string; records: string; labelColumn?: string };
}
