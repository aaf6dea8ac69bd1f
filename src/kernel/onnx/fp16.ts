/**
 * float32 → float16 conversion of an ONNX model (browser-safe, in place).
 *
 * - float32 initializers, Constant-node tensors (and ConstantOfShape values) become float16, in
 *   the main graph and in every subgraph (If/Loop/Scan bodies);
 * - nodes compute in float16 except the block list (`FP16_BLOCKED_OPS`, `--exclude-ops`,
 *   `--exclude-nodes`, ops of other domains), which stay float32 with Cast nodes around them;
 *   inputs the spec requires in float32 (Resize/Upsample `scales`) get a Cast back to float32;
 * - `keepIoTypes` (default true): graph inputs and outputs stay float32, with a Cast after each
 *   float input and before each float output, so callers feed and read float32 as before;
 * - constants beyond ±65504 are clamped and counted per tensor (`report.clamped`); non-zero values
 *   that underflow to zero are counted too (`report.flushed`). Nothing is changed silently;
 * - value_info and graph input/output types are updated to match.
 */
import { create } from '@bufbuild/protobuf';
import {
  AttributeProtoSchema,
  TensorProto_DataType as DT,
  type AttributeProto,
  type GraphProto,
  type ModelProto,
  type NodeProto,
  type TensorProto,
} from 'onnx-buf';
import { attr, makeNode } from './builder.ts';
import { consumerMap, createNamer, nodeLabel } from './graph-utils.ts';
import { blockReason, float32Inputs } from './fp16-ops.ts';
import { tensorToHalfInPlace } from './half.ts';
import { declaredElemType, inferElemTypes, setElemType } from './infer-types.ts';
import { tensorToProto } from './tensor-proto.ts';
import { f32ToF16Array } from '../core/float16.ts';

export interface Fp16Options {
  /** Keep float32 graph inputs/outputs float32 (Casts at the boundary). Default true. */
  keepIoTypes?: boolean;
  /** Op types to keep in float32 in addition to the built-in block list. Default none. */
  excludeOps?: readonly string[];
  /** Nodes (by name, or by first output name for unnamed nodes) to keep in float32. Default none. */
  excludeNodes?: readonly string[];
}

export interface Fp16Report {
  /** float32 tensors (initializers and constants) stored as float16. */
  tensorsConverted: number;
  /** Op type → nodes now computing in float16. */
  nodesFp16: Record<string, number>;
  /** Nodes with float data left in float32, and why. */
  keptFloat32: { node: string; op: string; reason: string }[];
  castsInserted: number;
  /** Tensors with values beyond ±65504, clamped to ±65504. */
  clamped: { tensor: string; count: number }[];
  /** Tensors with non-zero values too small for float16 (now zero). */
  flushed: { tensor: string; count: number }[];
}

interface Ctx {
  opset: number;
  keepIo: boolean;
  excludeOps: Set<string>;
  excludeNodes: Set<string>;
  namer: (base: string) => string;
  orig: WeakMap<GraphProto, Map<string, number>>;
  report: Fp16Report;
}

interface Mode {
  main: boolean;
  /** Subgraph formal inputs/outputs that are float32 become float16 (the owning node runs in float16). */
  ioHalf: boolean;
  /** The owning node stays float32, so everything inside does. */
  allFloat32: boolean;
}

const subgraphs = (a: AttributeProto): GraphProto[] => (a.g ? [a.g, ...a.graphs] : a.graphs);

function recordOriginalTypes(graph: GraphProto, outer: ReadonlyMap<string, number>, store: Ctx['orig']): void {
  const types = inferElemTypes(graph, outer);
  store.set(graph, types);
  for (const n of graph.node) for (const a of n.attribute) for (const g of subgraphs(a)) recordOriginalTypes(g, types, store);
}

function halfTensor(t: TensorProto, label: string, ctx: Ctx): void {
  const stats = tensorToHalfInPlace(t);
  ctx.report.tensorsConverted++;
  if (stats.clamped) ctx.report.clamped.push({ tensor: label, count: stats.clamped });
  if (stats.flushed) ctx.report.flushed.push({ tensor: label, count: stats.flushed });
}

/** Does `reader` (when running in float16) want `name` as float16? */
function wantsHalf(reader: NodeProto, name: string, blocked: (n: NodeProto) => string | undefined, opset: number): boolean {
  if (blocked(reader) !== undefined || reader.opType === 'Cast') return false;
  const keep = float32Inputs(reader.opType, opset);
  const direct = reader.input.some((x, i) => x === name && !keep.includes(i));
  return direct || !reader.input.includes(name); // not a direct input → a subgraph reads it
}

