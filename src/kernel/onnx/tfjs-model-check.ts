/**
 * Checks of a TF.js model as data (browser-safe, no Node imports): model.json has `modelTopology`
 * and a well-formed `weightsManifest`, and each weight group's shards hold exactly the bytes its
 * weights need. A truncated shard, a shard with trailing bytes, or a weight whose shape does not
 * match its bytes is named by shard file and weight, instead of tfjs's "the tensor should have 48
 * values but has 11". `read-tfjs.ts` (Node) and the browser harness both run these.
 */
import { ParityError } from '../core/errors.ts';
import type { TfjsModelJson, TfjsWeightSpec } from './tfjs-quantize.ts';

/** Bytes per element of each dtype a weight (or its `quantization.dtype`) can have. */
const ELEMENT_BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2, complex64: 8 };

/** Throws MODEL_INVALID naming the first malformed part of a model.json (`name` is the file). */
export function checkTfjsManifest(json: unknown, path: string): asserts json is TfjsModelJson {
  const bad: (what: string) => never = (what) => {
    throw new ParityError('MODEL_INVALID', `${path} is not a TF.js model.json: ${what}`);
  };
  if (!json || typeof json !== 'object' || Array.isArray(json)) bad('expected a JSON object with modelTopology and weightsManifest');
  const j = json as Record<string, unknown>;
  if (!('modelTopology' in j)) bad("'modelTopology' is missing");
  if (!Array.isArray(j.weightsManifest)) bad("'weightsManifest' is missing or not a list");
  (j.weightsManifest as unknown[]).forEach((g, i) => {
    const group = g as { paths?: unknown; weights?: unknown } | null;
    if (!group || !Array.isArray(group.paths) || group.paths.some((p) => typeof p !== 'string'))
      bad(`weightsManifest[${i}].paths must be a list of file names`);
    if (!Array.isArray(group.weights)) bad(`weightsManifest[${i}].weights must be a list`);
    (group.weights as unknown[]).forEach((w, k) => {
      const spec = w as Partial<TfjsWeightSpec> | null;
      const where = `weightsManifest[${i}].weights[${k}]${spec && typeof spec.name === 'string' ? ` ('${spec.name}')` : ''}`;
      if (!spec || typeof spec.name !== 'string') bad(`${where} has no name`);
      if (!Array.isArray(spec.shape) || spec.shape.some((d) => !Number.isInteger(d) || d < 0)) bad(`${where}.shape must be a list of non-negative integers`);
      const dtype = spec.quantization?.dtype ?? spec.dtype;
      if (typeof dtype !== 'string' || (dtype !== 'string' && ELEMENT_BYTES[dtype] === undefined)) {
        bad(`${where} has dtype '${String(dtype)}'; expected one of ${Object.keys(ELEMENT_BYTES).join(', ')}, string`);
      }
    });
  });
}

/** Byte length of one weight starting at `offset` of `data` (strings carry 4-byte length prefixes). */
function weightBytes(spec: TfjsWeightSpec, data: Uint8Array, offset: number): number {
  const count = spec.shape.reduce((a, b) => a * b, 1);
  const dtype = spec.quantization?.dtype ?? spec.dtype;
  if (dtype !== 'string') return count * ELEMENT_BYTES[dtype]!;
  let n = 0;
  for (let i = 0; i < count; i++) {
    if (offset + n + 4 > data.length) return n + 4; // runs past the end: reported by the caller
    n += 4 + new DataView(data.buffer, data.byteOffset + offset + n, 4).getUint32(0, true);
  }
  return n;
}

/** Which shard of a group byte `at` falls in, for messages. */
function shardAt(paths: readonly string[], sizes: readonly number[], at: number): string {
  let end = 0;
  for (let i = 0; i < paths.length; i++) {
    end += sizes[i]!;
    if (at < end) return paths[i]!;
  }
  return paths[paths.length - 1] ?? '(none)';
}

/**
 * Throws MODEL_INVALID when a weight group's shards are shorter or longer than its weights.
 * @param files - shard bytes keyed by the paths model.json lists (every one present).
 */
