/**
 * The benchmark page for a person: pick a model, backends, variants and a sample count, run, and
 * read the results table and charts; export the run as records.jsonl / report.json.
 */
import type { BackendRegistry } from '../../src/backends/registry.ts';
import type { ParityPageApi } from '../../src/browser/page-api.ts';
import type { Report } from '../../src/compare/types.ts';
import { errorMessage } from '../../src/core/errors.ts';
import type { RunRecord, VariantName } from '../../src/core/record.ts';
import { parseInputOverrides } from '../../src/data/input-options.ts';
import { renderHtml } from '../../src/report/html.ts';
import { renderJson } from '../../src/report/json.ts';
import { recordLine } from '../../src/report/records-jsonl.ts';
import type { UserModel } from '../model-sources.ts';
import { pageReference, runInPage } from '../page-run.ts';
import { variantChoices } from '../page-variants.ts';
import { renderBackends, type BackendsView } from './backends-view.ts';
import { byId, download, el } from './dom.ts';
import { setupModelPicker } from './model-picker.ts';
import { renderResults } from './results-view.ts';
import { envSummary, recordSummary } from './summaries.ts';

export async function startApp(api: ParityPageApi, registry: BackendRegistry): Promise<void> {
  let current: { user: UserModel; origin: string } | undefined;
  let backends: BackendsView | undefined;
  let last: { records: RunRecord[]; report: Report } | undefined;
  const run = byId<HTMLButtonElement>('run');
  const variantsHost = byId('variants');

  const facts = await api.facts();
  byId('env-line').textContent = envSummary(facts);

  const showModel = (user: UserModel, origin: string) => {
    current = { user, origin };
    const m = user.model;
    const formats = [...(m.onnx ? ['onnx'] : []), ...(m.tfjs ? ['tfjs'] : [])];
    byId('model-info').textContent = `${m.name} — ${formats.join(' + ')} (${origin})${user.dataName ? `, inputs from ${user.dataName}` : ''}${m.manifest?.description ? ` — ${m.manifest.description}` : ''}`;
    variantsHost.replaceChildren(...variantChoices(m).map((c) =>
      el('label', { class: c.reason ? 'off' : undefined, title: c.reason },
        el('input', { type: 'checkbox', 'data-variant': c.variant, checked: c.variant === 'fp32', disabled: Boolean(c.reason) }), ` ${c.variant}`)));
    const ref = pageReference(formats as ('onnx' | 'tfjs')[]);
    byId('reference-note').textContent = `Reference here: fp32 on ${ref} in this browser${formats.includes('onnx') ? '' : ' (the model is TF.js only)'}. ` +
      '`parity run --browser` keeps the reference in Node (fp32 on ort-node/cpu) and runs these backends through this page.';
    backends?.setFormats(formats);
    run.disabled = !backends;
  };

  setupModelPicker({
    select: byId<HTMLSelectElement>('bundled'), drop: byId('drop'), pickFiles: byId<HTMLInputElement>('pick-onnx'),
    pickFolder: byId<HTMLInputElement>('pick-folder'), info: byId('model-info'),
  }, showModel);

  const list = await api.backends();
  backends = renderBackends(byId('backends'), list, await api.probe());
  if (current) showModel(current.user, current.origin);

  const log = byId('progress-log');
  const line = (text: string, cls?: string) => log.append(el('li', cls ? { class: cls } : {}, text));
  run.addEventListener('click', () => void (async () => {
    if (!current || !backends) return;
    run.disabled = true;
    byId('progress-section').hidden = false;
    log.replaceChildren();
    const bar = byId<HTMLProgressElement>('progress');
    const text = byId('progress-text');
    try {
      const shapes = byId<HTMLInputElement>('shapes').value.split(/[;\s]+/).filter(Boolean);
      const model = { ...current.user.model, overrides: parseInputOverrides({ shape: shapes }) };
      const variants = [...variantsHost.querySelectorAll<HTMLInputElement>('input[data-variant]')].filter((b) => b.checked && !b.disabled).map((b) => b.dataset.variant as VariantName);
      let done = 0;
      const result = await runInPage({
        model, registry, facts,
        backends: backends.selected(), variants,
        samples: Math.max(1, Number(byId<HTMLInputElement>('samples').value) || 1),
        latency: { minIterations: 5, maxIterations: 1000, budgetMs: Math.max(0, Number(byId<HTMLInputElement>('budget').value) || 0), ciHalfWidth: 0.02 },
        timeoutMs: 120_000,
        ...(current.user.data ? { data: current.user.data, dataName: current.user.dataName ?? 'your data' } : {}),
        log: (l) => line(l),
        planned: (t) => ((bar.max = t.length), (bar.value = 0)),
        started: (t) => (text.textContent = `${done + 1}/${bar.max} running ${t.id}…`),
        recorded: (r, report) => {
          bar.value = ++done;
          text.textContent = `${done}/${bar.max} done`;
          line(recordSummary(r), r.status === 'error' ? 'error' : undefined);
          byId('results-section').hidden = false;
          renderResults(report, { verdict: byId('verdict'), table: byId('results'), charts: byId('charts') });
        },
      });
      last = result;
      text.textContent = `done: ${result.records.length} targets`;
    } catch (e) {
      line(errorMessage(e), 'error');
      text.textContent = 'failed';
    } finally {
      run.disabled = false;
    }
  })());

  byId('export-records').addEventListener('click', () => last && download('records.jsonl', last.records.map(recordLine).join(''), 'application/x-ndjson'));
  byId('export-report').addEventListener('click', () => last && download('report.json', renderJson(last.report), 'application/json'));
  byId('export-html').addEventListener('click', () => last && download('report.html', renderHtml(last.report, { title: 'infer-parity browser run' }), 'text/html'));
}
