/**
 * Saving and loading TF.js layers models as files (model.json + one weights shard) without
 * @tensorflow/tfjs-node: a save handler and a load handler built on tf.io's plain-object API.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';

/** Name of the single weights shard written beside model.json. */
export const WEIGHTS_FILE = 'weights.bin';

/** Saves `model` as `<dir>/model.json` + `<dir>/weights.bin` (format `layers-model`). Returns the bytes written. */
export async function saveLayersModel(model: tf.LayersModel, dir: string): Promise<{ json: number; weights: number }> {
  mkdirSync(dir, { recursive: true });
  const sizes = { json: 0, weights: 0 };
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weights = new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData ?? []));
      const modelJson: tf.io.ModelJSON = {
        modelTopology: artifacts.modelTopology as object,
        format: 'layers-model',
        generatedBy: artifacts.generatedBy ?? `TensorFlow.js tfjs-layers v${tf.version.tfjs}`,
        convertedBy: null,
        weightsManifest: [{ paths: [`./${WEIGHTS_FILE}`], weights: artifacts.weightSpecs ?? [] }],
      };
      const text = JSON.stringify(modelJson);
      writeFileSync(join(dir, 'model.json'), text);
      writeFileSync(join(dir, WEIGHTS_FILE), weights);
      sizes.json = text.length;
      sizes.weights = weights.length;
      return { modelArtifactsInfo: { dateSaved: new Date(0), modelTopologyType: 'JSON', weightDataBytes: weights.length } };
    }),
  );
  return sizes;
}

/** An IOHandler that reads a model.json and its weight shards from disk. */
export function fileLoadHandler(modelJsonPath: string): tf.io.IOHandler {
  return {
    load: async () => {
      const json = JSON.parse(readFileSync(modelJsonPath, 'utf8')) as tf.io.ModelJSON;
      return tf.io.getModelArtifactsForJSON(json, async (manifest) => {
        const specs: tf.io.WeightsManifestEntry[] = [];
        const buffers: ArrayBuffer[] = [];
        for (const group of manifest) {
          specs.push(...group.weights);
          for (const p of group.paths) {
            const bytes = readFileSync(join(dirname(modelJsonPath), p));
            buffers.push(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
          }
        }
        return [specs, tf.io.CompositeArrayBuffer.join(buffers)];
      });
    },
  };
}

/** Loads a layers model saved by `saveLayersModel` (or any single-folder TF.js layers model). */
export function loadLayersModelFile(modelJsonPath: string): Promise<tf.LayersModel> {
  return tf.loadLayersModel(fileLoadHandler(modelJsonPath));
}
