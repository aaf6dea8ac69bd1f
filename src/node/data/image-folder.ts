/**
 * `--data DIR`: a folder of pictures (PNG, PPM/PGM) for a model with one image input (4-D float,
 * 3 channels): one sample per file in name order, each at the input's fixed H×W or its own size
 * (ragged, run one by one). Other inputs are filled from `--value` / `--range` / `--shape`. Node only.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { ParityError } from '../../kernel/core/errors.ts';
import type { TensorMap, TensorSpec } from '../../kernel/core/tensor.ts';
import { completeSamples, type FillOptions } from '../../kernel/data/complete.ts';
import type { Dataset } from '../../kernel/data/dataset.ts';
import { decodeImage, imageToTensor, takesImage } from '../../kernel/data/image-decode.ts';

const IMAGE_EXTENSIONS = ['.png', '.ppm', '.pgm'];

/** Reads a folder of pictures. @throws ParityError INPUT_DATA when no input takes an image, or the folder holds none. */
export function loadImageFolder(dir: string, specs: readonly TensorSpec[], fill?: FillOptions, limit = Infinity): Dataset {
  const images = specs.filter(takesImage);
  if (images.length !== 1)
    throw new ParityError(
      'INPUT_DATA',
      `${dir}: a folder of pictures feeds one image input (4-D float, 3 channels); the model has ${images.length ? images.map((s) => `'${s.name}'`).join(', ') : 'none'}; give a .json/.jsonl/.npz keyed by input name`,
    );
  const spec = images[0]!;
  const files = readdirSync(dir)
    .filter((f) => IMAGE_EXTENSIONS.includes(extname(f).toLowerCase()) && statSync(join(dir, f)).isFile())
    .sort()
    .slice(0, limit);
  if (!files.length) throw new ParityError('INPUT_DATA', `${dir}: no pictures (${IMAGE_EXTENSIONS.join(', ')}) in the folder`);
  const samples: TensorMap[] = files.map((f) => ({ [spec.name]: imageToTensor(decodeImage(new Uint8Array(readFileSync(join(dir, f))), f), spec) }));
  const shapes = new Set(samples.map((s) => s[spec.name]!.dims.join('x')));
  return {
    source: `${basename(dir)}/ (${files.length} pictures → '${spec.name}', RGB 0..1, ${shapes.size} shape${shapes.size > 1 ? 's' : ''})`,
    samples: completeSamples(samples, specs, fill, basename(dir)),
  };
}
