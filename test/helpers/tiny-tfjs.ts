/** A tiny TF.js layers model, saved to memory as a ModelSource (no files, no tfjs-node). */
import * as tf from '@tensorflow/tfjs';
import type { ModelSource } from '../../src/kernel/runtime/types.ts';

export async function tinyTfjsModel(): Promise<Extract<ModelSource, { format: 'tfjs' }>> {
  const model = tf.sequential({
    layers: [tf.layers.dense({ inputShape: [4], units: 3, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) })],
  });
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(tf.io.withSaveHandler(async (a) => ((saved = a), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })));
  const a = saved!;
  const weights = new Uint8Array(a.weightData as ArrayBuffer);
  const modelJson = { format: 'layers-model', modelTopology: a.modelTopology, weightsManifest: [{ paths: ['w.bin'], weights: a.weightSpecs }] };
  model.dispose();
  return { format: 'tfjs', name: 'tiny-tfjs', modelJson, files: { 'w.bin': weights } };
}
