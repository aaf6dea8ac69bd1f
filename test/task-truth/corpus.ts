/**
 * Task-truth corpus: the cases (third-party model + real inputs + task judge). Each case says what the
 * tool is given (model file, data arrays, `--task` roles) and how the task outcome of one model file on
 * one backend is judged against fp32 on ort-node/cpu, the tool's own reference. Judges never call the
 * tool. `size` scales the inputs: 'ci' is the small subset the vitest file runs, 'full' the table.
 */
import type { Tensor } from '../../src/kernel/core/tensor.ts';
import { DET_MODEL, detectPages, judgeBoxes, loadPages } from './ocr-det.ts';
import { judgeLines, loadLines, readLines, REC_MODEL } from './ocr-rec.ts';
import { openSession, type CorpusBackend } from './runner.ts';
import { judgeSegments, loadVadWindows, streamProbabilities, VAD_MODEL } from './vad.ts';
import { firedClips, judgeFiring, loadClips, openStages, WAKE_STAGES, type ClipTrace, type WakeStage } from './wakeword.ts';
import { mnistCases } from './mnist.ts';

export type Size = 'ci' | 'full';

/** A task outcome: does the application still do its job, and the numbers that say so. */
export interface TaskOutcome {
  survives: boolean;
  metrics: string;
}

export interface CorpusCase {
  /** Row label: the model (and the stage or twist). */
  name: string;
  /** File given to `parity run --model`. */
  model: string;
  /** The fp32 ONNX file the judges run when `model` is a manifest. Default `model`. */
  onnx?: string;
  /** Arrays written to the `--data` NPZ (keyed by input name); undefined = the manifest's own data. */
  data(): Promise<Record<string, Tensor> | undefined>;
  /** Declared output roles, each a `--task` value. */
  task: string[];
  /** Extra `parity run` arguments. */
  args?: string[];
  /** Task outcome of `file` (fp32 or a variant) on `backend`, against fp32 on ort-node/cpu. */
  judge(file: string, backend: CorpusBackend): Promise<TaskOutcome>;
  /** When the tool is expected to fail the whole run (garbage in): what makes the reference implausible. */
  implausible?: () => Promise<string>;
  /** A limitation of how the tool sees this model (shown under the table). */
  note?: string;
}

export function f32(dims: number[], data: Float32Array): Tensor {
  return { dtype: 'float32', dims, data };
}

function stack(rows: readonly Float32Array[], shape: number[]): Tensor {
  const per = rows[0]!.length;
  const data = new Float32Array(rows.length * per);
  rows.forEach((r, i) => data.set(r, i * per));
  return f32([rows.length, ...shape], data);
}

/** Up to `n` items picked evenly (deterministic). */
function spread<T>(items: readonly T[], n: number): T[] {
  if (items.length <= n) return [...items];
  return Array.from({ length: n }, (_, i) => items[Math.floor((i * items.length) / n)]!);
}

/** Memoizes an async value (the fp32 reference outcome is computed once per case). */
function once<T>(make: () => Promise<T>): () => Promise<T> {
  let p: Promise<T> | undefined;
  return () => (p ??= make());
}

function ocrRecognizer(size: Size): CorpusCase {
  const lines = loadLines(size === 'ci' ? 8 : 16);
  const ref = once(async () => readLines(await openSession(REC_MODEL, 'ort-node/cpu'), lines));
  return {
    name: 'PP-OCRv4 rec',
    model: REC_MODEL,
    data: async () => ({ x: f32([lines.names.length, 3, 48, lines.width], lines.data) }),
    task: ['softmax_11.tmp_0=ctc:blank=0'],
    judge: async (file, backend) => judgeLines(await ref(), await readLines(await openSession(file, backend), lines), lines.truth),
  };
}

function ocrDetector(size: Size): CorpusCase {
  const pages = loadPages(size === 'ci' ? ['page1.pgm'] : undefined);
  const ref = once(async () => detectPages(await openSession(DET_MODEL, 'ort-node/cpu'), pages));
  return {
    name: 'PP-OCRv4 det',
    model: DET_MODEL,
    data: async () => ({ x: f32([...pages.dims], pages.data) }),
    task: ['sigmoid_0.tmp_0=score-map:threshold=0.3'],
    judge: async (file, backend) => judgeBoxes(await ref(), await detectPages(await openSession(file, backend), pages)),
  };
}

function wakeWord(size: Size): CorpusCase[] {
  const all = loadClips();
  const clips = size === 'ci' ? [...all.filter((c) => c.positive).slice(0, 4), ...all.filter((c) => !c.positive).slice(0, 4)] : all;
  const ref = once(async () => firedClips(await openStages('ort-node/cpu'), clips));
  const samples = size === 'ci' ? 48 : 160;
  const stage = (name: WakeStage, task: string[], data: (t: ClipTrace[]) => Record<string, Tensor>): CorpusCase => ({
    name: `openWakeWord ${name}`,
    model: WAKE_STAGES[name],
    data: async () => data((await ref()).traces),
    task,
    judge: async (file, backend) => {
      const r = await ref();
      const v = await firedClips(await openStages(backend, { stage: name, file }), clips, r.traces, name);
      return judgeFiring(r.fired, v.fired, clips);
    },
  });
  const chunks = (t: ClipTrace[]) =>
    spread(
      t.flatMap((c) => c.chunks.slice(1)),
      samples,
    ); // 1760-sample chunks (the first is shorter)
  return [
    stage('melspectrogram', [], (t) => ({ input: stack(chunks(t), [1760]) })),
    stage('embedding', ['conv2d_19=embedding'], (t) => ({
      input_1: stack(
        spread(
          t.flatMap((c) => c.melWindows),
          samples,
        ),
        [76, 32, 1],
      ),
    })),
    stage('hey_jarvis', ['53=binary:threshold=0.5'], (t) => ({
      'x.1': stack(
        t.flatMap((c) => c.embeddingWindows),
        [16, 96],
      ),
    })),
  ];
}

function sileroVad(size: Size): CorpusCase {
  const clips = loadVadWindows(size === 'ci' ? ['vad1.wav'] : undefined);
  const ref = once(async () => streamProbabilities(await openSession(VAD_MODEL, 'ort-node/cpu'), clips));
  return {
    name: 'Silero VAD v4',
    model: VAD_MODEL,
    data: async () => ({
      input: stack(spread(clips.flat(), size === 'ci' ? 64 : 256), [512]),
      sr: { dtype: 'int64', dims: [], data: BigInt64Array.from([16000n]) },
      h: f32([2, 1, 64], new Float32Array(128)),
      c: f32([2, 1, 64], new Float32Array(128)),
    }),
    task: ['output=binary:threshold=0.5'],
    judge: async (file, backend) => judgeSegments(await ref(), await streamProbabilities(await openSession(file, backend), clips)),
    note: 'the tool feeds each window with a zero LSTM state (a state input is one value for every sample); the task judge streams the state',
  };
}

/** Every case, in table order. */
export function corpus(size: Size): CorpusCase[] {
  return [ocrRecognizer(size), ocrDetector(size), ...wakeWord(size), sileroVad(size), ...mnistCases(size)];
}
