/**
 * `parity localize --browser`: the reference side in Node, the target side in the browser.
 *
 * Design: the reference must stay the Node fp32 reference (ort-node/cpu, optimizations as
 * recorded), so Node runs it — marked with every intermediate, exactly as `localize()` would —
 * through a recording backend. The job carries that recording, both models and the feeds into
 * the harness page, where the unchanged localization core runs with the recording replayed as
 * its reference backend and a page backend (ort-web wasm / webgl / webgpu) as its target: the
 * marked run, the isolation of the first divergent node and the unmarked check all run on the
 * browser backend. The report comes back as localize.json text. Node only.
 */
import type { Backend } from '../../kernel/runtime/types.ts';
import { ParityError } from '../../kernel/core/errors.ts';
import type { TensorMap } from '../../kernel/core/tensor.ts';
import { parseLocalizeJson } from '../../tools/localize/json.ts';
import { runSide } from '../../tools/localize/run-side.ts';
import type { LocalizeReport, OptLevel } from '../../tools/localize/types.ts';
import { decodeModel } from '../../kernel/onnx/io.ts';
import type { BrowserEnvironment } from './browser-environment.ts';
import { encodeSamples } from '../../contract/job-codec.ts';
import { encodeSide, isPageLocalizeBackend, PAGE_LOCALIZE_BACKENDS, type LocalizeJobOptions, type PageLocalizeBackend } from '../../contract/localize-job.ts';
import { recordingBackend } from '../../contract/recorded-backend.ts';

/** Default limit on the page's part (target marked + isolation + unmarked), ms. */
const BROWSER_LOCALIZE_TIMEOUT_MS = 300_000;

export interface BrowserLocalizeOptions extends LocalizeJobOptions {
  /** Where the target runs: the harness page in a browser (started on first use). */
  browser: BrowserEnvironment;
  /** The fp32 model on a Node backend (ort-node/cpu). */
  reference: { model: Uint8Array; name?: string; backend: Backend; graphOptimizationLevel?: OptLevel };
  /** The variant (or the same model) and the page backend that runs it. */
  target: { model: Uint8Array; name?: string; backend: PageLocalizeBackend; graphOptimizationLevel?: OptLevel };
  feeds: readonly TensorMap[];
  /** Limit on the page's part, ms. Default {@link BROWSER_LOCALIZE_TIMEOUT_MS}. */
  timeoutMs?: number;
  /** Progress lines (the page's come back after it finishes). Default: silent. */
  log?: (line: string) => void;
}

export interface BrowserLocalizeResult {
  report: LocalizeReport;
  /** The page's browser facts (browser version, WebGPU adapter and shader-f16, WebGL renderer...) and the target backend's probe info. */
  facts: Record<string, unknown>;
}

/** One line about where the target ran, from the page's facts. */
function whereLine(backend: string, facts: Record<string, unknown>): string {
  const parts = [`target ran in the browser (${String(facts.browser ?? 'Chromium')}) on ${backend} through the harness page`];
  // The GPU API a backend uses is in its id (ort-web/webgpu, ort-web/webgpu-jsep, ort-web/webgl).
  if (/\/webgpu/.test(backend) && facts['webgpu.architecture'] !== undefined) {
    parts.push(
      `WebGPU adapter ${String(facts['webgpu.vendor'] ?? '')} ${String(facts['webgpu.architecture'])}`.replace(/\s+/g, ' ') +
        `${facts['webgpu.isFallbackAdapter'] ? ' (fallback adapter: software)' : ''}, shader-f16 ${facts['webgpu.shaderF16'] ? 'yes' : 'no'}`,
    );
  }
  if (/\/webgl/.test(backend) && facts['webgl.renderer'] !== undefined) parts.push(`WebGL renderer ${String(facts['webgl.renderer'])}`);
  return parts.join('; ');
}

/**
 * Localizes `target` (run in the browser) against `reference` (run here).
 * @throws ParityError USAGE (not a page backend), RUN_FAILED with `details.role` (a side failed;
 *   the page's message is kept), BACKEND_UNAVAILABLE (this browser cannot run the backend),
 *   TIMEOUT (the page stopped answering).
 */
export async function localizeInBrowser(o: BrowserLocalizeOptions): Promise<BrowserLocalizeResult> {
  const log = o.log ?? (() => {});
  const backend: string = o.target.backend;
  if (!isPageLocalizeBackend(backend)) {
    throw new ParityError('USAGE', `backend '${backend}' cannot localize in the browser; expected one of ${PAGE_LOCALIZE_BACKENDS.join(', ')}`);
  }
  if (o.feeds.length === 0) throw new ParityError('USAGE', 'localize needs at least one sample of feeds');
  const refName = o.reference.name ?? 'reference.onnx';
  const refLevel = o.reference.graphOptimizationLevel ?? 'disabled';
  const t0 = performance.now();
  log(`reference: ${refName} on ${o.reference.backend.id} in Node (optimization ${refLevel}), ${o.feeds.length} sample(s)`);
  const recorder = recordingBackend(o.reference.backend);
  await runSide({
    role: 'reference',
    backend: recorder.backend,
    name: refName,
    model: decodeModel(o.reference.model, refName),
    level: refLevel,
    feeds: o.feeds,
    expose: 'all',
  });
  const referenceMs = Math.round(performance.now() - t0);

  const { browser, target, feeds, reference } = o;
  const options: LocalizeJobOptions = pickJobOptions(o);
  const driver = await browser.driver();
  log(`target: ${target.name ?? 'target.onnx'} on ${backend} in the browser`);
  const t1 = performance.now();
  const result = await driver.localize(
    {
      reference: { ...encodeSide({ name: refName, model: reference.model, graphOptimizationLevel: refLevel }), recording: recorder.recording() },
      target: {
        ...encodeSide({ name: target.name ?? 'target.onnx', model: target.model, graphOptimizationLevel: target.graphOptimizationLevel ?? 'all' }),
        backend: target.backend,
      },
      feeds: encodeSamples(feeds),
      options,
    },
    o.timeoutMs ?? BROWSER_LOCALIZE_TIMEOUT_MS,
  );
  for (const line of result.log) log(`[page] ${line}`);
  if (result.status === 'failed') throw new ParityError(result.code, result.reason, result.details);
  const report = parseLocalizeJson(result.reportJson);
  report.timings = { ...report.timings, referenceMs, browserMs: Math.round(performance.now() - t1) };
  report.notes.push(`reference recorded in Node on ${reference.backend.id}; ${whereLine(backend, result.facts)}`);
  return { report, facts: result.facts };
}

/** The plain-data options of `o`, as the page's `localize()` takes them. */
function pickJobOptions(o: BrowserLocalizeOptions): LocalizeJobOptions {
  const keys = [
    'feedsSource',
    'precision',
    'tolerance',
    'maxMismatchFraction',
    'hazardFraction',
    'isolate',
    'checkMarking',
  ] as const satisfies readonly (keyof LocalizeJobOptions)[];
  const out: Record<string, unknown> = {};
  for (const k of keys) if (o[k] !== undefined) out[k] = o[k];
  return out as LocalizeJobOptions;
}
