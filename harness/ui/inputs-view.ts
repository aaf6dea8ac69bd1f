/**
 * The model's inputs as the CLI takes them: a table of every input (name, dtype, dims — symbolic
 * ones named) and, per input, a shape (`--shape`) and a feed: seeded random values (the default),
 * a constant (`--value`), a range (`--range NAME=lo,hi`), a data file (NPY/NPZ/JSON, `--data`) or,
 * for 4-D float inputs, an image (see image-input.ts for the mapping). File buttons are real,
 * focusable buttons that open a hidden file input.
 */
import { ParityError } from '../../src/kernel/core/errors.ts';
import { allocate, elementCount, tensor, type Tensor, type TensorSpec } from '../../src/kernel/core/tensor.ts';
import { readNpy, readNpz } from '../../src/kernel/data/npy.ts';
import type { LoadedModel } from '../../src/tools/run/loaded-model.ts';
import { inspectModel } from '../../src/kernel/onnx/inspect.ts';
import { inspectTfjsModel } from '../../src/kernel/onnx/inspect-tfjs.ts';
import { el } from './dom.ts';
import { imageLayout, imageTensor, takesImage } from './image-input.ts';

export const FEEDS = ['random', 'value', 'range', 'file', 'image'] as const;
export type Feed = (typeof FEEDS)[number];

export interface InputsView {
  readonly specs: readonly TensorSpec[];
  /** CLI-syntax entries from the per-input fields (`NAME=dims`, `NAME=x`, `NAME=lo,hi`). */
  entries(): { shape: string[]; value: string[]; range: string[] };
  /** Arrays for every input when any input takes a file or an image; undefined when none does. */
  arrays(): Promise<{ values: Record<string, Tensor>; name: string } | undefined>;
}

/** The model's input signature, read from its ONNX graph (or its model.json for TF.js-only models). */
export function signatureOf(model: LoadedModel): TensorSpec[] {
  if (model.onnx) return inspectModel(model.onnx.bytes, model.onnx.name).inputs;
  if (model.tfjs) return inspectTfjsModel(model.tfjs.modelJson as Parameters<typeof inspectTfjsModel>[0], model.tfjs.name).inputs;
  return [];
}

const dimsText = (dims: TensorSpec['dims']) => (dims.length ? `[${dims.map((d) => d ?? '?').join(', ')}]` : 'scalar');
const FEED_LABEL: Record<Feed, string> = {
  random: 'random (seeded)',
  value: 'constant value',
  range: 'random in range',
  file: 'data file',
  image: 'image file',
};

function constant(spec: TensorSpec, value: number, dims: readonly number[] | undefined): Tensor {
  const shape = dims ?? (spec.dims.every((d) => typeof d === 'number') ? (spec.dims as number[]) : undefined);
  if (!shape) throw new ParityError('INPUT_DATA', `input '${spec.name}' ${dimsText(spec.dims)}: give it a shape to fill with ${value} (its dims are symbolic)`);
  const data = allocate(spec.dtype === 'unknown' ? 'float32' : spec.dtype, elementCount(shape));
  if (data instanceof BigInt64Array) data.fill(BigInt(Math.round(value)));
  else data.fill(value);
  return tensor(spec.dtype === 'unknown' ? 'float32' : spec.dtype, shape, data);
}

/** Nested number arrays (or one number) as a tensor of the input's dtype. */
function nestedTensor(value: unknown, spec: TensorSpec, where: string): Tensor {
  const dims: number[] = [];
  for (let v = value; Array.isArray(v); v = v[0]) dims.push(v.length);
  const flat = (Array.isArray(value) ? (value as unknown[]).flat(dims.length) : [value]) as unknown[];
  if (flat.length !== elementCount(dims) || flat.some((x) => typeof x !== 'number')) {
    throw new ParityError('INPUT_DATA', `${where}: expected a number or rectangular nested arrays of numbers`);
  }
  const dtype = spec.dtype === 'unknown' ? 'float32' : spec.dtype;
  const data = allocate(dtype, flat.length);
  flat.forEach((x, i) => (data instanceof BigInt64Array ? (data[i] = BigInt(Math.round(x as number))) : (data[i] = x as number)));
  return tensor(dtype, dims, data);
}

async function fileTensor(file: File, spec: TensorSpec): Promise<Tensor> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const pick = (arrays: Record<string, Tensor>): Tensor => {
    const keys = Object.keys(arrays);
    const t = arrays[spec.name] ?? (keys.length === 1 ? arrays[keys[0]!] : undefined);
    if (!t) throw new ParityError('INPUT_DATA', `${file.name}: no array '${spec.name}' (it holds ${keys.map((k) => `'${k}'`).join(', ')})`);
    return t;
  };
  if (/\.npy$/i.test(file.name)) return readNpy(bytes, file.name);
  if (/\.npz$/i.test(file.name)) return pick(readNpz(bytes, file.name));
  if (/\.json$/i.test(file.name)) {
    let doc: unknown;
    try {
      doc = JSON.parse(new TextDecoder().decode(bytes));
    } catch (e) {
      throw new ParityError('INPUT_DATA', `${file.name}: not valid JSON (${(e as Error).message})`);
    }
    const keyed = Array.isArray(doc) || typeof doc === 'number' ? { [spec.name]: doc } : (doc as Record<string, unknown>);
    return pick(Object.fromEntries(Object.entries(keyed).map(([k, v]) => [k, nestedTensor(v, spec, `${file.name} '${k}'`)])));
  }
  throw new ParityError('INPUT_DATA', `${file.name}: expected .npy, .npz or .json for input '${spec.name}'`);
}

