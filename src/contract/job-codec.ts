/**
 * One target's job as plain JSON, so it can cross from Node into the page through Playwright
 * (`page.evaluate` serializes JSON only): model bytes and input tensors as base64, everything
 * else as is. Pure: no Node imports; Node encodes, the page decodes.
 */
import type { LoadOptions, ModelSource } from '../kernel/runtime/types.ts';
import type { TargetSpec } from '../kernel/core/record.ts';
import { bytesToBase64, base64ToBytes, decodeTensor, encodeTensor, type EncodedTensor } from '../kernel/core/tensor-codec.ts';
import type { TensorMap } from '../kernel/core/tensor.ts';
import type { LatencyPlan } from '../kernel/latency/warm.ts';
import type { TargetJob } from '../tools/run/execute-target.ts';
import type { TwinMapping } from '../tools/run/twin.ts';

/** A ModelSource with its bytes in base64. */
export type EncodedModel = { format: 'onnx'; name: string; b64: string } | { format: 'tfjs'; name: string; modelJson: unknown; files: Record<string, string> };

/** A {@link TargetJob} as JSON. */
export interface EncodedJob {
  target: TargetSpec;
  model: EncodedModel;
  samples: Record<string, EncodedTensor>[];
  twin?: TwinMapping;
  load?: LoadOptions;
  latency: LatencyPlan;
  timeoutMs: number;
  facts?: Record<string, unknown>;
  profile?: boolean;
}

/** A model source (ONNX bytes or TF.js files) as JSON-safe base64, for the page. */
function encodeModelSource(m: ModelSource): EncodedModel {
  if (m.format === 'onnx') return { format: 'onnx', name: m.name, b64: bytesToBase64(m.bytes) };
  const files: Record<string, string> = {};
  for (const [path, bytes] of Object.entries(m.files)) files[path] = bytesToBase64(bytes);
  return { format: 'tfjs', name: m.name, modelJson: m.modelJson, files };
}

/** The inverse of {@link encodeModelSource}. */
function decodeModelSource(m: EncodedModel): ModelSource {
  if (m.format === 'onnx') return { format: 'onnx', name: m.name, bytes: base64ToBytes(m.b64) };
  const files: Record<string, Uint8Array> = {};
  for (const [path, b64] of Object.entries(m.files)) files[path] = base64ToBytes(b64);
  return { format: 'tfjs', name: m.name, modelJson: m.modelJson, files };
}

export function encodeSamples(samples: readonly TensorMap[]): Record<string, EncodedTensor>[] {
  return samples.map((feeds) => Object.fromEntries(Object.entries(feeds).map(([k, t]) => [k, encodeTensor(t)])));
}

export function decodeSamples(samples: readonly Record<string, EncodedTensor>[]): TensorMap[] {
  return samples.map((feeds) => Object.fromEntries(Object.entries(feeds).map(([k, t]) => [k, decodeTensor(t)])));
}

/**
 * Encodings of models and sample lists, kept by identity: the targets of one model share its
 * bytes and samples, so each is encoded once per run.
 */
export interface EncodingCache {
  models: WeakMap<ModelSource, EncodedModel>;
  samples: WeakMap<readonly TensorMap[], Record<string, EncodedTensor>[]>;
}

export function createEncodingCache(): EncodingCache {
  return { models: new WeakMap(), samples: new WeakMap() };
}

export function encodeJob(job: TargetJob, cache: EncodingCache = createEncodingCache()): EncodedJob {
  let model = cache.models.get(job.model);
  if (!model) cache.models.set(job.model, (model = encodeModelSource(job.model)));
  let samples = cache.samples.get(job.samples);
  if (!samples) cache.samples.set(job.samples, (samples = encodeSamples(job.samples)));
  return {
    target: job.target,
    model,
    samples,
    latency: job.latency,
    timeoutMs: job.timeoutMs,
    ...(job.twin ? { twin: job.twin } : {}),
    ...(job.load ? { load: job.load } : {}),
    ...(job.facts ? { facts: job.facts } : {}),
    ...(job.profile ? { profile: true } : {}),
  };
}

export function decodeJob(e: EncodedJob): TargetJob {
  return {
    target: e.target,
    model: decodeModelSource(e.model),
    samples: decodeSamples(e.samples),
    latency: e.latency,
    timeoutMs: e.timeoutMs,
    ...(e.twin ? { twin: e.twin } : {}),
    ...(e.load ? { load: e.load } : {}),
    ...(e.facts ? { facts: e.facts } : {}),
    ...(e.profile ? { profile: true } : {}),
  };
}
