/**
 * The page's side of run-worker.ts: starts the worker once, asks which backends run there, and
 * runs a configuration in it with the same options and callbacks as runInPage — so the controller
 * (ui/app.ts) picks the worker when every chosen backend runs there and the main thread (whose
 * sessions yield between runs) otherwise. A failure in the worker comes back as a ParityError.
 */
import type { Availability } from '../src/kernel/runtime/types.ts';
import { ParityError, type ErrorCode } from '../src/kernel/core/errors.ts';
import type { BackendId } from '../src/kernel/core/ids.ts';
import type { PageRunOptions, PageRunResult } from './page-run.ts';
import type { WorkerEvent, WorkerRequest, WorkerRunOptions } from './run-worker.ts';

export interface RunWorker {
  /** Availability of each backend inside the worker (WebGL needs a DOM canvas and is off there). */
  probes: Partial<Record<BackendId, Availability>>;
  /** The backends of `ids` the worker cannot run, with why. */
  unavailable(ids: readonly BackendId[]): { id: BackendId; reason: string }[];
  run(o: Omit<PageRunOptions, 'registry'>): Promise<PageRunResult>;
}

/** Starts the worker and probes `ids` there; undefined when this browser has no module workers. */
export async function startRunWorker(ids: readonly BackendId[]): Promise<RunWorker | undefined> {
  let worker: Worker;
  try {
    worker = new Worker(new URL('./run-worker.ts', import.meta.url), { type: 'module', name: 'parity-run' });
  } catch {
    return undefined;
  }
  const send = (r: WorkerRequest) => worker.postMessage(r);
  let listener: ((e: WorkerEvent) => void) | undefined;
  worker.onmessage = (e: MessageEvent<WorkerEvent>) => listener?.(e.data);
  const probes = await new Promise<Partial<Record<BackendId, Availability>> | undefined>((resolve) => {
    worker.onerror = () => resolve(undefined);
    listener = (e) => e.type === 'probes' && resolve(e.probes);
    send({ type: 'probe', ids: [...ids] });
  });
  if (!probes) return void worker.terminate();
  return {
    probes,
    unavailable: (wanted) =>
      wanted.flatMap((id) => (probes[id]?.ok ? [] : [{ id, reason: probes[id]?.ok === false ? probes[id].reason : 'not probed in the worker' }])),
    run(o) {
      const { signal, log, planned, started, recorded, ...rest } = o;
      const options: WorkerRunOptions = rest;
      return new Promise<PageRunResult>((resolve, reject) => {
        const abort = () => send({ type: 'abort' });
        signal?.addEventListener('abort', abort, { once: true });
        listener = (e) => {
          if (e.type === 'log') log?.(e.line);
          else if (e.type === 'planned') planned?.(e.targets);
          else if (e.type === 'started') started?.(e.target);
          else if (e.type === 'recorded') recorded?.(e.record, e.report);
          else if (e.type === 'done' || e.type === 'failed') {
            signal?.removeEventListener('abort', abort);
            if (e.type === 'done') resolve({ records: e.records, report: e.report });
            else reject(new ParityError(e.code as ErrorCode, e.message));
          }
        };
        worker.onerror = (ev) => reject(new ParityError('INTERNAL', `the run worker crashed: ${ev.message}`));
        send({ type: 'run', options });
      });
    },
  };
}
