/**
 * The contract between the benchmark page and whoever drives it (Playwright from the CLI, or a
 * test): the page installs `window.parity`, the driver calls it through `page.evaluate`.
 * Everything crossing it is plain JSON. Pure types.
 */
import type { Availability, BackendId, ModelFormat } from '../backends/types.ts';
import type { RunRecord } from '../core/record.ts';
import type { EncodedJob } from './job-codec.ts';

/** Version of this contract; the driver refuses a page speaking another one. */
export const PAGE_API_VERSION = 1;

export interface PageBackend {
  id: BackendId;
  formats: readonly ModelFormat[];
}

export interface ParityPageApi {
  readonly apiVersion: typeof PAGE_API_VERSION;
  /** The backends registered in this page (not necessarily available). */
  backends(): Promise<PageBackend[]>;
  /** Availability of each backend, with the reason when not (starts runtimes; results cached). */
  probe(ids?: readonly BackendId[]): Promise<Partial<Record<BackendId, Availability>>>;
  /** Facts about this browser (user agent, isolation, timer resolution, GPU adapter, WebGL). */
  facts(): Promise<Record<string, unknown>>;
  /** Runs one target (see `executeTarget`); never rejects for a target that merely fails. */
  runJob(job: EncodedJob): Promise<RunRecord>;
}

declare global {
  interface Window {
    /** Set by the harness page once its modules loaded. */
    parity?: ParityPageApi;
  }
}
