/**
 * `--batch N`: samples concatenated along the model's free batch dim (dim 0 of every input), run
 * as one, and the outputs split back per sample — so a batched target is judged sample by sample
 * like any other, and its latency is per batch (per sample = ÷ N). Pure: no Node imports.
 */
import { ParityError } from '../../kernel/core/errors.ts';
import { allocate, type Tensor, type TensorMap, type TensorSpec, type TypedArray } from '../../kernel/core/tensor.ts';

/** Why `inputs` cannot be batched (an input whose dim 0 is fixed), or undefined when they can. */
export function batchProblem(inputs: readonly TensorSpec[]): string | undefined {
  const fixed = inputs.filter((i) => i.dims.length === 0 || (typeof i.dims[0] === 'number' && i.dims[0] > 0));
  if (fixed.length === 0) return undefined;
  return `batching needs a free batch dim (dim 0 symbolic) on every input; ${fixed.map((i) => `'${i.name}' is [${i.dims.join(',')}]`).join(', ')}`;
}

/** Concatenates tensors along dim 0 (same dtype and trailing dims). */
function concat0(name: string, parts: readonly Tensor[]): Tensor {
  const first = parts[0]!;
  const rest = first.dims.slice(1);
  let rows = 0;
  let length = 0;
  for (const t of parts) {
    if (t.dtype !== first.dtype || t.dims.length !== first.dims.length || t.dims.slice(1).some((d, i) => d !== rest[i])) {
      throw new ParityError(
        'INPUT_DATA',
        `cannot batch input '${name}': samples differ in dtype or trailing dims ([${first.dims.join(',')}] ${first.dtype} vs [${t.dims.join(',')}] ${t.dtype})`,
      );
    }
    rows += t.dims[0] ?? 1;
    length += t.data.length;
  }
  const data = allocate(first.dtype, length) as TypedArray & { set(a: ArrayLike<number | bigint>, o: number): void };
  let offset = 0;
  for (const t of parts) {
    data.set(t.data as unknown as ArrayLike<number>, offset);
    offset += t.data.length;
  }
  return { dtype: first.dtype, dims: [rows, ...rest], data };
}

/** One feeds map of these samples, each input concatenated along dim 0. */
export function batchFeeds(samples: readonly TensorMap[]): TensorMap {
  const out: TensorMap = {};
  for (const name of Object.keys(samples[0] ?? {}))
    out[name] = concat0(
      name,
      samples.map((s) => s[name]!),
    );
  return out;
}

/** Rows (dim 0) of each sample's feeds: what its share of a batched output is. */
export function rowsOf(sample: TensorMap): number {
  const t = Object.values(sample)[0];
  return t?.dims[0] ?? 1;
}

/**
 * Splits a batched run's outputs back per sample (`rows[i]` rows each).
 * @throws ParityError RUN_FAILED when an output's dim 0 is not the batch.
 */
export function splitOutputs(out: TensorMap, rows: readonly number[]): TensorMap[] {
  const total = rows.reduce((a, b) => a + b, 0);
  const per: TensorMap[] = rows.map(() => ({}));
  for (const [name, t] of Object.entries(out)) {
    if (t.dims[0] !== total)
      throw new ParityError('RUN_FAILED', `batched output '${name}' has dims [${t.dims.join(',')}]; expected dim 0 to be the batch (${total})`);
    const stride = t.data.length / total;
    let row = 0;
    rows.forEach((r, i) => {
      per[i]![name] = { dtype: t.dtype, dims: [r, ...t.dims.slice(1)], data: t.data.slice(row * stride, (row + r) * stride) as TypedArray };
      row += r;
    });
  }
  return per;
}

/** `n` samples for the timed batch: the first ones, repeated when there are fewer. */
export function warmBatch(samples: readonly TensorMap[], n: number): TensorMap {
  return batchFeeds(Array.from({ length: n }, (_, i) => samples[i % samples.length]!));
}
