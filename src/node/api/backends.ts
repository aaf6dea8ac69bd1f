/**
 * `listBackends() → BackendRow[]`: the programmatic `parity backends` — every backend the Node
 * registry has, the environments it runs in, and whether it runs here (its library and version),
 * or why not. Browser-only ids are the rest of BACKEND_IDS. Node only.
 */
import { BACKEND_IDS, type BackendId } from '../../kernel/core/ids.ts';
import type { BackendRegistry } from '../../kernel/runtime/registry.ts';
import type { BackendInfo } from '../../kernel/runtime/types.ts';
import { createNodeRegistry } from '../runtimes/node-registry.ts';

export interface BackendRow {
  id: string;
  environments: readonly string[];
  available: boolean;
  /** Library, version, threads (when available). */
  info?: BackendInfo;
  /** Why it does not run here (when unavailable). */
  reason?: string;
}

export interface BackendList {
  rows: BackendRow[];
  /** Ids the Node registry lacks: they run only in the page (`parity run --browser`). */
  browserOnly: BackendId[];
}

/** Probes every registered backend. @param registry Default: a new Node registry. */
export async function listBackends(registry: BackendRegistry = createNodeRegistry()): Promise<BackendList> {
  const rows: BackendRow[] = [];
  for (const id of registry.ids()) {
    const a = await registry.probe(id);
    rows.push({ id, environments: registry.environmentsOf(id), available: a.ok, ...(a.ok ? { info: a.info } : { reason: a.reason }) });
  }
  return { rows, browserOnly: BACKEND_IDS.filter((id) => !registry.has(id)) };
}
