/**
 * ORT session profiling in Node (`--profile` on ort-node/cpu): a session created with
 * `enableProfiling` writes a Chrome-trace JSON file when `endProfiling()` is called; it is read,
 * turned into op-type times and removed. The profiled session is a second one, made after the
 * timed runs, so profiling never slows the latency that is reported. Node only.
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { InferenceSession } from 'onnxruntime-node';
import { ParityError } from '../../kernel/core/errors.ts';
import type { OpProfile } from '../../kernel/core/record.ts';
import type { TensorMap } from '../../kernel/core/tensor.ts';
import { parseOrtProfile, topOps } from '../../kernel/latency/op-profile.ts';
import type { Session } from '../../kernel/runtime/types.ts';

let made = 0;

/** A fresh profile file prefix in the temp folder. */
export function profilePrefix(): string {
  return join(tmpdir(), `parity-profile-${process.pid}-${++made}`);
}

/** Runs `feeds` `runs` times on `session`, ends `ort`'s profiling and reads its file. */
export async function profileOrtNode(session: Session, ort: InferenceSession, prefix: string, feeds: TensorMap, runs: number): Promise<OpProfile> {
  for (let i = 0; i < runs; i++) await session.run(feeds);
  ort.endProfiling();
  const dir = dirname(prefix);
  const files = readdirSync(dir).filter((f) => f.startsWith(`${basename(prefix)}_`) && f.endsWith('.json'));
  if (files.length === 0) throw new ParityError('RUN_FAILED', `onnxruntime-node wrote no profile file ${prefix}_*.json`);
  try {
    const totals = parseOrtProfile(JSON.parse(readFileSync(join(dir, files[0]!), 'utf8')));
    return topOps(totals, runs, 'onnxruntime session profiling (kernel time, the first run included)');
  } finally {
    for (const f of files) rmSync(join(dir, f), { force: true });
  }
}
