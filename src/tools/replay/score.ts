/**
 * Runs the reference session over feature rows in batches and returns one classifier-output
 * vector per row. Works with any `Session` from the backend registry. Pure (no Node imports).
 */
import type { Session } from '../../kernel/runtime/types.ts';
import { ParityError } from '../../kernel/core/errors.ts';
import type { TensorSpec } from '../../kernel/core/tensor.ts';

/** Elements of one sample of `spec` (its dims after the batch), or undefined when symbolic. */
export function sampleWidth(spec: TensorSpec): { dims: number[]; width: number } | undefined {
  const rest = spec.dims.slice(1);
  if (!rest.every((d): d is number => typeof d === 'number' && d > 0)) return undefined;
  return { dims: rest, width: rest.reduce((a, b) => a * b, 1) };
}

/** Batch size of one session call. @default 256 */
const SCORE_BATCH = 256;

/** The reference model's `output` for every row (rows are one flat sample each, all of `width`). */
export async function scoreRows(session: Session, rows: readonly ArrayLike<number>[], width: number, output: string): Promise<Float32Array[]> {
  const input = session.inputs[0];
  if (!input) throw new ParityError('MODEL_UNSUPPORTED', 'the model has no inputs');
  if (session.inputs.length > 1)
    throw new ParityError(
      'MODEL_UNSUPPORTED',
      `replay feeds one input; this model has ${session.inputs.length} (${session.inputs.map((i) => i.name).join(', ')})`,
    );
  const dims = sampleWidth(input)?.dims ?? [width];
  const out: Float32Array[] = [];
  for (let start = 0; start < rows.length; start += SCORE_BATCH) {
    const chunk = rows.slice(start, start + SCORE_BATCH);
    const data = new Float32Array(chunk.length * width);
    chunk.forEach((r, i) => data.set(r, i * width));
    const res = await session.run({ [input.name]: { dtype: 'float32', dims: [chunk.length, ...dims], data } });
    const t = res[output];
    if (!t) throw new ParityError('RUN_FAILED', `the reference model returned no output '${output}'; it returned ${Object.keys(res).join(', ')}`);
    const per = t.data.length / chunk.length;
    for (let i = 0; i < chunk.length; i++) out.push(Float32Array.from(t.data.subarray(i * per, (i + 1) * per) as Float32Array));
  }
  return out;
}