function convertGraph(graph: GraphProto, ctx: Ctx, outerNow: ReadonlyMap<string, number>, outerAlias: ReadonlyMap<string, string>, mode: Mode): void {
  const orig = ctx.orig.get(graph)!;
  const now = new Map(outerNow);
  const alias = new Map(outerAlias);
  const casts = new Map<string, string>();
  const out: NodeProto[] = [];
  const pendingOutputs: [string, string, number][] = [];
  const outputs = new Set(graph.output.map((o) => o.name));
  const inputs = new Set(graph.input.map((v) => v.name));
  const blocked = (n: NodeProto): string | undefined =>
    mode.allFloat32
      ? 'inside a float32 subgraph'
      : ctx.excludeNodes.has(nodeLabel(n)) || ctx.excludeNodes.has(n.name)
        ? 'excluded by --exclude-nodes'
        : blockReason(n.opType, n.domain, ctx.excludeOps);
  const consumers = consumerMap(graph);
  const anyHalfReader = (name: string) => (consumers.get(name) ?? []).some((r) => wantsHalf(r, name, blocked, ctx.opset));
  const keepAsIs = (name: string) => mode.main && ctx.keepIo && outputs.has(name);

  const castTo = (value: string, to: number): string => {
    const key = `${value}|${to}`;
    let name = casts.get(key);
    if (!name) {
      name = ctx.namer(`${value}_${to === DT.FLOAT16 ? 'fp16' : 'fp32'}`);
      out.push(makeNode('Cast', [value], [name], { to: attr.int(to) }, { name }));
      now.set(name, to);
      casts.set(key, name);
      ctx.report.castsInserted++;
    }
    return name;
  };

  for (const v of graph.input) {
    const t = orig.get(v.name);
    if (t === undefined) continue;
    const half = t === DT.FLOAT && (mode.main ? !ctx.keepIo : mode.ioHalf);
    if (half) setElemType(v, DT.FLOAT16);
    now.set(v.name, half ? DT.FLOAT16 : t);
  }
  for (const t of graph.initializer) {
    if (inputs.has(t.name)) continue; // overridable initializer: part of the interface
    if (t.dataType === DT.FLOAT && !mode.allFloat32 && !keepAsIs(t.name) && anyHalfReader(t.name)) halfTensor(t, t.name, ctx);
    now.set(t.name, t.dataType);
  }

  for (const node of graph.node) {
    const reason = blocked(node);
    const half = reason === undefined;
    let producesHalf = half;
    if (node.opType === 'Constant' && node.domain === '') {
      producesHalf = half && orig.get(node.output[0]!) === DT.FLOAT && !keepAsIs(node.output[0]!) && anyHalfReader(node.output[0]!);
      if (producesHalf) convertConstant(node, ctx);
    } else if (node.opType === 'Cast' && half) {
      node.input = node.input.map((x) => alias.get(x) ?? x);
      const to = node.attribute.find((a) => a.name === 'to');
      if (to && Number(to.i) === DT.FLOAT) to.i = BigInt(DT.FLOAT16);
    } else {
      const keep32 = half ? float32Inputs(node.opType, ctx.opset) : [];
      node.input = node.input.map((src, i) => {
        if (!src) return src;
        const cur = alias.get(src) ?? src;
        const o = orig.get(src);
        const target = o === DT.FLOAT && half && !keep32.includes(i) ? DT.FLOAT16 : o;
        const have = now.get(cur);
        return o === undefined || have === undefined || have === target ? cur : castTo(cur, target!);
      });
      if (node.opType === 'ConstantOfShape' && half) convertConstantOfShape(node, ctx);
      for (const a of node.attribute) {
        const io = half && ['If', 'Loop', 'Scan'].includes(node.opType);
        for (const g of subgraphs(a)) convertGraph(g, ctx, now, alias, { main: false, ioHalf: io, allFloat32: !half || mode.allFloat32 });
      }
    }
    let anyHalfOut = false;
    node.output.forEach((o, i) => {
      if (!o) return;
      let t = orig.get(o);
      if (producesHalf && t === DT.FLOAT && node.opType !== 'Cast') t = DT.FLOAT16;
      if (node.opType === 'Cast' && half && t === DT.FLOAT) t = DT.FLOAT16;
      if (t === DT.FLOAT16 && orig.get(o) === DT.FLOAT) anyHalfOut = true;
      const wanted = ctx.keepIo ? orig.get(o) : orig.get(o) === DT.FLOAT ? DT.FLOAT16 : orig.get(o);
      if (mode.main && outputs.has(o) && t !== undefined && t !== wanted) {
        const fresh = ctx.namer(`${o}_${t === DT.FLOAT16 ? 'fp16' : 'fp32'}`);
        alias.set(o, fresh);
        node.output[i] = fresh;
        pendingOutputs.push([fresh, o, wanted!]);
        o = fresh;
      }
      if (t !== undefined) now.set(o, t);
    });
    out.push(node);
    if (node.opType === 'Constant') continue;
    const label = nodeLabel(node);
    if (half && anyHalfOut) ctx.report.nodesFp16[node.opType] = (ctx.report.nodesFp16[node.opType] ?? 0) + 1;
    else if (!half && !mode.allFloat32 && [...node.input, ...node.output].some((x) => orig.get(x) === DT.FLOAT)) {
      ctx.report.keptFloat32.push({ node: label, op: node.opType, reason: reason! });
    }
  }

  for (const [from, to, type] of pendingOutputs) {
    out.push(makeNode('Cast', [from], [to], { to: attr.int(type) }, { name: ctx.namer(`${to}_cast`) }));
    ctx.report.castsInserted++;
  }
  for (const v of graph.output) {
    const src = v.name;
    const o = orig.get(src);
    if (o === undefined) continue;
    if (mode.main) {
      if (!ctx.keepIo && o === DT.FLOAT) setElemType(v, DT.FLOAT16);
      continue;
    }
    const cur = alias.get(src) ?? src;
    const want = mode.ioHalf && o === DT.FLOAT ? DT.FLOAT16 : o;
    v.name = now.get(cur) === want ? cur : castTo(cur, want);
    setElemType(v, want);
  }
  for (const v of graph.valueInfo) {
    v.name = alias.get(v.name) ?? v.name;
    const t = now.get(v.name);
    const d = declaredElemType(v);
    if (t !== undefined && d !== t && (d === DT.FLOAT || d === DT.FLOAT16)) setElemType(v, t);
  }
  graph.node = out;
}

