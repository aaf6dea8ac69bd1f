/**
 * `inspectModelFile(file) → Inspection`: the programmatic `parity inspect` — an ONNX model's
 * signature, opsets, op histogram and size, or a TF.js model.json's signature, weight dtypes and
 * op histogram. Reads the file only; nothing runs. Node only.
 */
import { inspectModel, type InspectResult } from '../../kernel/onnx/inspect.ts';
import { inspectTfjsModel, type TfjsInspectResult } from '../../kernel/onnx/inspect-tfjs.ts';
import { readModelFile } from '../onnx/read-file.ts';
import { readTfjsModel } from '../onnx/read-tfjs.ts';

/** What `parity inspect` reports: `format` says which of the two shapes `inspection` has. */
export type Inspection = { format: 'onnx'; inspection: InspectResult } | { format: 'tfjs'; inspection: TfjsInspectResult };

/** @throws ParityError FILE_NOT_FOUND, MODEL_INVALID */
export async function inspectModelFile(file: string): Promise<Inspection> {
  if (file.toLowerCase().endsWith('.json')) return { format: 'tfjs', inspection: inspectTfjsModel(readTfjsModel(file).modelJson, file) };
  const { bytes } = await readModelFile(file);
  return { format: 'onnx', inspection: inspectModel(bytes, file) };
}
