/**
 * Cells of the text panel's table: a text's tokens with their ids (padding left out), and per
 * backend the class probabilities and the embedding's cosine to the first backend's embedding.
 */
import type { TensorMap } from '../../src/kernel/core/tensor.ts';
import type { BackendId } from '../../src/kernel/core/ids.ts';
import type { TokenizedText } from '../../src/tools/pipeline/tokenizer/frame.ts';
import { el } from '../ui/dom.ts';

export function tokenChips(t: TokenizedText): HTMLElement {
  const chips = t.tokens.flatMap((tok, j) => (t.mask[j] ? [el('span', { class: 'token', title: `position ${j}` }, `${tok}·${t.ids[j]}`), ' '] : []));
  return el('div', { class: 'tokens' }, ...chips);
}

function row(outputs: TensorMap, name: string, i: number): Float32Array | undefined {
  const t = outputs[name];
  if (!t || t.dims.length !== 2) return undefined;
  const k = Number(t.dims[1]);
  return Float32Array.from((t.data as Float32Array).subarray(i * k, (i + 1) * k));
}

function cosine(a: Float32Array, b: Float32Array): number {
  let [ab, aa, bb] = [0, 0, 0];
  for (let j = 0; j < a.length; j++) [ab, aa, bb] = [ab + a[j]! * b[j]!, aa + a[j]! ** 2, bb + b[j]! ** 2];
  return ab / Math.sqrt(aa * bb || 1);
}

/** One cell per backend for sample `i`. */
export function outputCells(
  results: readonly { id: BackendId; outputs?: TensorMap; error?: string }[],
  i: number,
  classifier: string | undefined,
  classes: readonly string[],
): HTMLElement[] {
  const first = results.find((r) => r.outputs)?.outputs;
  return results.map((r) => {
    if (!r.outputs) return el('td', { class: 'error' }, r.error ?? 'no output');
    const lines: string[] = [];
    const probs = classifier ? row(r.outputs, classifier, i) : undefined;
    if (probs) lines.push([...probs].map((p, k) => `${classes[k] ?? k}: ${p.toFixed(4)}`).join(', '));
    for (const name of Object.keys(r.outputs).filter((n) => n !== classifier)) {
      const v = row(r.outputs, name, i);
      const ref = first ? row(first, name, i) : undefined;
      if (v && ref) lines.push(`${name}: cos ${cosine(ref, v).toFixed(6)} to the first backend`);
    }
    return el('td', {}, ...lines.flatMap((l) => [l, el('br')]));
  });
}
