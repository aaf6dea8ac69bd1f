/**
 * Checks that feeds (calibration samples, validation inputs) fit a model's declared inputs before
 * a runtime sees them, so the error names the input, the dims and the file. Browser-safe.
 */
import type { ModelProto } from 'onnx-buf';
import { ParityError } from '../../kernel/core/errors.ts';
import type { TensorMap } from '../../kernel/core/tensor.ts';
import { onnxToDtype } from '../../kernel/onnx/tensor-proto.ts';

/**
 * @param what - where the feeds came from, for the message (e.g. `calibration data`).
 * @throws ParityError `INPUT_DATA` for a missing input, a wrong dtype, rank or fixed dim.
 */
export function checkFeedsFit(model: ModelProto, feeds: TensorMap, what: string): void {
  const graph = model.graph!;
  const inits = new Set(graph.initializer.map((t) => t.name));
  for (const v of graph.input) {
    if (inits.has(v.name)) continue;
    const t = feeds[v.name];
    if (!t)
      throw new ParityError(
        'INPUT_DATA',
        `${what} has no array for input '${v.name}'; it has ${
          Object.keys(feeds)
            .map((k) => `'${k}'`)
            .join(', ') || 'none'
        }`,
      );
    const tt = v.type?.value.case === 'tensorType' ? v.type.value.value : undefined;
    if (!tt) continue;
    const dtype = onnxToDtype(tt.elemType);
    if (dtype && dtype !== t.dtype) throw new ParityError('INPUT_DATA', `${what}: input '${v.name}' is ${t.dtype}; the model expects ${dtype}`);
    const dims = tt.shape?.dim;
    if (!dims) continue;
    const declared = dims.map((d) => (d.value.case === 'dimValue' ? Number(d.value.value) : d.value.case === 'dimParam' ? d.value.value : '?'));
    const bad = dims.length !== t.dims.length || dims.some((d, i) => d.value.case === 'dimValue' && Number(d.value.value) !== t.dims[i]);
    if (bad) {
      throw new ParityError('INPUT_DATA', `${what}: input '${v.name}' has dims [${t.dims.join(',')}] per sample; the model expects [${declared.join(',')}]`);
    }
  }
}
