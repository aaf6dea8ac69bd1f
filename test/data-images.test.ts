/**
 * `--data DIR` of pictures: PNG (gray, RGB, RGBA, palette) and PPM decoded without a browser —
 * checked pixel for pixel against ImageMagick's own decoding — and fed at their own sizes to
 * PaddleOCR's direction classifier, which must tell upright text lines from ones turned 180°.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeImage } from '../src/kernel/data/image-decode.ts';
import { parseInputOverrides } from '../src/kernel/data/input-options.ts';
import { runParity } from '../src/node/api/run-parity.ts';
import { loadDataFile } from '../src/node/data/load-data-file.ts';
import { decodeTensor } from '../src/kernel/core/tensor-codec.ts';

const dir = mkdtempSync(join(tmpdir(), 'parity-images-'));
const convert = (args: string[]) => execFileSync('/usr/bin/convert', args);
const label = (text: string) => [
  '-background',
  'white',
  '-fill',
  'black',
  '-font',
  'DejaVu-Sans',
  '-pointsize',
  '30',
  `label:${text}`,
  '-bordercolor',
  'white',
  '-border',
  '8x6',
  '-resize',
  'x48',
];

describe('a folder of pictures as data', () => {
  it.each([
    ['gray', ['-type', 'Grayscale', 'PNG8:']],
    ['rgb', ['-fill', 'red', '-draw', 'circle 10,10 14,14', 'PNG24:']],
    ['rgba', ['-alpha', 'set', 'PNG32:']],
    ['palette', ['-colors', '8', 'PNG8:']],
  ])('decodes a %s PNG as ImageMagick does', (kind, fmt) => {
    const png = join(dir, `${kind}.png`);
    const [pre, post] = [fmt.slice(0, -1), fmt.at(-1)!];
    convert([...label('Abc 12'), ...pre, `${post}${png}`]);
    const mine = decodeImage(new Uint8Array(readFileSync(png)), `${kind}.png`);
    const theirs = decodeImage(new Uint8Array(convert([png, '-alpha', 'off', '-depth', '8', 'ppm:-'])), 'ppm');
    expect([mine.width, mine.height]).toEqual([theirs.width, theirs.height]);
    expect(Buffer.from(mine.data).equals(Buffer.from(theirs.data))).toBe(true);
  });

  it('feeds the classifier each line at its own size; upright and turned lines are told apart', async () => {
    const pics = join(dir, 'lines');
    execFileSync('mkdir', ['-p', pics]);
    const texts = ['Invoice 2024', 'quick brown fox', 'Total 348.50'];
    texts.forEach((t, i) => {
      convert([...label(t), join(pics, `${i}-up.png`)]); // 16-bit gray+alpha, as ImageMagick writes it
      convert([...label(t), '-rotate', '180', join(pics, `${i}-turned.ppm`)]); // maxval 65535
    });
    const specs = [{ name: 'x', dtype: 'float32' as const, dims: ['n', 3, 'h', 'w'] }];
    const ds = loadDataFile(pics, specs);
    expect(ds.samples).toHaveLength(6);
    expect(new Set(ds.samples.map((s) => s.x!.dims[3])).size).toBeGreaterThan(1);
    const r = await runParity(
      { backends: ['ort-node/cpu'], variants: ['fp32'], latency: { minIterations: 1, maxIterations: 2 } },
      { model: 'test/fixtures/ocr-cls.onnx', dataFile: pics, overrides: parseInputOverrides({}), write: false },
    );
    const probs = r.records[0]!.outputs!['softmax_0.tmp_0']!.map((e) => Array.from(decodeTensor(e).data as Float32Array));
    // Files in name order: 0-turned, 0-up, 1-turned, 1-up, ...; class 1 is "rotated 180°".
    expect(probs.map((p) => (p[1]! > p[0]! ? 'turned' : 'up'))).toEqual(['turned', 'up', 'turned', 'up', 'turned', 'up']);
  }, 60_000);
});
