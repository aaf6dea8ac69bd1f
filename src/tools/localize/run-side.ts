/**
 * Runs one side of a localization on any Backend: optionally marks intermediate tensors as graph
 * outputs (`exposeIntermediates`), loads, runs every sample, and keeps only the tensors asked
 * for. Pure: works with any Backend, in Node or in the browser.
 */
import type { ModelProto } from 'onnx-buf';
import type { Backend, Session } from '../../kernel/runtime/types.ts';
import { ParityError, errorMessage, isParityError } from '../../kernel/core/errors.ts';
import type { DType, TensorMap } from '../../kernel/core/tensor.ts';
import { encodeModel } from '../../kernel/onnx/io.ts';
import { exposeIntermediates, type ExposeResult } from '../quantize/expose-outputs.ts';
import { convertFeeds } from './convert.ts';
import type { OptLevel } from './types.ts';

export interface RunSideOptions {
  /** `reference`, `target`, `isolated ...`: used in error messages. */
  role: string;
  backend: Backend;
  name: string;
  model: ModelProto;
  level: OptLevel;
  feeds: readonly TensorMap[];
  /** Mark every node output (`all`), some names, or nothing (`none`: the model as is). */
  expose: 'all' | readonly string[] | 'none';
  /** Tensors to keep from each run besides the graph outputs. Default: all. */
  keep?: (name: string) => boolean;
}

export interface SideRun {
  /** Per sample: the kept tensors. */
  runs: TensorMap[];
  /** Element type of every tensor a run returned, and of every session input. */
  dtypes: Map<string, DType>;
  /** The model's own graph outputs, in order. */
  outputs: string[];
  expose?: ExposeResult;
}

/** Loads `bytes` on `backend`; a failure becomes RUN_FAILED naming the role and backend. */
async function loadSession(role: string, backend: Backend, name: string, bytes: Uint8Array, level: OptLevel): Promise<Session> {
  try {
    return await backend.load({ format: 'onnx', name, bytes }, { graphOptimizationLevel: level });
  } catch (e) {
    if (isParityError(e)) throw e;
    throw new ParityError('RUN_FAILED', `the ${role} model '${name}' does not load on ${backend.id}: ${errorMessage(e)}`, { role, backend: backend.id });
  }
}

/** Runs every sample through one session and disposes it. */
export async function runSide(o: RunSideOptions): Promise<SideRun> {
  const outputs = o.model.graph!.output.map((v) => v.name);
  const expose = o.expose === 'none' ? undefined : exposeIntermediates(o.model, o.expose);
  const bytes = encodeModel(expose ? expose.model : o.model);
  const session = await loadSession(o.role, o.backend, o.name, bytes, o.level);
  const dtypes = new Map<string, DType>();
  const inputTypes = new Map(session.inputs.map((s) => [s.name, s.dtype] as const));
  for (const s of session.inputs) if (s.dtype !== 'unknown') dtypes.set(s.name, s.dtype);
  const keepOutputs = new Set(outputs);
  const runs: TensorMap[] = [];
  try {
    for (const [i, sample] of o.feeds.entries()) {
      let out: TensorMap;
      try {
        out = await session.run(convertFeeds(sample, inputTypes));
      } catch (e) {
        if (isParityError(e)) throw e;
        throw new ParityError('RUN_FAILED', `the ${o.role} model '${o.name}' failed on ${o.backend.id} (sample ${i}): ${errorMessage(e)}`, {
          role: o.role,
          backend: o.backend.id,
        });
      }
      const kept: TensorMap = {};
      for (const [name, t] of Object.entries(out)) {
        if (i === 0) dtypes.set(name, t.dtype);
        if (keepOutputs.has(name) || !o.keep || o.keep(name)) kept[name] = t;
      }
      runs.push(kept);
    }
  } finally {
    await session.dispose();
  }
  return { runs, dtypes, outputs, ...(expose ? { expose } : {}) };
}
