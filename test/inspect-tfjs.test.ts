/**
 * `parity inspect` on TF.js model.json (src/kernel/onnx/inspect-tfjs.ts): the bundled layers models
 * (functional CNN and Sequential MLP) through the checked reader, and a small graph model with a
 * quantized weight, whose stored dtype and size are what count.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatTfjsInspect, inspectTfjsModel } from '../src/kernel/onnx/inspect-tfjs.ts';
import { readTfjsModel } from '../src/node/onnx/read-tfjs.ts';
import type { TfjsModelJson } from '../src/kernel/onnx/tfjs-quantize.ts';
import { PACKAGE_ROOT } from '../src/node/run/bundled-models.ts';

describe('inspectTfjsModel', () => {
  it('reads the bundled CNN: input shape, layer histogram, float32 weights and their bytes', () => {
    const r = inspectTfjsModel(readTfjsModel(join(PACKAGE_ROOT, 'models/mnist-cnn/tfjs/model.json')).modelJson, 'mnist');
    expect(r.format).toBe('layers-model');
    expect(r.inputs).toEqual([{ name: 'image', dtype: 'float32', dims: [null, 28, 28, 1] }]);
    expect(r.outputs.map((o) => o.name)).toEqual(['probs']);
    expect(r.opHistogram).toEqual({ InputLayer: 1, Conv2D: 2, MaxPooling2D: 2, Flatten: 1, Dense: 1 });
    // 5,258 parameters, as `parity inspect` says of the ONNX twin.
    expect(r.weightDtypes).toEqual({ float32: { count: 6, elements: 5258, bytes: 5258 * 4 } });
    expect(formatTfjsInspect(r)).toMatch(/image {2}float32 \[\?, 28, 28, 1\][\s\S]*Conv2D +2[\s\S]*float32 +6 tensors, 5,258 elements, 20\.5 KB/);
  });

  it("names a Sequential model's input after its first layer", () => {
    const r = inspectTfjsModel(readTfjsModel(join(PACKAGE_ROOT, 'models/penguins/tfjs/model.json')).modelJson);
    expect(r.inputs).toEqual([{ name: 'dense1_input', dtype: 'float32', dims: [null, 10] }]);
    expect(r.opHistogram).toEqual({ Dense: 2 });
  });

  it('reads a graph model: placeholders, op counts, outputs, and quantized weights by stored dtype', () => {
    const json = {
      format: 'graph-model',
      modelTopology: {
        node: [
          { name: 'x', op: 'Placeholder', attr: { shape: { shape: { dim: [{ size: '-1' }, { size: '4' }] } } } },
          { name: 'w', op: 'Const' },
          { name: 'mm', op: 'MatMul', input: ['x', 'w'] },
          { name: 'y', op: 'Relu', input: ['mm'] },
        ],
      },
      weightsManifest: [
        { paths: ['w.bin'], weights: [{ name: 'w', shape: [4, 3], dtype: 'float32', quantization: { dtype: 'uint8', min: -1, scale: 0.01 } }] },
      ],
    } as unknown as TfjsModelJson;
    const r = inspectTfjsModel(json);
    expect(r.inputs).toEqual([{ name: 'x', dtype: 'float32', dims: [null, 4] }]);
    expect(r.outputs.map((o) => o.name)).toEqual(['y']);
    expect(r.opHistogram).toEqual({ Placeholder: 1, Const: 1, MatMul: 1, Relu: 1 });
    expect(r.weights).toEqual([{ name: 'w', shape: [4, 3], dtype: 'uint8', bytes: 12 }]);
    expect(formatTfjsInspect(r)).toContain('ops:');
  });

  it("prints which kind and why, and each input's graph dtype, valid ids and batching (a converter 1.x graph, no format field)", () => {
    const path = new URL('./fixtures/tfjs-graph/sparse-encoder/model.json', import.meta.url).pathname;
    const text = formatTfjsInspect(inspectTfjsModel(readTfjsModel(path).modelJson, 'model.json'));
    expect(text).toContain(
      "model.json  (TF.js graph-model, weights 195.8 KB)\n  graph-model: modelTopology.node lists 63 graph nodes (model.json has no 'format' field)",
    );
    expect(text).toContain(
      "  indices  int32 [?, 2]  (int64 in the graph; sparse coordinates, read by SparseToDense 'Encoder/attention/dense'; not batched along axis 0",
    );
    expect(text).toContain(
      "  values  int32 [?]  (int64 in the graph; ids 0..1499: GatherV2 'Encoder/lookup' indexes 'Encoder/embeddings' [1500,32] along axis 0;",
    );
  });
});
