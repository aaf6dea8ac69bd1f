/**
 * `window.parity`: the page's API for a driver (Playwright) — list and probe backends, read the
 * browser facts, run one target, localize a target against a recorded Node reference, and
 * transform raw records with a fitted feature pipeline. The same `executeTarget`, `localize` and
 * `transform` the CLI uses in Node run here; the browser facts are added to each record.
 * Localization and the pipeline are imported on first use, so a plain run page stays light.
 */
import type { BackendRegistry } from '../src/kernel/runtime/registry.ts';
import type { Availability } from '../src/kernel/runtime/types.ts';
import type { BackendId } from '../src/kernel/core/ids.ts';
import { decodeJob } from '../src/contract/job-codec.ts';
import { PAGE_API_VERSION, type PageBackend, type ParityPageApi } from '../src/contract/page-api.ts';
import { executeTarget } from '../src/tools/run/execute-target.ts';
import { withGpuErrors } from '../src/kernel/runtime/gpu-errors.ts';
import { browserFacts } from './browser-facts.ts';
import { requestTfjsWasmThreads } from './wasm-threads.ts';
import { SCHEMA_VERSION } from '../src/kernel/core/record.ts';
import { captureDuring, installErrorCapture } from './gpu-errors.ts';

export function createPageApi(registry: BackendRegistry): ParityPageApi {
  installErrorCapture();
  const probes = new Map<BackendId, Promise<Availability>>();
  const probe = (id: BackendId) => {
    let p = probes.get(id);
    if (!p) probes.set(id, (p = registry.probe(id)));
    return p;
  };
  return {
    apiVersion: PAGE_API_VERSION,
    async backends(): Promise<PageBackend[]> {
      const out: PageBackend[] = [];
      for (const id of registry.ids('browser')) {
        const formats = await registry.get(id).then(
          (b) => b.formats,
          () => [],
        );
        out.push({ id, formats });
      }
      return out;
    },
    async probe(ids) {
      const out: Partial<Record<BackendId, Availability>> = {};
      for (const id of ids ?? registry.ids('browser')) out[id] = await probe(id);
      return out;
    },
    facts: browserFacts,
    async runJob(encoded) {
      const job = decodeJob(encoded);
      if (job.target.backend === 'tfjs/wasm') {
        // tfjs-wasm's thread count is fixed when it starts in this page (harness/wasm-threads.ts).
        try {
          requestTfjsWasmThreads(job.load?.threads);
        } catch (e) {
          return {
            schemaVersion: SCHEMA_VERSION,
            target: job.target,
            status: 'skipped',
            reason: `unavailable: ${(e as Error).message}`,
            errorCode: 'BACKEND_UNAVAILABLE',
            facts: job.facts ?? {},
            startedAt: new Date().toISOString(),
          };
        }
      }
      const facts = { ...(await browserFacts()), ...job.facts };
      // WebGPU errors and console errors raised meanwhile go into the record (src/kernel/runtime/gpu-errors.ts).
      const { result, messages } = await captureDuring(() => executeTarget({ ...job, facts }, registry));
      return withGpuErrors(result, messages);
    },
    async localize(job) {
      const { runLocalizeJob } = await import('./page-localize.ts');
      return runLocalizeJob(job, registry, browserFacts);
    },
    async transform(fitted, rows, mode) {
      const [{ parseFitted, transform }, { encodeFeatureMatrix }] = await Promise.all([
        import('../src/tools/pipeline/index.ts'),
        import('../src/contract/feature-codec.ts'),
      ]);
      return encodeFeatureMatrix(transform(parseFitted(fitted, 'fitted pipeline'), rows, mode));
    },
    async tokenize(tokenizerJson, texts) {
      const { tokenizeInPage } = await import('./text/tokenize.ts');
      return tokenizeInPage(tokenizerJson, texts);
    },
  };
}