/** Renders the inputs table into `host` for `model`. */
export function renderInputs(host: HTMLElement, model: LoadedModel): InputsView {
  const specs = signatureOf(model);
  const rows = specs.map((spec) => {
    const n = spec.name;
    const feeds = FEEDS.filter((f) => f !== 'image' || takesImage(spec));
    const feed = el('select', { 'data-input-feed': n, 'aria-label': `feed for input ${n}` }, ...feeds.map((f) => el('option', { value: f }, FEED_LABEL[f])));
    const shape = el('input', {
      type: 'text',
      size: 14,
      'data-input-shape': n,
      'aria-label': `shape of input ${n}`,
      placeholder: spec.dims.map((d) => d ?? '?').join(',') || 'scalar',
    });
    const value = el('input', {
      type: 'text',
      size: 10,
      'data-input-value': n,
      'aria-label': `value or range of input ${n}`,
      placeholder: 'x or lo,hi',
      hidden: true,
    });
    const file = el('input', { type: 'file', 'data-input-file': n, accept: '.npy,.npz,.json,image/*', hidden: true, tabindex: -1 });
    const pick = el('button', { type: 'button', 'data-input-pick': n, hidden: true }, 'Choose file…');
    const chosen = el('span', { class: 'muted', 'data-input-chosen': n });
    pick.addEventListener('click', () => file.click());
    file.addEventListener('change', () => (chosen.textContent = file.files?.[0]?.name ?? ''));
    const sync = () => {
      const f = feed.value as Feed;
      value.hidden = f !== 'value' && f !== 'range';
      value.placeholder = f === 'range' ? 'lo,hi' : 'x';
      pick.hidden = f !== 'file' && f !== 'image';
      file.accept = f === 'image' ? 'image/*' : '.npy,.npz,.json';
      if (pick.hidden) chosen.textContent = '';
    };
    feed.addEventListener('change', sync);
    return el(
      'tr',
      { 'data-input': n },
      el('td', {}, el('code', {}, n)),
      el('td', {}, spec.dtype),
      el('td', {}, dimsText(spec.dims)),
      el('td', {}, shape),
      el('td', {}, feed, ' ', value, pick, file, ' ', chosen),
    );
  });
  const images = specs.filter(takesImage);
  host.replaceChildren(
    el(
      'div',
      { class: 'scroll' },
      el(
        'table',
        { class: 'inputs' },
        el('thead', {}, el('tr', {}, ...['input', 'dtype', 'dims', 'shape', 'feed'].map((h) => el('th', {}, h)))),
        el('tbody', {}, ...rows),
      ),
    ),
    images.length
      ? el(
          'p',
          { class: 'note' },
          `An image file becomes a float32 tensor of RGB values scaled to 0..1 — ${images.map((s) => `'${s.name}' as ${imageLayout(s) === 'NCHW' ? '[1, 3, H, W]' : '[1, H, W, 3]'}`).join(', ')} — resized to the input's fixed H×W (or its shape field), kept at its own size when H/W are dynamic; no mean/std normalization.`,
        )
      : '',
  );
  const field = (attr: string, n: string) => host.querySelector<HTMLInputElement>(`[${attr}="${CSS.escape(n)}"]`)!;
  const shapeOf = (n: string) => field('data-input-shape', n).value.trim();
  const parsedShape = (n: string) =>
    shapeOf(n)
      ? shapeOf(n)
          .split(/[,x×\s]+/)
          .filter(Boolean)
          .map(Number)
      : undefined;
  return {
    specs,
    entries() {
      const out = { shape: [] as string[], value: [] as string[], range: [] as string[] };
      for (const s of specs) {
        if (shapeOf(s.name)) out.shape.push(`${s.name}=${shapeOf(s.name)}`);
        const f = field('data-input-feed', s.name).value as Feed;
        const v = field('data-input-value', s.name).value.trim();
        if (f === 'value' && v) out.value.push(`${s.name}=${v}`);
        if (f === 'range' && v) out.range.push(`${s.name}=${v}`);
      }
      return out;
    },
    async arrays() {
      const feeds = specs.map((s) => ({ s, f: field('data-input-feed', s.name).value as Feed, file: field('data-input-file', s.name).files?.[0] }));
      if (!feeds.some((x) => x.f === 'file' || x.f === 'image')) return undefined;
      const values: Record<string, Tensor> = {};
      const names: string[] = [];
      for (const { s, f, file } of feeds) {
        if (f === 'file' || f === 'image') {
          if (!file) throw new ParityError('INPUT_DATA', `input '${s.name}': choose a ${f === 'image' ? 'image' : 'data'} file (or another feed)`);
          values[s.name] = f === 'image' ? await imageTensor(file, file.name, s, parsedShape(s.name)) : await fileTensor(file, s);
          names.push(file.name);
        } else if (f === 'value') {
          const v = Number(field('data-input-value', s.name).value.trim() || NaN);
          if (!Number.isFinite(v))
            throw new ParityError('INPUT_DATA', `input '${s.name}': a constant value must be a number, got '${field('data-input-value', s.name).value}'`);
          values[s.name] = constant(s, v, parsedShape(s.name));
        } else {
          throw new ParityError(
            'INPUT_DATA',
            `input '${s.name}' is set to ${FEED_LABEL[f]}, but another input comes from a file: then every input needs a file or a constant value`,
          );
        }
      }
      return { values, name: names.join(' + ') };
    },
  };
}
