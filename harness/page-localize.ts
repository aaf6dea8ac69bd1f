/**
 * `window.parity.localize` in the page: the localization core (src/tools/localize, pure TypeScript)
 * with the recorded Node reference replayed as its reference backend and a page backend
 * (ort-web wasm / webgl / webgpu) as its target. The target backend is probed first: one this
 * browser cannot run is a failed result with the real reason — never another backend instead.
 */
import type { BackendRegistry } from '../src/kernel/runtime/registry.ts';
import { decodeSamples } from '../src/contract/job-codec.ts';
import { decodeSide, isPageLocalizeBackend, PAGE_LOCALIZE_BACKENDS, type EncodedLocalizeJob, type PageLocalizeResult } from '../src/contract/localize-job.ts';
import { replayBackend } from '../src/contract/recorded-backend.ts';
import { choices, errorMessage, isParityError, ParityError } from '../src/kernel/core/errors.ts';
import { localize } from '../src/tools/localize/localize.ts';
import { renderLocalizeJson } from '../src/tools/localize/json.ts';

/** Runs one localization job; every failure becomes a `failed` result with its error code. */
export async function runLocalizeJob(
  job: EncodedLocalizeJob,
  registry: BackendRegistry,
  facts: () => Promise<Record<string, unknown>>,
): Promise<PageLocalizeResult> {
  const log: string[] = [];
  try {
    const id: string = job.target.backend;
    if (!isPageLocalizeBackend(id)) {
      throw new ParityError('USAGE', `the page localizes on ${choices(PAGE_LOCALIZE_BACKENDS)}; got '${id}'`);
    }
    const available = await registry.probe(id);
    if (!available.ok) throw new ParityError('BACKEND_UNAVAILABLE', `backend ${id} is not available in this browser: ${available.reason}`, { backend: id });
    // float16 outputs come back as Float16Array values in this browser; the core reads bits.
    const target = await registry.get(id);
    const report = await localize({
      ...job.options,
      reference: { ...decodeSide(job.reference), backend: replayBackend(job.reference.recording) },
      target: { ...decodeSide(job.target), backend: target },
      feeds: decodeSamples(job.feeds),
      log: (line) => log.push(line),
    });
    return { status: 'ok', reportJson: renderLocalizeJson(report), log, facts: { ...(await facts()), backendInfo: available.info } };
  } catch (e) {
    if (isParityError(e)) return { status: 'failed', code: e.code, reason: e.message, details: e.details, log };
    return { status: 'failed', code: 'RUN_FAILED', reason: errorMessage(e), details: {}, log };
  }
}
