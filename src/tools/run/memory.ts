/**
 * Per-target memory: the peak of the process figures sampled at each stage of a target (Node
 * `process.memoryUsage()`, Chromium's `performance.memory`), merged with what the session itself
 * can tell (tfjs `tf.memory()`, a wasm heap). Sampling reads globals only, so the same code runs
 * in Node and in the page. Pure: no Node imports.
 */
import type { TargetMemory } from '../../kernel/core/record.ts';

interface ProcessLike {
  memoryUsage?: () => { rss: number; heapUsed: number };
}

export interface MemorySampler {
  /** Reads the process figures now and keeps the peaks. */
  sample(): void;
  /** The peaks so far, with `extra` (the session's own figures, their peaks kept). */
  result(extra?: Partial<TargetMemory>): TargetMemory | undefined;
}

export function createMemorySampler(): MemorySampler {
  const proc = (globalThis as { process?: ProcessLike }).process;
  const perf = (globalThis as { performance?: { memory?: { usedJSHeapSize: number } } }).performance;
  let startRss: number | undefined;
  const peak: TargetMemory = {};
  const max = (k: keyof TargetMemory, v: number | undefined) => {
    if (typeof v === 'number' && Number.isFinite(v)) peak[k] = Math.max(peak[k] ?? 0, v);
  };
  const sampler: MemorySampler = {
    sample() {
      const m = proc?.memoryUsage?.();
      if (m) {
        startRss ??= m.rss;
        max('peakRssBytes', m.rss);
        max('peakJsHeapBytes', m.heapUsed);
      } else if (perf?.memory) {
        max('peakJsHeapBytes', perf.memory.usedJSHeapSize);
      }
    },
    result(extra) {
      for (const [k, v] of Object.entries(extra ?? {})) max(k as keyof TargetMemory, v);
      if (startRss !== undefined && peak.peakRssBytes !== undefined) peak.rssGrowthBytes = peak.peakRssBytes - startRss;
      return Object.keys(peak).length ? { ...peak } : undefined;
    },
  };
  sampler.sample();
  return sampler;
}
