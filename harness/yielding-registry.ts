/**
 * Keeps the benchmark page responsive while targets run on the main thread: a registry whose
 * sessions yield to the event loop between runs (`Session.between`, awaited outside every timing
 * by src/tools/run/execute-target.ts and src/kernel/latency/warm.ts) and around each load. A yield costs one
 * MessageChannel task and is taken only once `sliceMs` has passed since the last one, so a loop of
 * 1 ms runs yields every ~20 runs and timers, input and rendering get their turn in between.
 * Backends whose single run or load is itself long still block for that run: they need a worker.
 */
import { BackendRegistry } from '../src/kernel/runtime/registry.ts';
import type { Backend, Session } from '../src/kernel/runtime/types.ts';

/** Longest stretch of runs between two yields, ms. */
export const YIELD_SLICE_MS = 20;

/** Resolves on a fresh task (not clamped like nested `setTimeout(0)`), letting due timers and input run first. */
export function nextTask(): Promise<void> {
  return new Promise((resolve) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => {
      ch.port1.close();
      resolve();
    };
    ch.port2.postMessage(null);
  });
}

/** A yield that is skipped while less than `sliceMs` passed since the previous one. */
export function createYielder(
  sliceMs = YIELD_SLICE_MS,
  now: () => number = () => performance.now(),
  next: () => Promise<void> = nextTask,
): () => Promise<void> {
  let last = now();
  return async () => {
    if (now() - last < sliceMs) return;
    await next();
    last = now();
  };
}

function yieldingSession(inner: Session, pause: () => Promise<void>): Session {
  return {
    get inputs() {
      return inner.inputs;
    },
    get outputs() {
      return inner.outputs;
    },
    run: (feeds) => inner.run(feeds),
    ...(inner.facts ? { facts: () => inner.facts!() } : {}),
    between: async () => {
      await inner.between?.();
      await pause();
    },
    dispose: () => inner.dispose(),
  };
}

function yieldingBackend(inner: Backend, pause: () => Promise<void>): Backend {
  return {
    id: inner.id,
    formats: inner.formats,
    environments: inner.environments,
    probe: () => inner.probe(),
    async load(model, options) {
      await nextTask();
      const session = await inner.load(model, options);
      await nextTask();
      return yieldingSession(session, pause);
    },
  };
}

/** The same backends as `inner` (sharing its instances), with sessions that yield between runs. */
export function yieldingRegistry(inner: BackendRegistry, sliceMs = YIELD_SLICE_MS): BackendRegistry {
  const pause = createYielder(sliceMs);
  const out = new BackendRegistry();
  for (const id of inner.ids()) out.register(id, inner.environmentsOf(id), async () => yieldingBackend(await inner.get(id), pause));
  return out;
}
