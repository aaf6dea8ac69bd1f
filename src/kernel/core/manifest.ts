/**
 * A bundled model's manifest (`models/<name>/parity-model.json`): which files make up the model,
 * how the ONNX and TF.js twins map onto each other, and where its evaluation data lives. Plain
 * JSON so the browser harness reads the same file.
 */

/** How one ONNX tensor corresponds to its TF.js twin: the twin's tensor name and the axis permutation. */
export interface TwinTensor {
  /** Name of the tensor in the TF.js model (input name, or output node name). */
  name: string;
  /** Axes of the TF.js tensor in terms of the ONNX tensor: tfjs = transpose(onnx, perm). Omit when equal. */
  perm?: number[];
}

export interface ModelManifest {
  name: string;
  description: string;
  /** ONNX file, relative to the manifest. */
  onnx?: string;
  /** TF.js model.json, relative to the manifest. */
  tfjs?: string;
  /** ONNX input/output name → its TF.js twin. Required when both formats are present. */
  twin?: { inputs: Record<string, TwinTensor>; outputs: Record<string, TwinTensor> };
  /** Evaluation data: an NPZ whose arrays are keyed by ONNX input name (first axis = sample), plus labels. */
  data?: { file: string; labels?: string };
  /** Held-out calibration inputs for int8-static (NPZ keyed by input name), relative to the manifest. */
  calibration?: { file: string };
  /** A fitted feature pipeline that turns raw records into the model inputs (tabular models). */
  pipeline?: { fitted: string; records: string; labelColumn?: string };
  /** Output holding class probabilities or logits: decision metrics apply to it. */
  classifierOutput?: string;
  /**
   * What each output means to the application, by output name: `'ctc:blank=0'` or
   * `{ role: 'ctc', options: { blank: 0 } }` (roles: src/kernel/judge/role-spec.ts). The
   * config and `--task` override it; outputs without a role get an inferred one. Default none.
   */
  roles?: Record<string, string | { role: string; options?: Record<string, number> }>;
  /** Derived models shipped beside this one, by variant: e.g. `{ distilled: '../mnist-student/parity-model.json' }`. */
  variants?: { distilled?: string };
  /** Known facts shown in reports (test accuracy, training seed...). */
  facts?: Record<string, unknown>;
}
