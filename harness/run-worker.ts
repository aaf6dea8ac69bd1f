/**
 * The benchmark page's runs off the main thread: a module Web Worker with its own browser registry
 * that runs the one run core (through runInPage) and posts every progress event back as plain
 * data — records and reports are JSON already. Backends that need a DOM (WebGL's canvas) probe
 * unavailable here with their reason; the page then runs on the main thread instead (see
 * worker-client.ts). Protocol: {@link WorkerRequest} in, {@link WorkerEvent} out.
 */
import type { Availability } from '../src/kernel/runtime/types.ts';
import type { Report } from '../src/kernel/judge/types.ts';
import { errorMessage, isParityError } from '../src/kernel/core/errors.ts';
import type { BackendId } from '../src/kernel/core/ids.ts';
import type { RunRecord, TargetSpec } from '../src/kernel/core/record.ts';
import { createBrowserRegistry } from './browser-registry.ts';
import { installErrorCapture } from './gpu-errors.ts';
import { runInPage, type PageRunOptions } from './page-run.ts';

/** What runInPage takes, less what cannot cross to a worker (registry, signal, callbacks). */
export type WorkerRunOptions = Omit<PageRunOptions, 'registry' | 'signal' | 'log' | 'planned' | 'started' | 'recorded'>;

export type WorkerRequest = { type: 'probe'; ids: BackendId[] } | { type: 'run'; options: WorkerRunOptions } | { type: 'abort' };

export type WorkerEvent =
  | { type: 'probes'; probes: Partial<Record<BackendId, Availability>> }
  | { type: 'log'; line: string }
  | { type: 'planned'; targets: TargetSpec[] }
  | { type: 'started'; target: TargetSpec }
  | { type: 'recorded'; record: RunRecord; report: Report }
  | { type: 'done'; records: RunRecord[]; report: Report }
  | { type: 'failed'; code: string; message: string };

const scope = self as unknown as { postMessage(e: WorkerEvent): void; onmessage: ((e: MessageEvent<WorkerRequest>) => void) | null };
// GPU and console errors raised in this worker go into the records, as on the page (page-run.ts).
installErrorCapture();
const registry = createBrowserRegistry();
let controller: AbortController | undefined;
const post = (e: WorkerEvent) => scope.postMessage(e);

scope.onmessage = ({ data }) => {
  if (data.type === 'abort') return void controller?.abort();
  if (data.type === 'probe') {
    void (async () => {
      const probes: Partial<Record<BackendId, Availability>> = {};
      for (const id of data.ids) probes[id] = await registry.probe(id);
      post({ type: 'probes', probes });
    })();
    return;
  }
  controller = new AbortController();
  runInPage({
    ...data.options,
    registry,
    signal: controller.signal,
    log: (line) => post({ type: 'log', line }),
    planned: (targets) => post({ type: 'planned', targets: [...targets] }),
    started: (target) => post({ type: 'started', target }),
    recorded: (record, report) => post({ type: 'recorded', record, report }),
  }).then(
    (r) => post({ type: 'done', records: r.records, report: r.report }),
    (e: unknown) => post({ type: 'failed', code: isParityError(e) ? e.code : 'INTERNAL', message: errorMessage(e) }),
  );
};
