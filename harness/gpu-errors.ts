/**
 * Collects what the page raises while a target runs: WebGPU uncaptured errors and device losses
 * (every device any runtime requests is watched, by wrapping `GPUAdapter.prototype.requestDevice`),
 * `console.error` calls, uncaught exceptions and unhandled rejections. `captureDuring` returns them
 * for src/kernel/runtime/gpu-errors.ts to count and explain in the record.
 */

/** ORT log lines below warning: `… [I:onnxruntime:, …]` and `… [V:onnxruntime:, …]`. */
const IS_ORT_INFO = /\[[IV]:onnxruntime:/;

let installed = false;
let sink: string[] | undefined;

function note(message: string): void {
  sink?.push(message);
}

function text(v: unknown): string {
  if (v instanceof Error) return v.message;
  if (typeof v === 'string') return v;
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

interface GpuDeviceLike extends EventTarget {
  lost?: Promise<{ reason?: string; message?: string }>;
}
interface GpuAdapterCtor {
  prototype: { requestDevice(this: unknown, ...args: unknown[]): Promise<GpuDeviceLike> };
}

/** Installs the listeners once per page (before any runtime requests a GPU device). */
export function installErrorCapture(): void {
  if (installed) return;
  installed = true;
  const Adapter = (globalThis as { GPUAdapter?: GpuAdapterCtor }).GPUAdapter;
  if (Adapter) {
    const request = Adapter.prototype.requestDevice;
    Adapter.prototype.requestDevice = async function (this: unknown, ...args: unknown[]) {
      const device = await request.apply(this, args);
      device.addEventListener('uncapturederror', (e) =>
        note(`WebGPU: ${(e as Event & { error?: { message?: string } }).error?.message ?? 'uncaptured error'}`),
      );
      void device.lost?.then((info) => {
        if (info.reason !== 'destroyed') note(`WebGPU device lost (${info.reason ?? 'unknown'}): ${info.message ?? ''}`);
      });
      return device;
    };
  }
  const error = console.error.bind(console);
  console.error = (...args: unknown[]) => {
    const line = args.map(text).join(' ');
    // ORT's JSEP repeats each uncaptured WebGPU error on the console: the event already has it.
    // ORT's info/verbose log lines (the placement probe's verbose session) are not errors.
    if (!line.startsWith('An uncaught WebGPU validation error') && !IS_ORT_INFO.test(line)) note(`console: ${line}`);
    error(...args);
  };
  addEventListener('error', (e) => note(`uncaught: ${e.message}`));
  addEventListener('unhandledrejection', (e) => note(`unhandled rejection: ${text(e.reason)}`));
}

/** Runs `fn` and returns its result with every message raised meanwhile (and just after). */
export async function captureDuring<T>(fn: () => Promise<T>): Promise<{ result: T; messages: string[] }> {
  const messages: string[] = [];
  sink = messages;
  try {
    const result = await fn();
    // Uncaptured WebGPU errors arrive as events after the work that caused them.
    await new Promise((r) => setTimeout(r, 20));
    return { result, messages };
  } finally {
    if (sink === messages) sink = undefined;
  }
}
