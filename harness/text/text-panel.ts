/**
 * The page's text panel: type or paste texts (one per line), see each text's tokens and ids from a
 * bundled model's tokenizer.json (Tokenizers.js, the serving code), and the model's outputs on every
 * chosen backend side by side (class probabilities, and the embedding's cosine to the first backend's).
 * Only bundled models that ship a tokenizer.json beside their manifest are offered.
 */
import type { ModelManifest } from '../../src/kernel/core/manifest.ts';
import { tensor, type TensorMap } from '../../src/kernel/core/tensor.ts';
import type { BackendRegistry } from '../../src/kernel/runtime/registry.ts';
import type { BackendId } from '../../src/kernel/core/ids.ts';
import { feedsToTwin, outputsFromTwin } from '../../src/tools/run/twin.ts';
import { textFeeds } from '../../src/tools/pipeline/tokenizer/js-tokenizer.ts';
import { loadBundled } from '../model-sources.ts';
import { el } from '../ui/dom.ts';
import { tokenizeInPage } from './tokenize.ts';
import { outputCells, tokenChips } from './text-view.ts';

const MANIFESTS = import.meta.glob<ModelManifest>('../../models/*/parity-model.json', { eager: true, import: 'default' });
const TOKENIZERS = import.meta.glob<string>('../../models/*/tokenizer.json', { query: '?url', import: 'default', eager: true });
const DEFAULT_BACKENDS: readonly BackendId[] = ['ort-web/wasm', 'tfjs/cpu'];

/** Bundled models with a tokenizer.json beside the manifest: manifest key → tokenizer URL. */
function textModels(): { key: string; name: string; tokenizer: string }[] {
  return Object.entries(MANIFESTS).flatMap(([key, m]) => {
    const url = TOKENIZERS[key.replace(/parity-model\.json$/, 'tokenizer.json')];
    // model-sources.ts keys its manifests from harness/ ('../models/…'); this file sits one folder deeper.
    return url ? [{ key: key.replace(/^\.\.\//, ''), name: m.name, tokenizer: url }] : [];
  });
}

export function mountTextPanel(host: HTMLElement, registry: BackendRegistry): void {
  const models = textModels();
  if (!models.length) return;
  const picker = el('select', { id: 'text-model', 'aria-label': 'text model' }, ...models.map((m, i) => el('option', { value: String(i) }, m.name)));
  const input = el('textarea', { id: 'text-input', rows: 4, 'aria-label': 'texts, one per line', style: 'width: 100%; box-sizing: border-box' });
  input.value = 'Re: meeting notes for tomorrow, see the attached agenda\nCONGRATULATIONS! You have WON a FREE vacation, click here to claim your prize now!!!';
  const boxes = registry.ids('browser').map((id) => {
    const box = el('input', { type: 'checkbox', 'data-text-backend': id, checked: DEFAULT_BACKENDS.includes(id) });
    return { id, box, label: el('label', {}, box, ` ${id}`) };
  });
  const go = el('button', { id: 'text-run', type: 'button' }, 'Tokenize and run');
  const status = el('p', { id: 'text-status', role: 'status' });
  // Wide tables scroll inside their box, never the page.
  const out = el('div', { id: 'text-results', style: 'overflow-x: auto' });
  host.append(
    el(
      'section',
      { id: 'text-panel', 'aria-labelledby': 'text-heading' },
      el('h2', { id: 'text-heading' }, 'Text: tokens, ids and outputs per backend'),
      el('div', {}, el('label', {}, 'model ', picker)),
      input,
      el('div', { class: 'backends', style: 'display: flex; flex-wrap: wrap; gap: 0.25rem 1rem' }, ...boxes.map((b) => b.label)),
      go,
      status,
      out,
    ),
  );
  go.addEventListener('click', () => {
    void (async () => {
      go.disabled = true;
      out.replaceChildren();
      try {
        const choice = models[Number(picker.value)]!;
        const texts = input.value.split('\n').filter((t) => t.trim() !== '');
        status.textContent = `tokenizing ${texts.length} text(s)…`;
        const tokenizer = await (await fetch(choice.tokenizer)).json();
        const tokenized = await tokenizeInPage(tokenizer, texts);
        const model = await loadBundled(choice.key);
        const length = tokenized[0]?.ids.length ?? 0;
        const { ids, mask } = textFeeds(tokenized, length);
        const feeds: TensorMap = { input_ids: tensor('int64', [texts.length, length], ids), attention_mask: tensor('int64', [texts.length, length], mask) };
        const results: { id: BackendId; outputs?: TensorMap; error?: string }[] = [];
        for (const { id } of boxes.filter((b) => b.box.checked)) {
          status.textContent = `running on ${id}…`;
          try {
            const backend = await registry.get(id);
            const source = backend.formats.includes('onnx') ? model.onnx : model.tfjs;
            if (!source) throw new Error(`${model.name} has no ${backend.formats.join('/')} twin`);
            const session = await backend.load(source);
            const raw = await session.run(source.format === 'tfjs' && model.twin ? feedsToTwin(feeds, model.twin) : feeds);
            await session.dispose();
            results.push({ id, outputs: source.format === 'tfjs' && model.twin ? outputsFromTwin(raw, model.twin) : raw });
          } catch (e) {
            results.push({ id, error: e instanceof Error ? e.message.split('\n')[0]! : String(e) });
          }
        }
        const classes = (model.manifest?.facts?.classes as string[] | undefined) ?? [];
        out.append(
          el(
            'table',
            { class: 'text-table' },
            el('thead', {}, el('tr', {}, el('th', {}, 'text'), el('th', {}, 'tokens · ids'), ...results.map((r) => el('th', {}, r.id)))),
            el(
              'tbody',
              {},
              ...texts.map((t, i) =>
                el('tr', {}, el('td', {}, t), el('td', {}, tokenChips(tokenized[i]!)), ...outputCells(results, i, model.classifierOutput, classes)),
              ),
            ),
          ),
        );
        status.textContent = `${texts.length} text(s), ${length} positions, ${results.length} backend(s)`;
      } catch (e) {
        status.textContent = `failed: ${e instanceof Error ? e.message : String(e)}`;
      } finally {
        go.disabled = false;
      }
    })();
  });
}
