/**
 * Runs one target: probe, load (timed), every sample once (outputs recorded), then adaptive warm
 * runs for latency. Environment-agnostic: the CLI runs it in Node and the harness page runs the
 * same code in the browser. Every outcome becomes a RunRecord; nothing here throws for a target
 * that merely fails.
 */
import type { BackendRegistry } from '../../kernel/runtime/registry.ts';
import type { LoadOptions, ModelSource, Session } from '../../kernel/runtime/types.ts';
import { errorMessage, isParityError } from '../../kernel/core/errors.ts';
import { SCHEMA_VERSION, type OpProfile, type RunRecord, type TargetSpec } from '../../kernel/core/record.ts';
import { encodeTensor, type EncodedTensor } from '../../kernel/core/tensor-codec.ts';
import type { TensorMap } from '../../kernel/core/tensor.ts';
import { withTimeout } from '../../kernel/core/timeout.ts';
import { noProfile, PROFILE_RUNS } from '../../kernel/latency/op-profile.ts';
import { measureWarm, type LatencyPlan } from '../../kernel/latency/warm.ts';
import { batchFeeds, batchProblem, rowsOf, splitOutputs, warmBatch } from './batching.ts';
import { createMemorySampler } from './memory.ts';
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
  /**
   * After the timed runs, load once more with `profile: true` and record the op times
   * (`record.profile`). Default false.
   */
  profile?: boolean;
}

export type Clock = () => number;

/** A session of `job.model` already loaded on the target's backend with `job.load` (the reference, loaded once for its signature), and how long that took. */
export interface PreloadedSession {
  session: Session;
  loadMs: number;
}

