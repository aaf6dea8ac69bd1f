/**
 * Graph plumbing shared by the graph rewrites (fp16, quantizers, exposing intermediates):
 * producer/consumer maps, outer-scope references of subgraphs, topological order, fresh names,
 * constant lookup (initializers and Constant nodes) and dead-constant pruning. Browser-safe.
 */
import { TensorProto_DataType, type GraphProto, type ModelProto, type NodeProto, type TensorProto } from 'onnx-buf';
import { ParityError } from '../core/errors.ts';
import { forEachGraph } from './io.ts';

/** Node that produces each value of `graph` (its own nodes only, not subgraphs). */
export function producerMap(graph: GraphProto): Map<string, NodeProto> {
  const out = new Map<string, NodeProto>();
  for (const n of graph.node) for (const o of n.output) if (o) out.set(o, n);
  return out;
}

/**
 * Values a node reads: its inputs plus the outer-scope names its subgraphs (If/Loop/Scan bodies)
 * use without defining them. Empty input names (skipped optional inputs) are left out.
 */
export function nodeReads(node: NodeProto): string[] {
  const reads = node.input.filter(Boolean);
  for (const a of node.attribute) {
    for (const g of a.g ? [a.g, ...a.graphs] : a.graphs) reads.push(...outerReferences(g));
  }
  return reads;
}

/** Names a subgraph reads from enclosing scopes (used but not defined inside it). */
function outerReferences(graph: GraphProto): Set<string> {
  const defined = new Set<string>([...graph.input.map((v) => v.name), ...graph.initializer.map((t) => t.name)]);
  const refs = new Set<string>();
  for (const n of graph.node) {
    for (const r of nodeReads(n)) if (!defined.has(r)) refs.add(r);
    for (const o of n.output) defined.add(o);
  }
  for (const v of graph.output) if (!defined.has(v.name)) refs.add(v.name);
  return refs;
}

/** Consumers of each value in `graph`, subgraph references counted as reads of the owning node. */
export function consumerMap(graph: GraphProto): Map<string, NodeProto[]> {
  const out = new Map<string, NodeProto[]>();
  for (const n of graph.node) {
    for (const r of new Set(nodeReads(n))) {
      const list = out.get(r);
      if (list) list.push(n);
      else out.set(r, [n]);
    }
  }
  return out;
}

/**
 * Sorts `graph.node` in place into a topological order (stable: keeps the existing order where
 * it is already valid). Subgraphs are sorted too.
 * @throws ParityError `MODEL_INVALID` when the graph has a cycle or reads a value nobody makes.
 */
export function topologicalSort(graph: GraphProto, outer: ReadonlySet<string> = new Set()): void {
  const available = new Set<string>([...outer, ...graph.input.map((v) => v.name), ...graph.initializer.map((t) => t.name), '']);
  const producers = producerMap(graph);
  const pending = new Map<NodeProto, number>();
  const waiting = new Map<string, NodeProto[]>();
  const ready: NodeProto[] = [];
  for (const n of graph.node) {
    const missing = new Set(nodeReads(n).filter((r) => !available.has(r)));
    for (const m of missing) {
      if (!producers.has(m)) {
        throw new ParityError('MODEL_INVALID', `node '${n.name || n.opType}' reads '${m}', which no node, input or initializer provides`);
      }
      const list = waiting.get(m);
      if (list) list.push(n);
      else waiting.set(m, [n]);
    }
    pending.set(n, missing.size);
    if (missing.size === 0) ready.push(n);
  }
  const order: NodeProto[] = [];
  const index = new Map(graph.node.map((n, i) => [n, i]));
  while (ready.length) {
    // Smallest original index first keeps the order stable.
    let best = 0;
    for (let i = 1; i < ready.length; i++) if (index.get(ready[i]!)! < index.get(ready[best]!)!) best = i;
    const n = ready.splice(best, 1)[0]!;
    order.push(n);
    for (const o of n.output) {
      for (const c of waiting.get(o) ?? []) {
        const left = pending.get(c)! - 1;
        pending.set(c, left);
        if (left === 0) ready.push(c);
      }
      waiting.delete(o);
    }
  }
  if (order.length !== graph.node.length) {
    const stuck = graph.node
      .filter((n) => !order.includes(n))
      .slice(0, 3)
      .map((n) => n.name || n.opType);
    throw new ParityError('MODEL_INVALID', `the graph has a cycle (nodes ${stuck.join(', ')} never become ready)`);
  }
  graph.node = order;
  const scope = new Set([...available, ...order.flatMap((n) => n.output)]);
  for (const n of order) for (const a of n.attribute) for (const g of a.g ? [a.g, ...a.graphs] : a.graphs) topologicalSort(g, scope);
}

