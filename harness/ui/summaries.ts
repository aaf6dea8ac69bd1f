/** One-line texts for the page: the browser's facts, and a finished target. */
import type { RunRecord } from '../../src/kernel/core/record.ts';
import { fmtMs } from '../../src/kernel/render/format.ts';

export function envSummary(f: Record<string, unknown>): string {
  const gpu =
    f['webgpu.vendor'] !== undefined
      ? `WebGPU ${String(f['webgpu.vendor'])} ${String(f['webgpu.architecture'])}${f['webgpu.isFallbackAdapter'] ? ' (fallback adapter: software)' : ''}`
      : 'no WebGPU';
  const gl = f['webgl.renderer'] !== undefined ? `WebGL ${String(f['webgl.renderer'])}` : 'no WebGL2';
  return [
    String(f.browser),
    f.crossOriginIsolated ? 'cross-origin isolated' : 'NOT cross-origin isolated (no threads, coarse timers)',
    `timer resolution ${String(f.timerResolutionMs)} ms`,
    `${String(f.hardwareConcurrency)} logical cores`,
    gpu,
    gl,
  ].join(' · ');
}

export function recordSummary(r: RunRecord): string {
  if (r.status !== 'ok') return `${r.target.id}: ${r.status}${r.errorCode ? ` [${r.errorCode}]` : ''}: ${r.reason ?? ''}`;
  const runs = [...(r.timings?.runMs ?? [])].sort((a, b) => a - b);
  const p50 = runs.length ? runs[Math.floor((runs.length - 1) / 2)] : undefined;
  return `${r.target.id}: ok, load ${fmtMs(r.timings?.loadMs)} ms, p50 ${fmtMs(p50)} ms (${runs.length} warm runs)`;
}
