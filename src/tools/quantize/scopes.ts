/**
 * Lexical scopes of a model for the int8 rewrites: walks the main graph and every If/Loop/Scan
 * body with the constants each one can see (its own initializers and Constant nodes, plus those of
 * enclosing graphs it captures), each tagged with the graph that owns it, so a weight captured from
 * an outer scope is quantized once, where it lives. Browser-safe.
 */
import type { AttributeProto, GraphProto, ModelProto } from 'onnx-buf';
import { constantTable, pruneUnusedConstants, type ConstantRef } from '../../kernel/onnx/graph-utils.ts';
import { forEachGraph } from '../../kernel/onnx/io.ts';

/** A constant visible in a scope, with the graph that defines it. */
export interface ScopedConstant extends ConstantRef {
  owner: GraphProto;
}

const subgraphs = (a: AttributeProto): GraphProto[] => (a.g ? [a.g, ...a.graphs] : a.graphs);

/**
 * Calls `visit` for the main graph (depth 0), then for each subgraph, depth first. `visit` may
 * replace `graph.node`; the subgraphs walked next are those of the nodes it leaves.
 */
export function forEachScope(
  graph: GraphProto,
  visit: (g: GraphProto, constants: ReadonlyMap<string, ScopedConstant>, depth: number) => void,
  outer: ReadonlyMap<string, ScopedConstant> = new Map(),
  depth = 0,
): void {
  const visible = new Map(outer);
  for (const v of graph.input) visible.delete(v.name);
  for (const n of graph.node) for (const o of n.output) visible.delete(o);
  for (const [name, ref] of constantTable(graph)) visible.set(name, { ...ref, owner: graph });
  visit(graph, visible, depth);
  const owners = [...graph.node]; // a body may add nodes to this graph (a captured weight's DequantizeLinear)
  for (const n of owners) for (const a of n.attribute) for (const g of subgraphs(a)) forEachScope(g, visit, visible, depth + 1);
}

/** `pruneUnusedConstants` on every graph of the model; returns the total removed. */
export function pruneAllGraphs(model: ModelProto): number {
  let pruned = 0;
  forEachGraph(model.graph!, (g) => (pruned += pruneUnusedConstants(g)));
  return pruned;
}

/** The graph that owns a constant (scoped constants know it; plain ones belong to `fallback`). */
export function ownerOf(ref: ConstantRef, fallback: GraphProto): GraphProto {
  return (ref as Partial<ScopedConstant>).owner ?? fallback;
}