/** Every name used in a model: values, nodes, initializers, subgraphs included. */
function usedNames(graph: GraphProto): Set<string> {
  const names = new Set<string>();
  forEachGraph(graph, (g) => {
    for (const v of [...g.input, ...g.output, ...g.valueInfo]) names.add(v.name);
    for (const t of g.initializer) names.add(t.name);
    for (const n of g.node) {
      names.add(n.name);
      for (const x of [...n.input, ...n.output]) names.add(x);
    }
  });
  return names;
}

/** Returns fresh names: `base`, then `base_1`, `base_2`... never colliding with the model's names. */
export function createNamer(model: ModelProto | GraphProto): (base: string) => string {
  const graph = model.$typeName === 'onnx.ModelProto' ? model.graph : model;
  const taken = graph ? usedNames(graph) : new Set<string>();
  const counters = new Map<string, number>();
  return (base: string) => {
    let name = base;
    let k = counters.get(base) ?? 0;
    while (taken.has(name)) name = `${base}_${++k}`;
    counters.set(base, k);
    taken.add(name);
    return name;
  };
}

/** A constant tensor of a graph: an initializer or the `value` of a Constant node. */
export interface ConstantRef {
  name: string;
  tensor: TensorProto;
  kind: 'initializer' | 'constant';
  /** The Constant node, when `kind` is `constant`. */
  node?: NodeProto;
}

/** Constants of `graph` by value name (initializers shadowed by a graph input are overridable, so left out). */
export function constantTable(graph: GraphProto): Map<string, ConstantRef> {
  const inputs = new Set(graph.input.map((v) => v.name));
  const out = new Map<string, ConstantRef>();
  for (const t of graph.initializer) if (!inputs.has(t.name)) out.set(t.name, { name: t.name, tensor: t, kind: 'initializer' });
  for (const n of graph.node) {
    if (n.opType !== 'Constant' || (n.domain !== '' && n.domain !== 'ai.onnx')) continue;
    const value = n.attribute.find((a) => a.name === 'value' && a.t);
    if (value?.t && n.output[0]) out.set(n.output[0], { name: n.output[0], tensor: value.t, kind: 'constant', node: n });
  }
  return out;
}

/** True when `t` holds float32 values (the tensors the rewrites convert). */
export function isFloat32Tensor(t: TensorProto): boolean {
  return t.dataType === TensorProto_DataType.FLOAT;
}

/**
 * Removes Constant nodes and initializers nothing reads any more (graph outputs count as reads).
 * Returns how many were removed.
 */
export function pruneUnusedConstants(graph: GraphProto): number {
  const reads = new Set<string>([...graph.output.map((v) => v.name), ...graph.node.flatMap(nodeReads)]);
  const before = graph.node.length + graph.initializer.length;
  graph.node = graph.node.filter((n) => n.opType !== 'Constant' || n.output.some((o) => reads.has(o)));
  const dropped = new Set(graph.initializer.filter((t) => !reads.has(t.name)).map((t) => t.name));
  graph.initializer = graph.initializer.filter((t) => !dropped.has(t.name));
  graph.input = graph.input.filter((v) => !dropped.has(v.name));
  graph.valueInfo = graph.valueInfo.filter((v) => !dropped.has(v.name));
  return before - graph.node.length - graph.initializer.length;
}

/** How a node is named in reports and matched by `--exclude-nodes`: its name, else its first output. */
export function nodeLabel(node: NodeProto): string {
  return node.name || node.output[0] || node.opType;
}
