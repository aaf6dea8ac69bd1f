/**
 * A parity run inside the page, for a person at the browser: the one run core (src/tools/run/run-core.ts)
 * with every target in this browser. Same samples, variants (TF.js twins included), classifier rule,
 * default gates and verdict as `parity run`; only the reference differs — fp32 on ort-web/wasm here
 * (tfjs/cpu for TF.js-only models), where `parity run --browser` keeps it in Node. Each finished
 * target re-judges the run so verdicts appear live. Targets run on the main thread, yielding to
 * the event loop between runs.
 */
import type { BackendRegistry } from '../src/kernel/runtime/registry.ts';
import type { Report } from '../src/kernel/judge/types.ts';
import { resolveConfig } from '../src/kernel/config/resolve.ts';
import { ParityError } from '../src/kernel/core/errors.ts';
import type { BackendId, ModelFormat } from '../src/kernel/core/ids.ts';
import type { RunRecord, TargetSpec, VariantName } from '../src/kernel/core/record.ts';
import type { Tensor } from '../src/kernel/core/tensor.ts';
import type { LatencyPlan } from '../src/kernel/latency/warm.ts';
import type { LoadedModel } from '../src/tools/run/loaded-model.ts';
import type { DataIO } from '../src/tools/run/model-dataset.ts';
import { referenceBackend } from '../src/tools/run/plan.ts';
import { runCore } from '../src/tools/run/run-core.ts';
import { executeTarget } from '../src/tools/run/execute-target.ts';
import { withGpuErrors } from '../src/kernel/runtime/gpu-errors.ts';
import { captureDuring } from './gpu-errors.ts';
import { createInMemoryVariantBuilder } from '../src/tools/variants/in-memory-builder.ts';
import { distilledKey, loadBundled } from './model-sources.ts';
import { yieldingRegistry } from './yielding-registry.ts';

export interface PageRunOptions {
  model: LoadedModel;
  /** Backends to compare with the reference (the reference backend is always added). */
  backends: readonly BackendId[];
  variants: readonly VariantName[];
  samples: number;
  /** @default 7 (as the CLI) */
  seed?: number;
  latency: LatencyPlan;
  timeoutMs: number;
  registry: BackendRegistry;
  /** Browser facts recorded with the report. */
  facts: Record<string, unknown>;
  data?: Record<string, Tensor>;
  dataName?: string;
  signal?: AbortSignal;
  log?(line: string): void;
  planned?(targets: readonly TargetSpec[]): void;
  started?(target: TargetSpec): void;
  /** After each target, with the run judged so far. */
  recorded?(record: RunRecord, report: Report): void;
}

export interface PageRunResult {
  records: RunRecord[];
  report: Report;
}

/** The page's reference backend for a model with these formats. */
export function pageReference(formats: readonly ModelFormat[]): BackendId {
  return referenceBackend(formats, 'browser');
}

async function fetched(url: string): Promise<Response> {
  const r = await fetch(url);
  if (!r.ok) throw new ParityError('FILE_NOT_FOUND', `GET ${url}: ${r.status} ${r.statusText}`);
  return r;
}

/** Files by URL (the page's bundled models name their data by URL). */
const PAGE_IO: DataIO = {
  bytes: async (url) => new Uint8Array(await (await fetched(url)).arrayBuffer()),
  text: async (url) => (await fetched(url)).text(),
};

export async function runInPage(o: PageRunOptions): Promise<PageRunResult> {
  const config = resolveConfig({ variants: [...o.variants] as never, samples: o.samples, seed: o.seed, latency: o.latency, targetTimeoutMs: o.timeoutMs });
  const registry = yieldingRegistry(o.registry);
  const result = await runCore({
    config: { ...config, backends: [...new Set([pageReference(o.model.onnx ? ['onnx'] : ['tfjs']), ...o.backends])] },
    models: [o.model],
    // Sessions yield between runs so the page answers while it measures (see yielding-registry.ts).
    local: {
      kind: 'browser',
      registry,
      // WebGPU and console errors raised while a target runs go into its record, as for `--browser`.
      execute: async (job) => {
        const { result, messages } = await captureDuring(() => executeTarget(job, registry));
        return withGpuErrors(result, messages);
      },
    },
    io: PAGE_IO,
    buildVariant: createInMemoryVariantBuilder(),
    loadStudent: async (model) => {
      const key = distilledKey(model);
      if (!key) throw new ParityError('FILE_NOT_FOUND', `${model.name} ships no distilled student this page can load`);
      return loadBundled(key);
    },
    ...(o.data ? { arrays: { values: o.data, name: o.dataName ?? 'your data' } } : {}),
    environment: { ...o.facts, reference: 'in this browser' },
    recordFacts: o.facts,
    liveJudge: true,
    ...(o.signal ? { signal: o.signal } : {}),
    observer: {
      ...(o.log ? { log: o.log } : {}),
      ...(o.planned ? { planned: o.planned } : {}),
      ...(o.started ? { started: o.started } : {}),
      record: (r, live) => o.recorded?.(r, live!),
    },
  });
  const failed = result.modelErrors[0];
  if (failed) throw failed.error;
  return { records: result.records, report: result.report };
}