function convertConstant(node: NodeProto, ctx: Ctx): void {
  const label = node.output[0]!;
  const a = node.attribute[0]!;
  if (a.t) halfTensor(a.t, label, ctx);
  else if (a.name === 'value_float' || a.name === 'value_floats') {
    const values = a.name === 'value_float' ? [a.f] : a.floats;
    const t = tensorToProto('', { dtype: 'float32', dims: a.name === 'value_float' ? [] : [values.length], data: Float32Array.from(values) });
    halfTensor(t, label, ctx);
    node.attribute = [attrOf('value', t)];
  }
}

function attrOf(name: string, t: TensorProto): AttributeProto {
  return create(AttributeProtoSchema, { ...attr.tensor(t), name });
}

function convertConstantOfShape(node: NodeProto, ctx: Ctx): void {
  const value = node.attribute.find((a) => a.name === 'value');
  if (value?.t) {
    if (value.t.dataType === DT.FLOAT) halfTensor(value.t, `${nodeLabel(node)}.value`, ctx);
    return;
  }
  // The default value is a float32 zero: make it explicit in float16.
  node.attribute.push(attrOf('value', tensorToProto('', { dtype: 'float16', dims: [1], data: f32ToF16Array([0]) })));
}

/**
 * Converts `model` to float16 in place and reports what changed. See the module comment for the
 * rules; the result still needs validation on a runtime (the quantize pipeline does that).
 */
export function convertToFloat16(model: ModelProto, options: Fp16Options = {}): Fp16Report {
  const graph = model.graph!;
  const report: Fp16Report = { tensorsConverted: 0, nodesFp16: {}, keptFloat32: [], castsInserted: 0, clamped: [], flushed: [] };
  const ctx: Ctx = {
    opset: Number(model.opsetImport.find((o) => o.domain === '' || o.domain === 'ai.onnx')?.version ?? 13n),
    keepIo: options.keepIoTypes ?? true,
    excludeOps: new Set(options.excludeOps ?? []),
    excludeNodes: new Set(options.excludeNodes ?? []),
    namer: createNamer(model),
    orig: new WeakMap(),
    report,
  };
  recordOriginalTypes(graph, new Map(), ctx.orig);
  convertGraph(graph, ctx, new Map(), new Map(), { main: true, ioHalf: false, allFloat32: false });
  return report;
}
