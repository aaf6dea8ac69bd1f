/**
 * `--profile` for onnxruntime-web: WebGPU kernels are timed through `env.webgpu.profiling`
 * (GPU timestamp queries, where the adapter has them), grouped by kernel type. The wasm build
 * writes its session profile into the module's in-memory file system, and WebGL/WebNN have no
 * per-kernel timer, so those sessions say so instead of guessing. Pure: no Node imports.
 */
import type { OpProfile } from '../core/record.ts';
import type { TensorMap } from '../core/tensor.ts';
import { addOpTime, noProfile, topOps } from '../latency/op-profile.ts';
import type { Session } from './types.ts';

type OrtWeb = typeof import('onnxruntime-web');

/** `session` with a `profile` that fits its EP. */
export function withWebProfile(session: Session, ort: OrtWeb, ep: string, id: string): Session {
  const profile = async (feeds: TensorMap, runs: number): Promise<OpProfile> => {
    if (ep !== 'webgpu') {
      return noProfile(
        id,
        ep === 'wasm'
          ? "onnxruntime-web writes its wasm session profile into the module's in-memory file system, out of reach of the page"
          : `onnxruntime-web's ${ep} EP has no per-kernel timer`,
      );
    }
    const totals = new Map<string, number>();
    const prof = ort.env.webgpu.profiling;
    const before = { mode: prof.mode, ondata: prof.ondata };
    prof.mode = 'default';
    prof.ondata = (d) => addOpTime(totals, d.kernelType, (d.endTime - d.startTime) / 1e6);
    try {
      for (let i = 0; i < runs; i++) await session.run(feeds);
    } finally {
      prof.mode = before.mode ?? 'off';
      prof.ondata = before.ondata;
    }
    if (totals.size === 0) return noProfile(id, 'no WebGPU kernel timings arrived (the adapter may lack timestamp-query)');
    return topOps(totals, runs, 'onnxruntime-web env.webgpu.profiling (GPU kernel time)');
  };
  return Object.assign(session, { profile });
}