/** Runs one target. With `preloaded`, that session is used (and disposed) instead of loading the model again. */
export async function executeTarget(
  job: TargetJob,
  registry: BackendRegistry,
  now: Clock = () => performance.now(),
  preloaded?: PreloadedSession,
): Promise<RunRecord> {
  const base = {
    schemaVersion: SCHEMA_VERSION,
    target: job.target,
    startedAt: new Date().toISOString(),
    modelBytes: modelBytes(job.model),
  };
  const availability = await registry.probe(job.target.backend);
  const facts: Record<string, unknown> = { ...job.facts, ...(availability.ok ? availability.info : {}) };
  if (job.load?.graphOptimizationLevel) facts.graphOptimizationLevel = job.load.graphOptimizationLevel;
  const settings = job.target.settings;
  if (settings) facts.settings = settings;
  if (job.load?.threads !== undefined) facts.threads = job.load.threads;
  const batch = settings?.batch;
  const memory = createMemorySampler();
  if (!availability.ok) {
    await preloaded?.session.dispose().catch(() => undefined);
    return { ...base, facts, status: 'skipped', reason: `unavailable: ${availability.reason}`, errorCode: 'BACKEND_UNAVAILABLE' };
  }

  let session: Session | undefined = preloaded?.session;
  let stage = 'load';
  try {
    return await withTimeout(
      (async (): Promise<RunRecord> => {
        const backend = await registry.get(job.target.backend);
        const t0 = now();
        try {
          session ??= await backend.load(job.model, job.load);
        } catch (e) {
          const msg = errorMessage(e);
          if (isUnsupported(msg)) return { ...base, facts, status: 'skipped', reason: `unsupported: ${msg}`, errorCode: 'MODEL_UNSUPPORTED' };
          throw e;
        }
        const loadMs = preloaded?.loadMs ?? now() - t0;
        memory.sample();
        const s = session;
        const problem = batch ? batchProblem(s.inputs) : undefined;
        if (problem) return { ...base, facts, status: 'skipped', reason: `unsupported: ${problem}`, errorCode: 'MODEL_UNSUPPORTED' };
        const runOne = async (feeds: TensorMap): Promise<TensorMap> => {
          const out = await s.run(job.twin ? feedsToTwin(feeds, job.twin) : feeds);
          return job.twin ? outputsFromTwin(out, job.twin) : out;
        };
        // One chunk per run: a sample, or `batch` samples concatenated and split back after.
        const chunks = chunksOf(job.samples, batch ?? 1);
        // A short last batch is filled up with the first samples (fixed-shape backends see one
        // shape); only the real samples' outputs are kept.
        const run = async (chunk: readonly TensorMap[]): Promise<TensorMap[]> => {
          if (!batch) return [await runOne(chunk[0]!)];
          const full =
            chunk.length === batch ? chunk : [...chunk, ...Array.from({ length: batch - chunk.length }, (_, i) => job.samples[i % job.samples.length]!)];
          return splitOutputs(await runOne(batchFeeds(full)), full.map(rowsOf)).slice(0, chunk.length);
        };
        stage = 'first run';
        const between = s.between?.bind(s);
        await between?.();
        const t1 = now();
        let first: TensorMap[];
        try {
          first = await run(chunks[0]!);
        } catch (e) {
          // Some backends accept a model at load and refuse it on the first run (ORT's WebGL EP:
          // "expected shape '[,4]'" for any symbolic dim): also the backend not supporting it.
          const msg = errorMessage(e);
          if (isUnsupported(msg)) return { ...base, facts, status: 'skipped', reason: `unsupported: ${msg}`, errorCode: 'MODEL_UNSUPPORTED' };
          throw e;
        }
        const firstRunMs = now() - t1;
        memory.sample();
        stage = 'sample runs';
        const outputs: Record<string, EncodedTensor[]> = {};
        const record = (outs: TensorMap[]) => {
          for (const out of outs) for (const [name, t] of Object.entries(out)) (outputs[name] ??= []).push(encodeTensor(t));
        };
        record(first);
        for (let i = 1; i < chunks.length; i++) {
          await between?.();
          record(await run(chunks[i]!));
        }
        memory.sample();
        stage = 'warm runs';
        const warmSample = batch ? warmBatch(job.samples, batch) : job.samples[0]!;
        const warmFeeds = job.twin ? feedsToTwin(warmSample, job.twin) : warmSample;
        // The session call itself, no wrapper: harness overhead is benchmarked against a bare loop.
        const warm = await measureWarm(() => s.run(warmFeeds), job.latency, now, between);
        memory.sample();
        const mem = memory.result(s.memory?.());
        Object.assign(facts, await s.facts?.());
        stage = 'profile';
        const profile = job.profile ? await profileTarget(registry, job, warmFeeds) : undefined;
        return {
          ...base,
          facts,
          status: 'ok',
          outputs,
          timings: { loadMs, firstRunMs, runMs: warm.runMs, readbackIncluded: true, stopReason: warm.stopReason, ...(batch ? { batch } : {}) },
          ...(profile ? { profile } : {}),
          ...(mem ? { memory: mem } : {}),
        };
      })(),
      job.timeoutMs,
      `target ${job.target.id}`,
    );
  } catch (e) {
    const code = isParityError(e) ? e.code : 'RUN_FAILED';
    // Facts the session learned (a fixed shape...), but a failed session gets only a few seconds.
    const learned = (session as Session | undefined)?.facts?.();
    Object.assign(facts, learned && (await withTimeout(Promise.resolve(learned), 5_000, 'session facts').catch(() => undefined)));
    return { ...base, facts, status: 'error', reason: `${stage} failed: ${errorMessage(e)}`, errorCode: code };
  } finally {
    await session?.dispose().catch(() => undefined);
  }
}

/** `samples` in runs of `n` (the last one shorter). */
function chunksOf(samples: readonly TensorMap[], n: number): TensorMap[][] {
  const out: TensorMap[][] = [];
  for (let i = 0; i < samples.length; i += n) out.push(samples.slice(i, i + n));
  return out;
}

/**
 * The op times of a second session loaded for profiling (so the profiler never slows the timed
 * runs); a backend without a profiler, or one that fails to profile, says why in the profile.
 */
async function profileTarget(registry: BackendRegistry, job: TargetJob, feeds: TensorMap): Promise<OpProfile> {
  const backend = await registry.get(job.target.backend);
  let p: Session | undefined;
  try {
    p = await backend.load(job.model, { ...job.load, profile: true });
    if (!p.profile) return noProfile(job.target.backend, `${job.target.backend} has no op profiler this tool can read`);
    return await p.profile(feeds, PROFILE_RUNS);
  } catch (e) {
    return noProfile(job.target.backend, `profiling failed: ${errorMessage(e)}`);
  } finally {
    await p?.dispose().catch(() => undefined);
  }
}

function modelBytes(m: ModelSource): number {
  if (m.format === 'onnx') return m.bytes.byteLength;
  return Object.values(m.files).reduce((n, b) => n + b.byteLength, JSON.stringify(m.modelJson).length);
}
