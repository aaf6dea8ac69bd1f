/**
 * Runs one target: probe, load (timed), every sample once (outputs recorded), then adaptive warm
 * runs for latency. Environment-agnostic: the CLI runs it in Node and the harness page runs the
 * same code in the browser. Every outcome becomes a RunRecord; nothing here throws for a target
 * that merely fails.
 */
import type { BackendRegistry } from '../backends/registry.ts';
import type { LoadOptions, ModelSource, Session } from '../backends/types.ts';
import { errorMessage, isParityError } from '../core/errors.ts';
import { SCHEMA_VERSION, type RunRecord, type TargetSpec } from '../core/record.ts';
import { encodeTensor, type EncodedTensor } from '../core/tensor-codec.ts';
import type { TensorMap } from '../core/tensor.ts';
import { withTimeout } from '../core/timeout.ts';
import { measureWarm, type LatencyPlan } from '../latency/warm.ts';
import { isUnsupported } from './classify-failure.ts';
import { feedsToTwin, outputsFromTwin, type TwinMapping } from './twin.ts';

export interface TargetJob {
  target: TargetSpec;
  model: ModelSource;
  /** Feeds keyed by ONNX input name; the same list for every target. */
  samples: readonly TensorMap[];
  /** For TF.js models: how ONNX-named feeds and outputs map onto the twin. */
  twin?: TwinMapping;
  load?: LoadOptions;
  latency: LatencyPlan;
  /** Limit for the whole target. */
  timeoutMs: number;
  /** Facts about the environment to attach to the record. */
  facts?: Record<string, unknown>;
}

export type Clock = () => number;

export async function executeTarget(job: TargetJob, registry: BackendRegistry, now: Clock = () => performance.now()): Promise<RunRecord> {
  const base = {
    schemaVersion: SCHEMA_VERSION,
    target: job.target,
    startedAt: new Date().toISOString(),
    modelBytes: modelBytes(job.model),
  };
  const availability = await registry.probe(job.target.backend);
  const facts: Record<string, unknown> = { ...job.facts, ...(availability.ok ? availability.info : {}) };
  if (job.load?.graphOptimizationLevel) facts.graphOptimizationLevel = job.load.graphOptimizationLevel;
  if (!availability.ok) return { ...base, facts, status: 'skipped', reason: `unavailable: ${availability.reason}`, errorCode: 'BACKEND_UNAVAILABLE' };

  let session: Session | undefined;
  let stage = 'load';
  try {
    return await withTimeout(
      (async (): Promise<RunRecord> => {
        const backend = await registry.get(job.target.backend);
        const t0 = now();
        try {
          session = await backend.load(job.model, job.load);
        } catch (e) {
          const msg = errorMessage(e);
          if (isUnsupported(msg)) return { ...base, facts, status: 'skipped', reason: `unsupported: ${msg}`, errorCode: 'MODEL_UNSUPPORTED' };
          throw e;
        }
        const loadMs = now() - t0;
        const s = session;
        const run = async (feeds: TensorMap): Promise<TensorMap> => {
          const out = await s.run(job.twin ? feedsToTwin(feeds, job.twin) : feeds);
          return job.twin ? outputsFromTwin(out, job.twin) : out;
        };
        stage = 'first run';
        const t1 = now();
        let first: TensorMap;
        try {
          first = await run(job.samples[0]!);
        } catch (e) {
          // Some backends accept a model at load and refuse it on the first run (ORT's WebGL EP:
          // "expected shape '[,4]'" for any symbolic dim): also the backend not supporting it.
          const msg = errorMessage(e);
          if (isUnsupported(msg)) return { ...base, facts, status: 'skipped', reason: `unsupported: ${msg}`, errorCode: 'MODEL_UNSUPPORTED' };
          throw e;
        }
        const firstRunMs = now() - t1;
        stage = 'sample runs';
        const outputs: Record<string, EncodedTensor[]> = {};
        const record = (out: TensorMap) => {
          for (const [name, t] of Object.entries(out)) (outputs[name] ??= []).push(encodeTensor(t));
        };
        record(first);
        for (let i = 1; i < job.samples.length; i++) record(await run(job.samples[i]!));
        stage = 'warm runs';
        const warmFeeds = job.twin ? feedsToTwin(job.samples[0]!, job.twin) : job.samples[0]!;
        // The session call itself, no wrapper: harness overhead is benchmarked against a bare loop.
        const warm = await measureWarm(() => s.run(warmFeeds), job.latency, now);
        return {
          ...base,
          facts,
          status: 'ok',
          outputs,
          timings: { loadMs, firstRunMs, runMs: warm.runMs, readbackIncluded: true, stopReason: warm.stopReason },
        };
      })(),
      job.timeoutMs,
      `target ${job.target.id}`,
    );
  } catch (e) {
    const code = isParityError(e) ? e.code : 'RUN_FAILED';
    return { ...base, facts, status: 'error', reason: `${stage} failed: ${errorMessage(e)}`, errorCode: code };
  } finally {
    await session?.dispose().catch(() => undefined);
  }
}

function modelBytes(m: ModelSource): number {
  if (m.format === 'onnx') return m.bytes.byteLength;
  return Object.values(m.files).reduce((n, b) => n + b.byteLength, JSON.stringify(m.modelJson).length);
}
