/** Exposing intermediates, calibration statistics, and the QDQ layout of int8-static. */
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import { TensorProto_DataType as DT } from 'onnx-buf';
import { describe, expect, it } from 'vitest';
import { isParityError } from '../src/kernel/core/errors.ts';
import { decodeModel, encodeModel } from '../src/kernel/onnx/io.ts';
import { Histogram, MinMax, entropyThreshold, percentileRange } from '../src/tools/quantize/calib-stats.ts';
import { calibrateActivations } from '../src/node/quantize/calibrate.ts';
import { exposeIntermediates } from '../src/tools/quantize/expose-outputs.ts';
import { declaredElemType } from '../src/kernel/onnx/infer-types.ts';
import { qparamsForRange, quantizeTensor, rint } from '../src/tools/quantize/qparams.ts';
import { quantizeStatic, staticActivations } from '../src/tools/quantize/static-qdq.ts';

const MNIST = new Uint8Array(readFileSync(new URL('../models/mnist-cnn/model.onnx', import.meta.url)));
const OCR = new Uint8Array(readFileSync(new URL('./fixtures/ocr-cls.onnx', import.meta.url)));

describe('exposeIntermediates', () => {
  it("exposes every node output with 'all', typed, without touching the input model", async () => {
    const model = decodeModel(OCR);
    const before = model.graph!.output.length;
    const { model: probe, exposed, skipped } = exposeIntermediates(model, 'all');
    expect(model.graph!.output.length).toBe(before);
    expect(skipped).toEqual([]);
    expect(exposed.length).toBe(471 - 250 - 1); // non-Constant nodes, minus the one already an output
    const shapeOut = probe.graph!.output.find((v) => v.name === 'p2o.Shape.1')!;
    expect(declaredElemType(shapeOut)).toBe(DT.INT64);
    const s = await ort.InferenceSession.create(encodeModel(probe), { logSeverityLevel: 3 });
    const out = await s.run({ x: new ort.Tensor('float32', new Float32Array(3 * 48 * 96).fill(0.5), [1, 3, 48, 96]) });
    expect(Object.keys(out).length).toBe(exposed.length + 1);
    expect(Array.from(out['p2o.Shape.1']!.data as BigInt64Array)).toEqual([1n, 200n, 1n, 1n]);
    await s.release();
  });

  it('exposes named tensors and rejects names the main graph lacks', () => {
    const model = decodeModel(MNIST);
    const { exposed } = exposeIntermediates(model, ['conv1', 'pool2', 'probs']);
    expect(exposed).toEqual(['conv1', 'pool2']);
    try {
      exposeIntermediates(model, ['nope']);
      expect.unreachable();
    } catch (e) {
      expect(isParityError(e) && e.code).toBe('USAGE');
    }
  });
});

describe('calibration statistics', () => {
  const values = Float32Array.from({ length: 10000 }, (_, i) => (i === 0 ? 100 : Math.sin(i)));
  it('MinMax keeps the outlier, Percentile drops it', () => {
    const mm = new MinMax();
    mm.add(values);
    expect(mm.range().hi).toBe(100);
    const h = new Histogram(mm.lo, mm.hi, 8192);
    h.add(values);
    const p = percentileRange(h, 99.9);
    expect(p.hi).toBeLessThan(1.1);
    expect(p.lo).toBeGreaterThan(-1.1);
  });
  it('Entropy picks a threshold below the outlier', () => {
    const h = new Histogram(0, 100, 2048, true);
    h.add(values);
    const t = entropyThreshold(h);
    expect(t).toBeGreaterThan(1);
    expect(t).toBeLessThan(20);
  });
  it('qparams follow the ORT conventions', () => {
    expect(rint(2.5)).toBe(2);
    expect(rint(-1.5)).toBe(-2);
    expect(qparamsForRange(0.5, 2, 'uint8', false)).toEqual({ scale: Math.fround(2 / 255), zeroPoint: 0 });
    expect(qparamsForRange(-1, 1, 'int8', true)).toEqual({ scale: Math.fround(1 / 127), zeroPoint: 0 });
    const q = quantizeTensor(Float32Array.of(-1, 0, 0.5, 2, 4, -8), [2, 3], { qtype: 'int8', symmetric: true, axis: 0 });
    expect(Array.from(q.q)).toEqual([-127, 0, 64, 32, 64, -127]);
    expect(Array.from(q.scale)).toEqual([Math.fround(1 / 127), Math.fround(8 / 127)]);
  });
});

describe('int8-static QDQ layout', () => {
  it('wraps Conv/Gemm activations and weights in Q/DQ with int32 biases', async () => {
    const model = decodeModel(MNIST);
    const layers = model.graph!.node.filter((n) => n.opType === 'Conv' || n.opType === 'Gemm');
    const tensors = staticActivations(model, { to: 'int8-static' });
    // The image, and each Conv/Gemm output (the next layer's input follows through Relu/MaxPool/Flatten).
    expect(tensors.slice(0, 2)).toEqual(['image', 'conv1']);
    expect(tensors).toContain('logits');
    const samples = Array.from({ length: 8 }, (_, i) => ({
      image: { dtype: 'float32' as const, dims: [1, 1, 28, 28], data: new Float32Array(784).fill(i / 8) },
    }));
    const { ranges } = await calibrateActivations(model, tensors, samples);
    expect(ranges.get('image')).toEqual({ lo: 0, hi: 0.875 });
    const report = quantizeStatic(model, { to: 'int8-static', perChannel: true }, ranges);
    expect(report.quantized).toEqual({ Conv: 2, Gemm: layers.length - 2 });
    const ops = model.graph!.node.map((n) => n.opType);
    expect(ops.filter((o) => o === 'QuantizeLinear').length).toBe(tensors.length);
    expect(ops.filter((o) => o === 'DequantizeLinear').length).toBe(tensors.length + 2 * layers.length); // activations, weights, biases
    const conv1 = model.graph!.node.find((n) => n.name === 'conv1')!;
    expect(conv1.input.map((i) => i.replace(/_\d+$/, ''))).toEqual(['image_dequantized', 'conv1.weight_dequantized', 'conv1.bias_dequantized']);
    const biasDq = model.graph!.node.find((n) => n.output[0] === conv1.input[2])!;
    const biasQ = model.graph!.initializer.find((t) => t.name === biasDq.input[0])!;
    expect(biasQ.dataType).toBe(DT.INT32);
  });
});
