/**
 * Runs an ONNX classifier on raw records through a fitted pipeline with onnxruntime-node, for
 * prediction drift. Node only.
 */
import { existsSync, readFileSync } from 'node:fs';
import { ParityError, errorMessage } from '../../kernel/core/errors.ts';
import type { FittedPipeline } from '../../tools/pipeline/fitted.ts';
import { transform } from '../../tools/pipeline/index.ts';
import type { RawRow } from '../../tools/pipeline/types.ts';
import type { ClassScores } from '../../tools/drift/prediction-drift.ts';

export interface OnnxScores {
  output: string;
  reference: ClassScores;
  current: ClassScores;
}

/**
 * Scores both samples. The model's first input receives the serving-mode (float32) features
 * [N, F]; `output` defaults to the model's first output, which must be [N, classes].
 */
export async function scoreWithOnnx(
  modelPath: string,
  pipeline: FittedPipeline,
  reference: readonly RawRow[],
  current: readonly RawRow[],
  output?: string,
): Promise<OnnxScores> {
  if (!existsSync(modelPath)) throw new ParityError('FILE_NOT_FOUND', `model '${modelPath}' does not exist`);
  const ort = await import('onnxruntime-node');
  let session: Awaited<ReturnType<typeof ort.InferenceSession.create>>;
  try {
    session = await ort.InferenceSession.create(new Uint8Array(readFileSync(modelPath)));
  } catch (e) {
    throw new ParityError('MODEL_INVALID', `model '${modelPath}' could not be loaded by onnxruntime-node: ${errorMessage(e)}`);
  }
  const inputName = session.inputNames[0]!;
  const out = output ?? session.outputNames[0]!;
  if (!session.outputNames.includes(out)) {
    throw new ParityError('USAGE', `model output '${out}' does not exist; outputs: ${session.outputNames.map((n) => `'${n}'`).join(', ')}`);
  }
  const score = async (rows: readonly RawRow[]): Promise<ClassScores> => {
    const m = transform(pipeline, rows, 'serving');
    const data = m.features instanceof Float32Array ? m.features : Float32Array.from(m.features);
    const dims = [m.rows, ...(m.sampleDims ?? [m.cols])];
    let result;
    try {
      result = await session.run({ [inputName]: new ort.Tensor('float32', data, dims) });
    } catch (e) {
      throw new ParityError('INPUT_DATA', `model '${modelPath}' rejected the pipeline's features [${dims.join(', ')}]: ${errorMessage(e)}`);
    }
    const t = result[out]!;
    if (t.dims.length !== 2)
      throw new ParityError('MODEL_UNSUPPORTED', `prediction drift needs a [N, classes] output; '${out}' has dims [${t.dims.join(', ')}]`);
    return { data: Float32Array.from(t.data as Float32Array), rows: Number(t.dims[0]), classes: Number(t.dims[1]) };
  };
  try {
    return { output: out, reference: await score(reference), current: await score(current) };
  } finally {
    await session.release();
  }
}
