/**
 * Faster tfjs 'cpu' kernels for the two gradients that dominate CNN training in Node without
 * tfjs-node: Conv2DBackpropFilter and MaxPoolGrad. The stock kernels index through TensorBuffer.get
 * per element (about 2.5 s per 64-digit batch here); these walk the flat NHWC arrays directly and
 * are ~50x faster. Same math, deterministic; used only by the training script (inference and the
 * twin tests use the stock kernels). Anything other than NHWC without dilation goes to the
 * original kernel.
 */
import * as tf from '@tensorflow/tfjs';

type KernelFunc = tf.KernelConfig['kernelFunc'];
type CpuBackend = { data: { get(id: object): { values: Float32Array } }; makeTensorInfo(shape: number[], dtype: string, values: Float32Array): tf.TensorInfo };

function values(backend: unknown, t: tf.TensorInfo): Float32Array {
  return (backend as CpuBackend).data.get(t.dataId).values;
}

function conv2DBackpropFilter(original: KernelFunc): KernelFunc {
  return (args) => {
    const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
    const { strides, pad, dataFormat, dimRoundingMode, filterShape } = args.attrs as unknown as tf.Conv2DBackpropFilterAttrs;
    if (dataFormat === 'NCHW') return original(args);
    const info = tf.backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number],
      filterShape,
      strides,
      1,
      pad,
      dimRoundingMode,
      false,
      'channelsLast',
    );
    const {
      batchSize,
      inHeight,
      inWidth,
      inChannels: ci,
      outHeight,
      outWidth,
      outChannels: co,
      filterHeight: fh,
      filterWidth: fw,
      strideHeight: sh,
      strideWidth: sw,
    } = info;
    const top = info.padInfo.top,
      left = info.padInfo.left;
    const xv = values(args.backend, x),
      dyv = values(args.backend, dy);
    const acc = new Float64Array(fh * fw * ci * co);
    for (let b = 0; b < batchSize; b++) {
      for (let yr = 0; yr < outHeight; yr++) {
        for (let yc = 0; yc < outWidth; yc++) {
          const dyBase = ((b * outHeight + yr) * outWidth + yc) * co;
          for (let wr = 0; wr < fh; wr++) {
            const xr = yr * sh + wr - top;
            if (xr < 0 || xr >= inHeight) continue;
            for (let wc = 0; wc < fw; wc++) {
              const xc = yc * sw + wc - left;
              if (xc < 0 || xc >= inWidth) continue;
              const xBase = ((b * inHeight + xr) * inWidth + xc) * ci;
              const wBase = (wr * fw + wc) * ci * co;
              for (let d1 = 0; d1 < ci; d1++) {
                const xval = xv[xBase + d1]!;
                if (xval === 0) continue;
                const row = wBase + d1 * co;
                for (let d2 = 0; d2 < co; d2++) acc[row + d2]! += xval * dyv[dyBase + d2]!;
              }
            }
          }
        }
      }
    }
    return (args.backend as CpuBackend).makeTensorInfo([fh, fw, ci, co], 'float32', Float32Array.from(acc));
  };
}

function maxPoolGrad(): KernelFunc {
  return (args) => {
    const { dy, input } = args.inputs as { dy: tf.TensorInfo; input: tf.TensorInfo };
    const { filterSize, strides, pad, dimRoundingMode } = args.attrs as unknown as tf.MaxPoolGradAttrs;
    const info = tf.backend_util.computePool2DInfo(input.shape as [number, number, number, number], filterSize, strides, 1, pad, dimRoundingMode);
    const { batchSize, inHeight, inWidth, inChannels: c, outHeight, outWidth, strideHeight: sh, strideWidth: sw, filterHeight: fh, filterWidth: fw } = info;
    const top = info.padInfo.top,
      left = info.padInfo.left;
    const xv = values(args.backend, input),
      dyv = values(args.backend, dy);
    const dx = new Float32Array(xv.length);
    for (let b = 0; b < batchSize; b++) {
      for (let yr = 0; yr < outHeight; yr++) {
        for (let yc = 0; yc < outWidth; yc++) {
          for (let d = 0; d < c; d++) {
            // The gradient goes to the first maximum in scan order, as the stock kernel does.
            let best = -Infinity,
              at = -1;
            for (let wr = 0; wr < fh; wr++) {
              const xr = yr * sh + wr - top;
              if (xr < 0 || xr >= inHeight) continue;
              for (let wc = 0; wc < fw; wc++) {
                const xc = yc * sw + wc - left;
                if (xc < 0 || xc >= inWidth) continue;
                const i = ((b * inHeight + xr) * inWidth + xc) * c + d;
                if (xv[i]! > best) {
                  best = xv[i]!;
                  at = i;
                }
              }
            }
            if (at >= 0) dx[at]! += dyv[((b * outHeight + yr) * outWidth + yc) * c + d]!;
          }
        }
      }
    }
    return (args.backend as CpuBackend).makeTensorInfo(input.shape, 'float32', dx);
  };
}

/** Replaces the two slow 'cpu' kernels; returns a function that restores the originals. */
export function installFastCpuGrads(): () => void {
  const originals = ['Conv2DBackpropFilter', 'MaxPoolGrad'].map((name) => tf.getKernel(name, 'cpu')!);
  const [conv, pool] = originals as [tf.KernelConfig, tf.KernelConfig];
  for (const k of originals) tf.unregisterKernel(k.kernelName, 'cpu');
  tf.registerKernel({ ...conv, kernelFunc: conv2DBackpropFilter(conv.kernelFunc) });
  tf.registerKernel({ ...pool, kernelFunc: maxPoolGrad() });
  return () => {
    for (const k of originals) {
      tf.unregisterKernel(k.kernelName, 'cpu');
      tf.registerKernel(k);
    }
  };
}
