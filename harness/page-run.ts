/**
 * A parity run inside the page, for a person at the browser: the same plan → execute → judge
 * steps as the CLI, with every target in this browser. The reference is fp32 on ort-web/wasm
 * here (tfjs/cpu for TF.js-only models); the CLI's `--browser` runs keep the Node reference.
 * Each finished target re-judges the run so verdicts appear live.
 */
import type { BackendRegistry } from '../src/backends/registry.ts';
import type { BackendId, ModelFormat } from '../src/backends/types.ts';
import { judgeRun } from '../src/compare/judge.ts';
import { DEFAULT_TOLERANCE_POLICY } from '../src/compare/tolerance.ts';
import type { Report } from '../src/compare/types.ts';
import { ParityError } from '../src/core/errors.ts';
import { type RunRecord, type TargetSpec, type VariantName } from '../src/core/record.ts';
import type { Tensor, TensorSpec } from '../src/core/tensor.ts';
import type { LatencyPlan } from '../src/latency/warm.ts';
import { jobFor, skippedRecord } from '../src/run/planned-job.ts';
import { executeTarget } from '../src/run/execute-target.ts';
import type { LoadedModel } from '../src/run/loaded-model.ts';
import { planTargets, targetId } from '../src/run/plan.ts';
import { pageDataset } from './page-dataset.ts';
import { buildPageVariant } from './page-variants.ts';

export interface PageRunOptions {
  model: LoadedModel;
  /** Backends to compare with the reference (the reference backend is always added). */
  backends: readonly BackendId[];
  variants: readonly VariantName[];
  samples: number;
  seed?: number;
  latency: LatencyPlan;
  timeoutMs: number;
  registry: BackendRegistry;
  /** Browser facts recorded with every target. */
  facts: Record<string, unknown>;
  data?: Record<string, Tensor>;
  dataName?: string;
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
  return formats.includes('onnx') ? 'ort-web/wasm' : 'tfjs/cpu';
}

/** The one float output shaped [batch, classes ≥ 2], if exactly one exists. */
function guessClassifier(outputs: readonly TensorSpec[]): string | undefined {
  const c = outputs.filter((o) => o.dims.length === 2 && (o.dtype === 'float32' || o.dtype === 'float16') && (typeof o.dims[1] !== 'number' || o.dims[1] >= 2));
  return c.length === 1 ? c[0]!.name : undefined;
}

export async function runInPage(o: PageRunOptions): Promise<PageRunResult> {
  const { model, registry } = o;
  const formats: ModelFormat[] = [...(model.onnx ? (['onnx'] as const) : []), ...(model.tfjs ? (['tfjs'] as const) : [])];
  const refBackend = pageReference(formats);
  const referenceId = targetId(model.name, 'fp32', refBackend, 'browser');
  const ref = await registry.get(refBackend);
  const session = await ref.load(formats.includes('onnx') ? model.onnx! : model.tfjs!);
  const { inputs, outputs } = session;
  await session.dispose();
  const dataset = await pageDataset(model, inputs, { samples: o.samples, seed: o.seed ?? 7, ...(o.data ? { data: o.data, dataName: o.dataName ?? 'your data' } : {}) });
  o.log?.(`${model.name}: ${dataset.samples.length} samples (${dataset.source})`);

  const variants = new Map<VariantName, LoadedModel>();
  const info: { variant: VariantName; formats: ModelFormat[]; skipReason?: string }[] = [];
  for (const v of new Set<VariantName>(['fp32', ...o.variants])) {
    const out = await buildPageVariant(model, v);
    if (!out.ok) {
      info.push({ variant: v, formats: [], skipReason: out.reason });
      continue;
    }
    variants.set(v, out.model);
    info.push({ variant: v, formats: [...(out.model.onnx ? (['onnx'] as const) : []), ...(out.model.tfjs ? (['tfjs'] as const) : [])] });
  }
  const ids = [...new Set<BackendId>([refBackend, ...o.backends])];
  const backends = await Promise.all(ids.map(async (id) => ({ id, environment: 'browser' as const, formats: (await registry.get(id)).formats })));
  const planned = planTargets({ model: model.name, variants: info, backends }).filter((p) => p.spec.variant !== 'fp32' || o.variants.includes('fp32') || p.spec.id === referenceId);
  planned.sort((a, b) => Number(b.spec.id === referenceId) - Number(a.spec.id === referenceId));
  o.planned?.(planned.map((p) => p.spec));

  const classifierOutput = model.classifierOutput ?? guessClassifier(outputs);
  const records: RunRecord[] = [];
  const judge = () =>
    judgeRun({
      records,
      references: { [model.name]: referenceId },
      ...(dataset.labels ? { labels: { [model.name]: dataset.labels } } : {}),
      ...(classifierOutput ? { classifierOutputs: { [model.name]: classifierOutput } } : {}),
      policy: DEFAULT_TOLERANCE_POLICY,
      seed: o.seed ?? 7,
      environment: { ...o.facts, reference: `${referenceId} (in this browser)` },
    });
  let report = judge();
  for (const p of planned) {
    o.started?.(p.spec);
    let record: RunRecord;
    if (p.skipReason || !p.format) {
      record = skippedRecord(p);
    } else {
      const job = jobFor({ ...p, format: p.format }, variants.get(p.spec.variant)!, dataset.samples, {
        latency: o.latency,
        timeoutMs: o.timeoutMs,
        facts: { model: model.name, ...o.facts },
      });
      record = await executeTarget(job, registry);
    }
    records.push(record);
    report = judge();
    o.recorded?.(record, report);
    if (p.spec.id === referenceId && record.status !== 'ok') {
      throw new ParityError('RUN_FAILED', `the reference ${referenceId} could not run, so nothing can be compared: ${record.reason ?? 'no reason'}`);
    }
  }
  return { records, report };
}
