/**
 * Exposing activations for int8-static calibration, If branches included (browser-safe). Main-graph
 * values become graph outputs (`exposeIntermediates`). A value defined inside a branch of an If node
 * of the main graph leaves it through a new If output: the branch that defines it outputs it, the
 * other branch outputs an empty float tensor, so a sample that takes the other branch reports no
 * values (never a made-up range). This changes only the throwaway probe model.
 *
 * Values inside Loop / Scan bodies (their values leave only as per-iteration scan outputs or loop
 * carries) and in subgraphs nested deeper are not exposed: the caller says so and quantizes those
 * nodes' weights only.
 */
import { clone } from '@bufbuild/protobuf';
import { ModelProtoSchema, type GraphProto, type ModelProto, type ValueInfoProto } from 'onnx-buf';
import { tensor } from '../../kernel/core/tensor.ts';
import { makeConstant, makeNode, makeValueInfo } from '../../kernel/onnx/builder.ts';
import { createNamer } from '../../kernel/onnx/graph-utils.ts';
import { exposeIntermediates } from './expose-outputs.ts';

export interface CalibrationProbe {
  model: ModelProto;
  /** Tensor → the graph output that carries its values. */
  fetch: Map<string, string>;
  /** Tensors that could not be exposed, and why. */
  notExposed: { name: string; reason: string }[];
}

function untypedFloat(name: string): ValueInfoProto {
  const vi = makeValueInfo(name, 'float32', []);
  if (vi.type?.value.case === 'tensorType') vi.type.value.value.shape = undefined; // rank unknown, not a scalar
  return vi;
}

const branches = (node: { attribute: { name: string; g?: GraphProto }[] }) =>
  node.attribute.filter((a) => (a.name === 'then_branch' || a.name === 'else_branch') && a.g).map((a) => a.g!);

/** A probe model whose outputs carry every tensor in `names` that can be exposed. */
export function exposeForCalibration(model: ModelProto, names: readonly string[]): CalibrationProbe {
  const graph = model.graph!;
  const mainValues = new Set([...graph.input.map((v) => v.name), ...graph.node.flatMap((n) => n.output)]);
  const main = names.filter((n) => mainValues.has(n));
  const inBodies = names.filter((n) => !mainValues.has(n));
  const fetch = new Map<string, string>();
  const notExposed: CalibrationProbe['notExposed'] = [];
  let base = model;
  if (inBodies.length) {
    base = clone(ModelProtoSchema, model);
    const g = base.graph!;
    const namer = createNamer(base);
    const left = new Set(inBodies);
    for (const node of g.node) {
      if (node.opType !== 'If') continue;
      const [thenB, elseB] = branches(node);
      if (!thenB || !elseB) continue;
      for (const t of [...left]) {
        const home = [thenB, elseB].find((b) => b.node.some((n) => n.output.includes(t)));
        if (!home) continue;
        left.delete(t);
        const out = namer(`${t}_calibration`);
        node.output.push(out);
        for (const b of [thenB, elseB]) {
          if (b === home) {
            // Through an Identity: a value listed twice as a graph output crashes onnxruntime 1.30.
            const copy = namer(`${t}_exposed`);
            b.node.push(makeNode('Identity', [t], [copy], {}, { name: copy }));
            b.output.push(untypedFloat(copy));
            continue;
          }
          const none = namer(`${t}_not_taken`);
          b.node.push(makeConstant(none, tensor('float32', [0], new Float32Array(0))));
          b.output.push(untypedFloat(none));
        }
        g.output.push(untypedFloat(out));
        fetch.set(t, out);
      }
    }
    for (const t of left) notExposed.push({ name: t, reason: 'defined inside a Loop/Scan body or a nested subgraph, whose values leave only per iteration' });
  }
  const probe = exposeIntermediates(base, main);
  for (const s of probe.skipped) notExposed.push(s);
  for (const n of main) if (!probe.skipped.some((s) => s.name === n)) fetch.set(n, n);
  return { model: probe.model, fetch, notExposed };
}
