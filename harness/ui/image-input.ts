/**
 * An image file as a model input, the mapping the page documents: the picture is decoded
 * (createImageBitmap), drawn onto a canvas of the input's fixed H×W (or kept at its own size when
 * H/W are dynamic), and its RGB values scaled to 0..1 become a float32 [1, 3, H, W] tensor — or
 * [1, H, W, 3] when the input's last dim is 3. No mean/std normalization (bake it into the model
 * or give an .npy instead).
 */
import { ParityError } from '../../src/kernel/core/errors.ts';
import { tensor, type Tensor, type TensorSpec } from '../../src/kernel/core/tensor.ts';

/** True for inputs an image can feed: 4-D float with 3 channels first or last (or unknown). */
export function takesImage(spec: TensorSpec): boolean {
  if (spec.dims.length !== 4 || !['float32', 'float16'].includes(spec.dtype)) return false;
  const [, c1, , c3] = spec.dims;
  return c1 === 3 || c3 === 3 || typeof c1 !== 'number';
}

/** The layout the page uses for this input. */
export function imageLayout(spec: TensorSpec): 'NCHW' | 'NHWC' {
  return spec.dims[3] === 3 && spec.dims[1] !== 3 ? 'NHWC' : 'NCHW';
}

const fixed = (d: unknown): number | undefined => (typeof d === 'number' && d > 0 ? d : undefined);

/**
 * Decodes `file` into the input's tensor. `shape` (from the input's shape field) wins over the
 * declared dims for H and W.
 * @throws ParityError INPUT_DATA when the file is not an image this browser decodes.
 */
export async function imageTensor(file: Blob, name: string, spec: TensorSpec, shape?: readonly number[]): Promise<Tensor> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch (e) {
    throw new ParityError('INPUT_DATA', `${name}: not an image this browser can decode (PNG, JPEG, WebP, GIF): ${(e as Error).message}`);
  }
  const layout = imageLayout(spec);
  const dims = shape && shape.length === 4 ? shape : spec.dims;
  const [hAxis, wAxis] = layout === 'NCHW' ? [2, 3] : [1, 2];
  const h = fixed(dims[hAxis]) ?? bitmap.height;
  const w = fixed(dims[wAxis]) ?? bitmap.width;
  const canvas = new OffscreenCanvas(w, h);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new ParityError('INPUT_DATA', `${name}: this browser gives no 2D canvas to decode images on`);
  ctx.drawImage(bitmap, 0, 0, w, h);
  bitmap.close();
  const rgba = ctx.getImageData(0, 0, w, h).data;
  const out = new Float32Array(3 * h * w);
  for (let i = 0; i < h * w; i++) {
    for (let c = 0; c < 3; c++) {
      const v = rgba[i * 4 + c]! / 255;
      if (layout === 'NCHW') out[c * h * w + i] = v;
      else out[i * 3 + c] = v;
    }
  }
  return tensor('float32', layout === 'NCHW' ? [1, 3, h, w] : [1, h, w, 3], out);
}
