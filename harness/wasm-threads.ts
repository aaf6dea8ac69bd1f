/**
 * The tfjs-wasm thread count a page starts with (`--threads` on tfjs/wasm): tfjs-backend-wasm
 * reads `setThreadsCount` once, when the backend starts, so the page remembers the count the
 * first job asked for and its backend setup applies it. A later job asking another count in the
 * same page is refused (the browser environment opens a fresh page per count).
 */
import { ParityError } from '../src/kernel/core/errors.ts';

let requested: number | undefined;
let startedWith: number | 'default' | undefined;

/** Called by `runJob` before a tfjs/wasm target runs. @throws ParityError BACKEND_UNAVAILABLE for a count this page cannot have. */
export function requestTfjsWasmThreads(threads: number | undefined): void {
  const want = threads ?? 'default';
  if (startedWith !== undefined && startedWith !== want) {
    throw new ParityError('BACKEND_UNAVAILABLE', `tfjs/wasm already started with ${startedWith} thread(s) in this page; ${want} needs a fresh page`);
  }
  requested = threads;
}

/** For the backend's setup: the count to set (undefined: tfjs's own), fixed from now on. */
export function tfjsWasmThreadsAtStart(): number | undefined {
  startedWith = requested ?? 'default';
  return requested;
}
