/**
 * What a node's changed constants can explain, measured: the reference node, in float32 on the
 * reference backend, fed the reference's inputs, with the constants it reads replaced by the
 * target's values (clamped, flushed, rounded or re-scaled weights, widened back to float32). The
 * noise-to-signal of its output against the reference is the error the constants alone make —
 * exact for non-linear roles too (a BatchNormalization variance clamped ×150 moves the output by
 * ×12, which ‖ΔW‖²/‖W‖² would put at ~1). Pure: any Backend.
 */
import { clone } from '@bufbuild/protobuf';
import { ModelProtoSchema, type ModelProto } from 'onnx-buf';
import { tensor } from '../../kernel/core/tensor.ts';
import type { Backend } from '../../kernel/runtime/types.ts';
import { toFloatArray } from '../../kernel/judge/float-data.ts';
import { constantTable, nodeLabel } from '../../kernel/onnx/graph-utils.ts';
import { protoToTensor, tensorToProto } from '../../kernel/onnx/tensor-proto.ts';
import { finalNsr } from './recovery.ts';
import { segmentModel } from './segment.ts';
import { runSide, type SideRun } from './run-side.ts';
import type { TensorMap } from '../../kernel/core/tensor.ts';

export interface ConstantsEffectInput {
  reference: ModelProto;
  target: ModelProto;
  backend: Backend;
  referenceRun: SideRun;
  feeds: readonly TensorMap[];
  /** The node's label. */
  node: string;
}

/** The measured noise-to-signal at the node's outputs, or undefined when no constant differs or it cannot run. */
export async function constantsEffect(e: ConstantsEffectInput): Promise<number | undefined> {
  const m = clone(ModelProtoSchema, e.reference);
  const node = m.graph!.node.find((n) => nodeLabel(n) === e.node);
  if (!node) return undefined;
  const ref = constantTable(m.graph!);
  const tgt = constantTable(e.target.graph!);
  let changed = 0;
  for (const x of node.input) {
    const a = ref.get(x),
      b = tgt.get(x);
    if (!a || !b || a.tensor.dataType !== 1) continue;
    try {
      const va = protoToTensor(a.tensor);
      const vb = Float32Array.from(toFloatArray(protoToTensor(b.tensor)));
      if (vb.length !== va.data.length || vb.every((v, i) => v === (va.data as Float32Array)[i])) continue;
      const t = tensorToProto(a.tensor.name, tensor('float32', va.dims, vb));
      if (a.kind === 'initializer') m.graph!.initializer[m.graph!.initializer.indexOf(a.tensor)] = t;
      else a.node!.attribute.find((x) => x.name === 'value')!.t = t;
      changed++;
    } catch {
      continue;
    }
  }
  if (!changed) return undefined;
  try {
    const run = e.referenceRun;
    const seg = segmentModel(
      m,
      new Set([e.node]),
      (n) => run.dtypes.get(n),
      (n) => (run.runs[0]?.[n] ?? e.feeds[0]?.[n])?.dims.length,
    );
    const feeds = e.feeds.map((f, s) => Object.fromEntries(seg.inputs.map((n) => [n, run.runs[s]?.[n] ?? f[n]!])));
    const own = node.output.filter(Boolean);
    const out = await runSide({
      role: 'constants check',
      backend: e.backend,
      name: `constants#${e.node}`,
      model: seg.model,
      level: 'disabled',
      feeds,
      expose: own,
    });
    return finalNsr({ runs: run.runs.map((r) => Object.fromEntries(own.map((o) => [o, r[o]!]))), dtypes: run.dtypes, outputs: own }, out);
  } catch {
    return undefined;
  }
}
