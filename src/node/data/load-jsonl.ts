/**
 * Ragged, per-sample data: a `.jsonl` file, one sample per line, each line an object in the form
 * of a JSON data file (`{"x": {"dims": [1,3,48,320], "data": [...]}, "label": 3}`) holding ONE
 * sample with its own dims. Read as a stream (a bounded buffer, line by line); samples of
 * different shapes stay as they are and run one by one — never padded. Inputs a line lacks are
 * filled from `--value` / `--range` / `--shape`; a non-batched input (a recurrent state) is taken
 * as given from the line. Node only.
 */
import { fitIntegerDtype } from '../../kernel/data/integer-dtype.ts';
import { closeSync, openSync, readSync } from 'node:fs';
import { ParityError } from '../../kernel/core/errors.ts';
import type { Tensor, TensorMap, TensorSpec } from '../../kernel/core/tensor.ts';
import { isBatchedInput, sampleShapeProblem } from '../../kernel/data/batch-axis.ts';
import { completeSamples, type FillOptions } from '../../kernel/data/complete.ts';
import type { Dataset } from '../../kernel/data/dataset.ts';
import { parseJsonArrays } from './load-data-file.ts';

const LABEL_KEYS = ['label', 'labels', 'y'];
const CHUNK = 1 << 20;

/** Lines of a file, read in 1 MiB chunks (a line may span chunks). */
export function* readLines(path: string): Generator<string> {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(CHUNK);
    const decoder = new TextDecoder();
    let rest = '';
    for (;;) {
      const n = readSync(fd, buf, 0, CHUNK, null);
      if (n === 0) break;
      rest += decoder.decode(buf.subarray(0, n), { stream: true });
      let nl: number;
      while ((nl = rest.indexOf('\n')) >= 0) {
        yield rest.slice(0, nl);
        rest = rest.slice(nl + 1);
      }
    }
    rest += decoder.decode();
    if (rest.length) yield rest;
  } finally {
    closeSync(fd);
  }
}

/** One line's sample: inputs checked against the signature (dtype, rank, fixed dims), axis 0 added when omitted. */
function lineSample(arrays: Record<string, Tensor>, specs: readonly TensorSpec[], where: string): TensorMap {
  const names = specs.map((s) => s.name);
  const unknown = Object.keys(arrays).filter((k) => !names.includes(k) && !LABEL_KEYS.includes(k));
  if (unknown.length)
    throw new ParityError(
      'INPUT_DATA',
      `${where}: ${unknown.map((k) => `'${k}'`).join(', ')} match no model input; inputs are ${names.map((n) => `'${n}'`).join(', ')}`,
    );
  const sample: TensorMap = {};
  for (const spec of specs) {
    const given = arrays[spec.name];
    if (!given) continue;
    const t = spec.dtype === 'unknown' ? given : fitIntegerDtype(given, spec.dtype, `${where}: input '${spec.name}'`);
    if (spec.dtype !== 'unknown' && t.dtype !== spec.dtype)
      throw new ParityError('INPUT_DATA', `${where}: input '${spec.name}' is ${t.dtype}; the model expects ${spec.dtype}`);
    if (t.dims.some((d) => d === 0)) throw new ParityError('INPUT_DATA', `${where}: input '${spec.name}' has dims [${t.dims.join(',')}], which hold no values`);
    const problem = sampleShapeProblem(spec, t.dims);
    if (problem) throw new ParityError('INPUT_DATA', `${where}: input '${spec.name}' ${problem}`);
    const dims = isBatchedInput(spec) && t.dims.length === spec.dims.length - 1 ? [1, ...t.dims] : t.dims;
    sample[spec.name] = { ...t, dims };
  }
  return sample;
}

/**
 * Reads a JSONL data file (see the file comment).
 * @param limit - stop after this many samples (the run's `--samples`). Default: all.
 * @throws ParityError INPUT_DATA naming the file, the line and the input.
 */
export function loadJsonl(path: string, name: string, specs: readonly TensorSpec[], fill?: FillOptions, limit = Infinity): Dataset {
  const samples: TensorMap[] = [];
  const labels: (number | undefined)[] = [];
  let lineNo = 0;
  for (const raw of readLines(path)) {
    lineNo++;
    if (samples.length >= limit) break;
    const line = raw.trim();
    if (!line) continue;
    const where = `${name}:${lineNo}`;
    const arrays = parseJsonArrays(line, specs, where);
    samples.push(lineSample(arrays, specs, where));
    const key = LABEL_KEYS.find((k) => arrays[k]);
    const label = key ? arrays[key]! : undefined;
    if (label && label.data.length !== 1)
      throw new ParityError('INPUT_DATA', `${where}: '${key}' holds ${label.data.length} values; one sample per line has one label`);
    labels.push(label ? Number(label.data[0]) : undefined);
  }
  if (!samples.length) throw new ParityError('INPUT_DATA', `${name}: no samples (an empty JSONL file); expected one JSON object per line`);
  const labelled = labels.filter((l) => l !== undefined).length;
  if (labelled && labelled !== labels.length) {
    const first = labels.findIndex((l) => l === undefined);
    throw new ParityError('INPUT_DATA', `${name}: ${labelled} of ${labels.length} samples have a label (sample ${first + 1} has none); label all or none`);
  }
  const shapes = new Set(
    samples.map((s) =>
      Object.values(s)
        .map((t) => t.dims.join('x'))
        .join(';'),
    ),
  );
  return {
    source: `${name} (${samples.length} samples, ${shapes.size} shape${shapes.size > 1 ? 's' : ''}, one by one)`,
    samples: completeSamples(samples, specs, fill, name),
    ...(labelled ? { labels: labels as number[] } : {}),
  };
}
