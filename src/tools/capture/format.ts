/**
 * The capture log format — one JSON object per line, one line per served request — shared by
 * `infer-parity/capture` (which writes it) and `parity replay` (which reads it). Pure data: no
 * imports, safe in the browser and in Node.
 *
 * ```
 * {"id": "req-1", "time": "2026-11-30T08:00:37Z",
 *  "env": {"client": "android-webview", "backend": "tfjs/webgl", "app": "4.2.0"},
 *  "raw": {"island": "Dream", "bill_length_mm": 34},   // optional: the raw record served
 *  "features": [-1.86, -0.05] | {"input": [..]},       // optional: the model input served
 *                                                      // (any number array may be {"f32": "<base64>"})
 *  "outputs": {"probs": [0.99, 0.006, 0.001]},         // what the served model returned
 *  "label": "Adelie"}                                  // optional: ground truth, when known
 * ```
 */

/** Schema version written in nothing but documented here: readers accept any extra fields. */
export const CAPTURE_FORMAT_VERSION = 1;

/**
 * A float array in the compact form (`encoding: 'base64'`): the float32 values, little-endian,
 * base64-encoded. Readers accept it wherever a number array may appear.
 */
export interface EncodedF32 {
  f32: string;
}

/** A logged tensor: its values flattened (NaN/Inf are written as null), or the compact form. */
export type LoggedValues = number[] | EncodedF32;

/** One served request, as one line of the log. */
export interface CaptureRecord {
  /** Unique per request; labels arriving later are joined on it. */
  id: string;
  /** ISO 8601 time the request was served. */
  time: string;
  /** Environment tags: where it ran (`client`, `backend`, `userAgent`, library versions, `app`, `modelVersion`…). */
  env: Record<string, string>;
  /** The raw record (column → value) the features were computed from. Optional. */
  raw?: Record<string, unknown>;
  /** The model input as served: one flat array (single input) or one per input name. Optional. */
  features?: LoggedValues | Record<string, LoggedValues>;
  /** Every model output, flattened. Required. */
  outputs: Record<string, LoggedValues>;
  /** Ground truth when already known (class name or index). Optional. */
  label?: string | number;
}
