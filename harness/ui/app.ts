/**
 * The benchmark page for a person: pick a model, backends, variants and a sample count, run, and
 * read the results table and charts; export the run as records.jsonl / report.json.
 */
import type { BackendRegistry } from '../../src/kernel/runtime/registry.ts';
import type { ParityPageApi } from '../../src/contract/page-api.ts';
import type { Report } from '../../src/kernel/judge/types.ts';
import { errorMessage, isParityError } from '../../src/kernel/core/errors.ts';
import type { RunRecord, VariantName } from '../../src/kernel/core/record.ts';
import { parseInputOverrides } from '../../src/kernel/data/input-options.ts';
import { renderCsv } from '../../src/kernel/render/csv.ts';
import { renderHtml } from '../../src/kernel/render/html.ts';
import { renderJson } from '../../src/kernel/render/json.ts';
import { recordLine } from '../../src/kernel/render/records-jsonl.ts';
import type { UserModel } from '../model-sources.ts';
import { pageReference, runInPage } from '../page-run.ts';
import { startRunWorker, type RunWorker } from '../worker-client.ts';
import { variantChoices } from '../page-variants.ts';
import { renderBackends, type BackendsView } from './backends-view.ts';
import { byId, download, el } from './dom.ts';
import { renderInputs, type InputsView } from './inputs-view.ts';
import { setupModelPicker } from './model-picker.ts';
import { progressWords, renderBanner, renderResults } from './results-view.ts';
import { parseUrlConfig, urlFor } from './url-config.ts';
import { envSummary, recordSummary } from './summaries.ts';

/** Live results while a run goes on, drawn at most every 500 ms (a redraw of a big table is not free). */
function liveResults(): { show(report: Report, progress: { done: number; total: number }): void; stop(): void } {
  let pending: { report: Report; progress: { done: number; total: number } } | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const draw = () => {
    timer = undefined;
    if (pending) renderResults(pending.report, { verdict: byId('verdict'), table: byId('results'), charts: byId('charts') }, pending.progress);
    pending = undefined;
  };
  return {
    show(report, progress) {
      const first = !byId('verdict').firstChild;
      pending = { report, progress };
      if (first) draw();
      else timer ??= setTimeout(draw, 500);
    },
    stop() {
      clearTimeout(timer);
      pending = undefined;
    },
  };
}