export function checkTfjsShards(json: TfjsModelJson, files: Record<string, Uint8Array>, path: string): void {
  json.weightsManifest.forEach((group) => {
    const sizes = group.paths.map((p) => files[p]!.length);
    const data = new Uint8Array(sizes.reduce((a, b) => a + b, 0));
    let at = 0;
    for (const p of group.paths) {
      data.set(files[p]!, at);
      at += files[p]!.length;
    }
    const held = group.paths.map((p, i) => `'${p}' (${sizes[i]} bytes)`).join(', ');
    let offset = 0;
    for (const spec of group.weights) {
      const len = weightBytes(spec, data, offset);
      if (offset + len > data.length) {
        throw new ParityError(
          'MODEL_INVALID',
          `${path}: weight '${spec.name}' (${spec.quantization?.dtype ?? spec.dtype} [${spec.shape.join(',')}], ${len} bytes) needs bytes ${offset}..${offset + len} of its shards, ` +
            `but they hold ${data.length}: ${held}; '${shardAt(group.paths, sizes, Math.max(0, data.length - 1))}' is truncated or the manifest's shapes do not match it`,
          { weight: spec.name, shards: group.paths },
        );
      }
      offset += len;
    }
    if (offset < data.length) {
      const last = group.weights[group.weights.length - 1];
      throw new ParityError(
        'MODEL_INVALID',
        `${path}: shard '${shardAt(group.paths, sizes, offset)}' has ${data.length - offset} bytes past the end of the last weight${last ? ` ('${last.name}')` : ''}; ` +
          `the weights need ${offset} bytes, the shards hold ${data.length}: ${held}; the shard does not belong to this model.json, or the manifest lost a weight`,
        { shards: group.paths, extraBytes: data.length - offset },
      );
    }
  });
}

/** Which kind of TF.js model a model.json holds, and the evidence. */
export interface TfjsModelKind {
  kind: 'graph-model' | 'layers-model';
  /** Why, e.g. "modelTopology.node lists 63 nodes (model.json has no 'format' field)". */
  why: string;
}

/**
 * Graph or layers model, by content: `modelTopology.node` (the converter's GraphDef), a
 * `signature`, or `format: 'graph-model'` make a graph model; `modelTopology.class_name`,
 * `model_config` or `config.layers` (a Keras config) a layers model. Older converters wrote no
 * `format` field, so the field alone cannot decide; content wins when they disagree.
 * @throws ParityError MODEL_INVALID when the topology is neither (names the file and the field).
 */
export function tfjsModelKind(json: TfjsModelJson, path: string): TfjsModelKind {
  const top = (json.modelTopology ?? {}) as Record<string, unknown>;
  const format = typeof json.format === 'string' ? json.format : undefined;
  const noFormat = format === undefined ? " (model.json has no 'format' field)" : ` ('format' says '${format.slice(0, 40)}')`;
  if (Array.isArray(top.node)) return { kind: 'graph-model', why: `modelTopology.node lists ${top.node.length} graph nodes${noFormat}` };
  const keras = top.model_config ?? (top.class_name !== undefined || (top.config as { layers?: unknown } | undefined)?.layers ? top : undefined);
  if (keras) {
    const cls = (keras as { class_name?: unknown }).class_name;
    return { kind: 'layers-model', why: `modelTopology holds a Keras ${typeof cls === 'string' ? `'${cls.slice(0, 40)}' ` : ''}config${noFormat}` };
  }
  if (json.signature && typeof json.signature === 'object') return { kind: 'graph-model', why: `model.json has a 'signature'${noFormat}` };
  if (format === 'graph-model' || format === 'layers-model') return { kind: format, why: `'format' says '${format}'` };
  const keys = Object.keys(top)
    .slice(0, 6)
    .map((k) => `'${k.slice(0, 30)}'`);
  throw new ParityError(
    'MODEL_INVALID',
    `${path}: modelTopology is neither a graph (no 'node' list) nor a Keras layers config (no 'class_name' or 'model_config'); its keys: ${keys.join(', ') || 'none'}`,
  );
}
