/**
 * Decoding and encoding ONNX ModelProto bytes (browser-safe: no Node imports).
 *
 * Protobuf happily decodes many non-ONNX byte strings into a message made of unknown fields, so
 * decoding is followed by a structural check: a real model has an IR version, a graph, an opset
 * import, and nodes with an op type.
 */
import { fromBinary, toBinary } from '@bufbuild/protobuf';
import { ModelProtoSchema, type GraphProto, type ModelProto, type NodeProto } from 'onnx-buf';
import { ParityError, errorMessage } from '../core/errors.ts';

const EXPECTED = 'expected a ModelProto with a graph and opset_import';

/** Recognises a few common non-ONNX files so the message can say what the bytes look like. */
function sniff(bytes: Uint8Array): string | undefined {
  const head = bytes.subarray(0, 8);
  const starts = (...sig: number[]): boolean => sig.every((b, i) => head[i] === b);
  if (starts(0x89, 0x50, 0x4e, 0x47)) return 'a PNG image';
  if (starts(0xff, 0xd8, 0xff)) return 'a JPEG image';
  if (starts(0x50, 0x4b, 0x03, 0x04)) return 'a zip archive (an .npz?)';
  if (starts(0x1f, 0x8b)) return 'a gzip file';
  if (starts(0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59)) return 'a NumPy .npy array';
  let i = 0;
  while (i < bytes.length && i < 64 && (bytes[i] === 0x20 || bytes[i] === 0x0a || bytes[i] === 0x0d || bytes[i] === 0x09)) i++;
  if (bytes[i] === 0x7b || bytes[i] === 0x5b) return 'a JSON file (a TF.js model.json? load it as format tfjs)';
  if (bytes[i] === 0x3c) return 'an HTML/XML document';
  return undefined;
}

function invalid(name: string, reason: string, bytes: Uint8Array, hint = ''): ParityError {
  const looks = sniff(bytes);
  const why = looks ? `it looks like ${looks} (${reason})` : reason + hint;
  return new ParityError('MODEL_INVALID', `${name} is not an ONNX model: ${why}; ${EXPECTED}`, {
    file: name,
    bytes: bytes.length,
  });
}

/** Calls `visit` for `graph` and every subgraph inside it (If/Loop/Scan bodies, any GRAPH(S) attribute). */
export function forEachGraph(graph: GraphProto, visit: (g: GraphProto, depth: number) => void, depth = 0): void {
  visit(graph, depth);
  for (const node of graph.node) {
    for (const a of node.attribute) {
      if (a.g) forEachGraph(a.g, visit, depth + 1);
      for (const g of a.graphs) forEachGraph(g, visit, depth + 1);
    }
  }
}

/** Every node of the model's graph and its subgraphs, depth first. */
export function allNodes(graph: GraphProto): NodeProto[] {
  const out: NodeProto[] = [];
  forEachGraph(graph, (g) => out.push(...g.node));
  return out;
}

/** Structural checks; returns the first problem found, or undefined when the model looks sane. */
function problem(m: ModelProto): string | undefined {
  if (m.irVersion <= 0n) return 'ir_version is missing';
  if (m.irVersion > 1000n) return `ir_version ${m.irVersion} is implausible`;
  if (!m.graph) return 'there is no graph';
  if (m.opsetImport.length === 0) return 'opset_import is empty';
  for (const o of m.opsetImport) {
    if (o.version <= 0n && o.domain === '') return 'the default-domain opset version is missing';
  }
  let bad: string | undefined;
  forEachGraph(m.graph, (g, depth) => {
    if (bad) return;
    const where = depth === 0 ? 'graph' : `subgraph '${g.name}'`;
    if (depth === 0 && g.output.length === 0) bad = 'the graph has no outputs';
    for (const v of [...g.input, ...g.output]) {
      if (!bad && v.name === '') bad = `${where} has an input or output without a name`;
    }
    for (const [i, n] of g.node.entries()) {
      if (bad) return;
      if (n.opType === '') bad = `node #${i} of the ${where} has no op_type`;
      else if (n.output.length === 0) bad = `node #${i} (${n.opType}) of the ${where} has no outputs`;
    }
  });
  return bad;
}

/**
 * Decodes ONNX bytes into a ModelProto and checks it is structurally a model.
 * @param name - file name used in error messages. Default `model.onnx`.
 * @throws ParityError `MODEL_INVALID` for empty, truncated or non-ONNX bytes.
 */
export function decodeModel(bytes: Uint8Array, name = 'model.onnx'): ModelProto {
  if (bytes.length === 0) throw invalid(name, 'the file is empty (0 bytes)', bytes);
  let model: ModelProto;
  try {
    model = fromBinary(ModelProtoSchema, bytes);
  } catch (e) {
    throw invalid(name, `protobuf decoding failed: ${errorMessage(e)}`, bytes, '; the file may be truncated or corrupt');
  }
  const p = problem(model);
  if (p) throw invalid(name, p, bytes);
  return model;
}

/** Encodes a ModelProto to bytes. Unknown fields kept by `decodeModel` are written back. */
export function encodeModel(m: ModelProto): Uint8Array {
  return toBinary(ModelProtoSchema, m);
}