export async function startApp(api: ParityPageApi, registry: BackendRegistry): Promise<void> {
  let current: { user: UserModel; origin: string } | undefined;
  let backends: BackendsView | undefined;
  let last: { records: RunRecord[]; report: Report } | undefined;
  let inputs: (InputsView & { model: unknown }) | undefined;
  const run = byId<HTMLButtonElement>('run');
  const variantsHost = byId('variants');
  // A configuration in the URL is applied once, when both the model and the backends are ready.
  const fromUrl = parseUrlConfig(location.search);
  let urlPending = location.search.length > 1;
  const applyUrl = () => {
    if (!urlPending || !current || !backends) return;
    urlPending = false;
    for (const p of fromUrl.problems) byId('model-info').append(el('div', { class: 'error' }, p));
    if (fromUrl.backends) backends.select(fromUrl.backends);
    if (fromUrl.variants)
      for (const box of variantsHost.querySelectorAll<HTMLInputElement>('input[data-variant]'))
        box.checked = !box.disabled && fromUrl.variants.includes(box.dataset.variant!);
    if (fromUrl.samples) byId<HTMLInputElement>('samples').value = String(fromUrl.samples);
    if (fromUrl.shape.length) byId<HTMLInputElement>('shapes').value = fromUrl.shape.join('; ');
    if (fromUrl.value.length) byId<HTMLInputElement>('values').value = fromUrl.value.join('; ');
    if (fromUrl.range?.length) byId<HTMLInputElement>('ranges').value = fromUrl.range.join('; ');
    // After this turn: the Run button's handler is attached further down in startApp.
    if (fromUrl.run) setTimeout(() => run.click(), 0);
  };

  const facts = await api.facts();
  byId('env-line').textContent = envSummary(facts);

  const exports = ['export-csv', 'export-records', 'export-report', 'export-html'].map((id) => byId<HTMLButtonElement>(id));
  const setExportable = (ok: boolean) => {
    for (const b of exports) {
      b.disabled = !ok;
      b.title = ok ? '' : 'run first: the exports hold the last finished run';
    }
  };
  setExportable(false);
  const showModel = (user: UserModel, origin: string) => {
    // A new model: results of the previous one no longer apply.
    if (current?.user !== user) {
      last = undefined;
      setExportable(false);
      byId('results-section').hidden = true;
      for (const id of ['verdict', 'results', 'charts']) byId(id).replaceChildren();
    }
    current = { user, origin };
    const m = user.model;
    const formats = [...(m.onnx ? ['onnx'] : []), ...(m.tfjs ? ['tfjs'] : [])];
    byId('model-info').textContent =
      `${m.name} — ${formats.join(' + ')} (${origin})${user.dataName ? `, inputs from ${user.dataName}` : ''}${m.manifest?.description ? ` — ${m.manifest.description}` : ''}`;
    variantsHost.replaceChildren(
      ...variantChoices(m).map((c) =>
        el(
          'label',
          { class: c.reason ? 'off' : undefined, title: c.reason },
          el('input', { type: 'checkbox', 'data-variant': c.variant, checked: c.variant === 'fp32', disabled: Boolean(c.reason) }),
          ` ${c.variant}`,
          // Why it cannot be chosen, in view (a title alone is hover-only, unseen on touch and by keyboard).
          ...(c.reason ? [el('span', { class: 'why' }, ` — ${c.reason}`)] : []),
        ),
      ),
    );
    const ref = pageReference(formats as ('onnx' | 'tfjs')[]);
    byId('reference-note').textContent =
      `Reference here: fp32 on ${ref} in this browser${formats.includes('onnx') ? '' : ' (the model is TF.js only)'}. ` +
      '`parity run --browser` keeps the reference in Node (fp32 on ort-node/cpu) and runs these backends through this page.';
    backends?.setFormats(formats);
    run.disabled = !backends;
    if (inputs?.model !== m) {
      try {
        inputs = { ...renderInputs(byId('inputs'), m), model: m };
      } catch (e) {
        inputs = undefined;
        byId('inputs').replaceChildren(el('span', { class: 'error' }, `cannot read the model's inputs: ${errorMessage(e)}`));
      }
    }
  };

  setupModelPicker(
    {
      select: byId<HTMLSelectElement>('bundled'),
      drop: byId('drop'),
      pickFiles: byId<HTMLInputElement>('pick-onnx'),
      pickFolder: byId<HTMLInputElement>('pick-folder'),
      info: byId('model-info'),
      chooseFiles: byId<HTMLButtonElement>('choose-onnx'),
      chooseFolder: byId<HTMLButtonElement>('choose-folder'),
    },
    (user, origin) => {
      showModel(user, origin);
      applyUrl();
    },
    fromUrl.model,
  );

  const list = await api.backends();
  backends = renderBackends(byId('backends'), list, await api.probe());
  // Runs go to a worker when every chosen backend runs there (it starts and probes meanwhile).
  const workerReady: Promise<RunWorker | undefined> = startRunWorker(list.map((b) => b.id)).catch(() => undefined);
  if (current) showModel(current.user, current.origin);
  applyUrl();

  const log = byId('progress-log');
  const line = (text: string, cls?: string) => log.append(el('li', cls ? { class: cls } : {}, text));
  const cancel = byId<HTMLButtonElement>('cancel');
  let controller: AbortController | undefined;
  cancel.addEventListener('click', () => {
    controller?.abort();
    cancel.disabled = true;
    byId('progress-text').textContent += ' — cancelling after the current target…';
  });
  const inputEntries = () => {
    const free = (id: string) =>
      byId<HTMLInputElement>(id)
        .value.split(/[;\s]+/)
        .filter(Boolean);
    const table = inputs?.entries() ?? { shape: [], value: [], range: [] };
    return { shape: [...free('shapes'), ...table.shape], value: [...free('values'), ...table.value], range: [...free('ranges'), ...table.range] };
  };
  const settings = () => ({
    model: current?.user.model.name,
    backends: backends?.selected() ?? [],
    variants: [...variantsHost.querySelectorAll<HTMLInputElement>('input[data-variant]')]
      .filter((b) => b.checked && !b.disabled)
      .map((b) => b.dataset.variant!),
    ...inputEntries(),
    samples: Math.max(1, Number(byId<HTMLInputElement>('samples').value) || 1),
    latencyBudgetMs: Math.max(0, Number(byId<HTMLInputElement>('budget').value) || 0),
    data: current?.user.dataName,
    inputFiles: [...document.querySelectorAll<HTMLInputElement>('#inputs input[type=file]')].flatMap((f) =>
      f.files?.[0] ? [`${f.dataset.inputFile}=${f.files[0].name}`] : [],
    ),
  });
  byId('copy-link').addEventListener('click', () => {
    const s = settings();
    const link = urlFor(`${location.origin}${location.pathname}`, {
      ...(current?.origin.startsWith('bundled') && s.model ? { model: s.model } : {}),
      backends: s.backends,
      variants: s.variants,
      shape: s.shape,
      value: s.value,
      range: s.range,
      samples: s.samples,
    });
    byId('link-out').textContent = current?.origin.startsWith('bundled') ? link : `${link} (your own model file cannot travel in a link)`;
    void navigator.clipboard?.writeText(link).catch(() => undefined);
  });
  run.addEventListener(
    'click',
    () =>
      void (async () => {
        if (!current || !backends) {
          byId('progress-section').hidden = false;
          byId('progress-text').textContent = 'choose a model first (and wait for the backends to be probed)';
          return;
        }
        run.disabled = true;
        controller = new AbortController();
        cancel.disabled = false;
        setExportable(false);
        document.body.dataset.parityStatus = 'running';
        byId('progress-section').hidden = false;
        // Pinned to the bottom of the window while running, so progress stays in view below the Run button.
        byId('progress-section').classList.add('running');
        log.replaceChildren();
        const runError = byId('run-error');
        runError.hidden = true;
        const bar = byId<HTMLProgressElement>('progress');
        const text = byId('progress-text');
        text.textContent = 'starting…';
        // A re-run: the last verdict no longer stands (the banner never says PASS mid-run).
        if (byId('verdict').firstChild) byId('verdict').replaceChildren(el('div', { class: 'banner running', role: 'status' }, 'running: starting…'));
        try {
          const model = { ...current.user.model, overrides: parseInputOverrides(inputEntries()) };
          const fromFiles = await inputs?.arrays();
          const data = fromFiles
            ? { data: fromFiles.values, dataName: fromFiles.name }
            : current.user.data
              ? { data: current.user.data, dataName: current.user.dataName ?? 'your data' }
              : {};
          const variants = [...variantsHost.querySelectorAll<HTMLInputElement>('input[data-variant]')]
            .filter((b) => b.checked && !b.disabled)
            .map((b) => b.dataset.variant as VariantName);
          let done = 0;
          const live = liveResults();
          const used = settings();
          const worker = await workerReady;
          const chosen = [...new Set([pageReference(model.onnx ? ['onnx'] : ['tfjs']), ...backends.selected()])];
          const offWorker = !byId<HTMLInputElement>('in-worker').checked
            ? [{ id: chosen[0]!, reason: "'Run in a Web Worker' is off" }]
            : worker
              ? worker.unavailable(chosen)
              : chosen.map((id) => ({ id, reason: 'this browser has no module workers' }));
          const runsIn = offWorker.length ? 'main thread' : 'worker';
          line(
            offWorker.length
              ? `running on the main thread (yielding between runs): ${offWorker.map((o) => `${o.id}: ${o.reason}`).join('; ')}`
              : 'running in a Web Worker: the page stays responsive',
          );
          const runner = (o: Parameters<RunWorker['run']>[0]) => (offWorker.length ? runInPage({ ...o, registry }) : worker!.run(o));
          const result = await runner({
            model,
            facts: { ...facts, settings: used, url: location.href, runsIn },
            signal: controller.signal,
            backends: backends.selected(),
            variants,
            samples: Math.max(1, Number(byId<HTMLInputElement>('samples').value) || 1),
            latency: { minIterations: 5, maxIterations: 1000, budgetMs: Math.max(0, Number(byId<HTMLInputElement>('budget').value) || 0), ciHalfWidth: 0.02 },
            timeoutMs: 120_000,
            ...data,
            log: (l) => line(l),
            planned: (t) => ((bar.max = t.length), (bar.value = 0)),
            started: (t) => (text.textContent = `${progressWords({ done, total: bar.max })} — running ${t.id}…`),
            recorded: (r, report) => {
              bar.value = ++done;
              text.textContent = progressWords({ done, total: bar.max });
              // The banner follows at once (the results body below is redrawn at most every 500 ms).
              renderBanner(report, byId('verdict'), { done, total: bar.max });
              line(recordSummary(r), r.status === 'error' ? 'error' : undefined);
              byId('results-section').hidden = false;
              live.show(report, { done, total: bar.max });
            },
          });
          live.stop();
          renderResults(result.report, { verdict: byId('verdict'), table: byId('results'), charts: byId('charts') });
          byId('results-section').hidden = false;
          last = result;
          setExportable(true);
          api.lastReport = result.report;
          text.textContent = controller.signal.aborted ? `cancelled: ${result.records.length} targets recorded` : `done: ${result.records.length} targets`;
          document.body.dataset.parityStatus = 'done';
        } catch (e) {
          line(errorMessage(e).split('\n')[0]!, 'error');
          runError.replaceChildren(el('strong', {}, isParityError(e) ? `${e.code}: ` : 'error: '), errorMessage(e));
          if (isParityError(e) && e.code === 'INPUT_SYNTHESIS') {
            runError.append(
              el(
                'p',
                {},
                "On this page: set the input's shape, or pick 'constant value', 'random in range', 'data file' or 'image file' for it in the Inputs table (the CLI flags above do the same).",
              ),
            );
          }
          runError.hidden = false;
          // Results shown so far are of a run that stopped: the banner says so (never "running").
          byId('verdict').replaceChildren(el('div', { class: 'banner bad', role: 'status' }, `FAILED: the run stopped — ${errorMessage(e).split('\n')[0]}`));
          text.textContent = 'failed';
          document.body.dataset.parityStatus = 'failed';
        } finally {
          byId('progress-section').classList.remove('running');
          run.disabled = false;
          cancel.disabled = true;
        }
      })(),
  );

  byId('export-csv').addEventListener('click', () => last && download('targets.csv', renderCsv(last.report), 'text/csv'));
  byId('export-records').addEventListener('click', () => last && download('records.jsonl', last.records.map(recordLine).join(''), 'application/x-ndjson'));
  byId('export-report').addEventListener('click', () => last && download('report.json', renderJson(last.report), 'application/json'));
  byId('export-html').addEventListener(
    'click',
    () => last && download('report.html', renderHtml(last.report, { title: 'infer-parity browser run' }), 'text/html'),
  );
}
