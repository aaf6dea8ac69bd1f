/**
 * `window.parity`: the page's API for a driver (Playwright) — list and probe backends, read the
 * browser facts, run one target. The same `executeTarget` the CLI uses in Node runs here; the
 * browser facts are added to each record.
 */
import type { BackendRegistry } from '../src/backends/registry.ts';
import type { Availability, BackendId } from '../src/backends/types.ts';
import { decodeJob } from '../src/browser/job-codec.ts';
import { PAGE_API_VERSION, type PageBackend, type ParityPageApi } from '../src/browser/page-api.ts';
import { executeTarget } from '../src/run/execute-target.ts';
import { browserFacts } from './browser-facts.ts';

export function createPageApi(registry: BackendRegistry): ParityPageApi {
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
        const formats = await registry.get(id).then((b) => b.formats, () => []);
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
      const facts = { ...(await browserFacts()), ...job.facts };
      return executeTarget({ ...job, facts }, registry);
    },
  };
}
