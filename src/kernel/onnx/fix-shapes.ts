/**
 * A fixed-shape copy of an ONNX model: the graph inputs' symbolic (or unknown) dims replaced by
 * the concrete dims of the feeds a run actually uses, and the same names replaced in the graph
 * outputs and value_info. Backends that refuse symbolic dims (ORT-web's WebGL EP: "expected
 * shape '[,10]' but got [1,10]") run this copy. An output dim that no input binds keeps its name
 * rather than being guessed; a value_info entry with one is dropped. Browser-safe.
 */
import type { GraphProto, ModelProto, TypeProto, ValueInfoProto } from 'onnx-buf';
import { ParityError } from '../core/errors.ts';
import { decodeModel, encodeModel } from './io.ts';

/** What {@link fixShapes} changed. */
export interface FixedShapes {
  bytes: Uint8Array;
  /** Symbolic dim name → the concrete size it was given (e.g. `{ batch: 1 }`). */
  bindings: Record<string, number>;
  /** Input name → the dims it was fixed to. */
  inputs: Record<string, number[]>;
}

function tensorShape(t: TypeProto | undefined) {
  return t?.value.case === 'tensorType' ? t.value.value : undefined;
}

/** True when some graph input (not an initializer) has a symbolic or unknown dim. */
export function hasSymbolicInputs(bytes: Uint8Array, name = 'model.onnx'): boolean {
  const g = decodeModel(bytes, name).graph!;
  const inits = new Set(g.initializer.map((i) => i.name));
  return g.input.some((v) => !inits.has(v.name) && (tensorShape(v.type)?.shape?.dim ?? []).some((d) => d.value.case !== 'dimValue'));
}

function bindInputs(g: GraphProto, dims: Readonly<Record<string, readonly number[]>>, bindings: Record<string, number>): Record<string, number[]> {
  const inits = new Set(g.initializer.map((i) => i.name));
  const fixed: Record<string, number[]> = {};
  for (const v of g.input) {
    if (inits.has(v.name)) continue;
    const shape = tensorShape(v.type)?.shape;
    const given = dims[v.name];
    if (!shape) continue;
    if (!given) throw new ParityError('INPUT_DATA', `fixing shapes: no dims given for input '${v.name}'; given: ${Object.keys(dims).join(', ') || 'none'}`);
    if (given.length !== shape.dim.length) {
      throw new ParityError('INPUT_DATA', `fixing shapes: input '${v.name}' has rank ${shape.dim.length} but the feed has dims [${given.join(',')}]`);
    }
    shape.dim.forEach((d, i) => {
      const size = given[i]!;
      if (d.value.case === 'dimValue') {
        if (Number(d.value.value) !== size)
          throw new ParityError('INPUT_DATA', `fixing shapes: input '${v.name}' dim ${i} is ${d.value.value} but the feed has ${size}`);
        return;
      }
      if (d.value.case === 'dimParam') {
        const prev = bindings[d.value.value];
        if (prev !== undefined && prev !== size) {
          throw new ParityError('INPUT_DATA', `fixing shapes: dim '${d.value.value}' is ${prev} in one input and ${size} in '${v.name}'`);
        }
        bindings[d.value.value] = size;
      }
      d.value = { case: 'dimValue', value: BigInt(size) };
    });
    fixed[v.name] = [...given];
  }
  return fixed;
}

/**
 * Applies the bindings to a declared value; false when a dim stays symbolic. Such a dim keeps its
 * name: a graph output must keep a shape (ORT-web's WebGL loader reads `shape.dim` of every
 * output and crashes on a missing one), and a value_info entry with one is dropped by the caller.
 */
function applyBindings(v: ValueInfoProto, bindings: Readonly<Record<string, number>>): boolean {
  const t = tensorShape(v.type);
  if (!t?.shape) return true;
  let complete = true;
  for (const d of t.shape.dim) {
    if (d.value.case === 'dimParam' && bindings[d.value.value] !== undefined) d.value = { case: 'dimValue', value: BigInt(bindings[d.value.value]!) };
    else if (d.value.case !== 'dimValue') complete = false;
  }
  return complete;
}

/**
 * The model with its inputs fixed to `dims` (input name → concrete dims).
 * @throws ParityError `INPUT_DATA` when a feed is missing or contradicts a fixed dim.
 */
export function fixShapes(bytes: Uint8Array, dims: Readonly<Record<string, readonly number[]>>, name = 'model.onnx'): FixedShapes {
  const model: ModelProto = decodeModel(bytes, name);
  const g = model.graph!;
  const bindings: Record<string, number> = {};
  const inputs = bindInputs(g, dims, bindings);
  for (const o of g.output) applyBindings(o, bindings);
  g.valueInfo = g.valueInfo.filter((v) => applyBindings(v, bindings));
  return { bytes: encodeModel(model), bindings, inputs };
}
