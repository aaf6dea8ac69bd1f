/**
 * infer-parity/capture against the real runtimes: a wrapped onnxruntime-node session and a
 * wrapped TF.js model log one line per sampled request, in the format `parity replay` reads
 * (round-tripped through its parser); sampling, env tags, and the callback, fetch and file sinks.
 */
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { callbackSink, createCapture, fetchSink, type CaptureRecord } from '../src/tools/capture/index.ts';
import { nodeFileSink } from '../src/node/capture/node-file-sink.ts';
import { parseLog } from '../src/tools/replay/read-log.ts';

const MODEL = new URL('../models/penguins/model.onnx', import.meta.url).pathname;
const feeds = (k: number) => ({
  features: new ort.Tensor(
    'float32',
    Float32Array.from({ length: 10 }, (_, i) => Math.sin(i + k)),
    [1, 10],
  ),
});

describe('capture', () => {
  it('wraps an onnxruntime-node session: one replayable line per request, with env tags', async () => {
    const session = await ort.InferenceSession.create(MODEL);
    const got: CaptureRecord[] = [];
    const capture = createCapture({
      sink: (r) => void got.push(r),
      env: { app: '4.2.0', modelVersion: 'v7', client: 'node-test' },
      libraries: { ort },
      batchSize: 2,
    });
    const wrapped = capture.wrapSession(session, () => ({ raw: { island: 'Dream' } }));
    const results = [];
    for (let k = 0; k < 5; k++) results.push(await wrapped.run(feeds(k)));
    await capture.close();
    expect(got).toHaveLength(5);
    expect(capture.stats).toMatchObject({ seen: 5, sampled: 5, written: 5, errors: 0 });
    expect(got[0]!.env).toMatchObject({
      app: '4.2.0',
      modelVersion: 'v7',
      client: 'node-test',
      node: process.versions.node,
      onnxruntime: ort.env.versions.common,
    });
    expect(got[3]!.features).toEqual(Array.from(feeds(3).features.data));
    expect(got[3]!.outputs.probs).toEqual(Array.from(results[3]!.probs!.data as Float32Array));
    expect(got[3]!.raw).toEqual({ island: 'Dream' });
    expect(wrapped.inputNames).toEqual(session.inputNames);
    const parsed = parseLog(got.map((r) => JSON.stringify(r)).join('\n'));
    expect(parsed.problems).toEqual([]);
    expect(parsed.entries.map((e) => e.id)).toEqual(['req-1', 'req-2', 'req-3', 'req-4', 'req-5']);
    await session.release();
  });

  it('samples at the given rate', () => {
    let s = 1;
    const random = () => (s = (s * 48271) % 2147483647) / 2147483647;
    const lines: string[] = [];
    const capture = createCapture({ sink: callbackSink((_r, l) => void lines.push(l)), sampleRate: 0.25, random, hostTags: false });
    let ids = 0;
    for (let i = 0; i < 2000; i++) if (capture.record({ outputs: { y: [i] } })) ids++;
    expect(capture.stats.seen).toBe(2000);
    expect(ids).toBe(capture.stats.sampled);
    expect(ids / 2000).toBeGreaterThan(0.22);
    expect(ids / 2000).toBeLessThan(0.28);
    expect(() => createCapture({ sink: () => {}, sampleRate: 1.5 })).toThrow(/sampleRate 1.5 must be between 0 and 1/);
  });

  it('wraps a TF.js model and tags its backend', async () => {
    await tf.setBackend('cpu');
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 3, inputShape: [4], activation: 'softmax' })] });
    const got: CaptureRecord[] = [];
    const capture = createCapture({ sink: (r) => void got.push(r), libraries: { tf }, hostTags: false });
    const wrapped = capture.wrapModel(model);
    const x = tf.tensor2d([[1, 2, 3, 4]]);
    const y = wrapped.predict(x) as tf.Tensor;
    await capture.flush();
    expect(got).toHaveLength(1);
    expect(got[0]!.env).toEqual({ tfjs: tf.version_core, backend: 'tfjs/cpu' });
    expect(got[0]!.features).toEqual([1, 2, 3, 4]);
    expect(got[0]!.outputs.output).toEqual(Array.from(y.dataSync()));
    tf.dispose([x, y]);
    model.dispose();
  });

  it('posts NDJSON with the fetch sink and appends lines with the file sink', async () => {
    const bodies: string[] = [];
    const server = createServer((req, res) => {
      let b = '';
      req.on('data', (c: Buffer) => (b += c.toString()));
      req.on('end', () => {
        bodies.push(`${req.headers['content-type']}\n${b}`);
        res.end('ok');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const post = createCapture({ sink: fetchSink(`http://127.0.0.1:${port}/log`), hostTags: false, batchSize: 10 });
    for (let i = 0; i < 3; i++) post.record({ outputs: { y: [i, NaN] }, label: 'a' });
    await post.close();
    server.close();
    expect(bodies).toHaveLength(1);
    const [type, ...lines] = bodies[0]!.trim().split('\n');
    expect(type).toBe('application/x-ndjson');
    expect(lines.map((l) => (JSON.parse(l) as CaptureRecord).outputs.y)).toEqual([
      [0, null],
      [1, null],
      [2, null],
    ]);
    const file = join(mkdtempSync(join(tmpdir(), 'capture-')), 'sub', 'log.jsonl');
    const cap = createCapture({ sink: nodeFileSink(file), hostTags: false });
    cap.record({ id: 'a', outputs: { y: [1] }, time: '2026-11-30T08:00:00Z' });
    await cap.flush();
    cap.record({ id: 'b', outputs: { y: [2] }, time: '2026-11-30T08:00:01Z' });
    await cap.close();
    const parsed = parseLog(readFileSync(file, 'utf8'));
    expect(parsed.entries.map((e) => [e.id, e.time, e.outputs.y])).toEqual([
      ['a', '2026-11-30T08:00:00Z', [1]],
      ['b', '2026-11-30T08:00:01Z', [2]],
    ]);
  });

  it('base64 encoding writes {"f32"} values that replay decodes to the same float32 numbers', async () => {
    const lines: string[] = [];
    const capture = createCapture({ sink: callbackSink((_r, l) => void lines.push(l)), encoding: 'base64', hostTags: false });
    const x = Float32Array.from([0.1, -2.5, 1e-8, 3.4e38]);
    capture.record({ id: 'r', features: x, outputs: { probs: Float32Array.from([0.25, 0.75]), ints: [1, 2] }, raw: { a: 1 }, label: 'B' });
    await capture.close();
    expect(lines[0]).toMatch(
      /^\{"id":"r","time":"[^"]+","env":\{\},"raw":\{"a":1\},"features":\{"f32":"[A-Za-z0-9+/=]+"\},"outputs":\{"probs":\{"f32":"[^"]+"\},"ints":\[1,2\]\},"label":"B"\}$/,
    );
    const parsed = parseLog(lines.join('\n'));
    expect(parsed.problems).toEqual([]);
    expect(parsed.entries[0]!.features).toEqual(Array.from(x));
    expect(parsed.entries[0]!.outputs).toEqual({ probs: [0.25, 0.75], ints: [1, 2] });
  });

  it('a failing sink is counted, not thrown into the request path', async () => {
    const capture = createCapture({
      sink: {
        write: () => {
          throw new Error('disk full');
        },
      },
      hostTags: false,
    });
    capture.record({ outputs: { y: [1] } });
    await capture.flush();
    expect(capture.stats).toMatchObject({ errors: 1, lastError: 'disk full', written: 0 });
  });
});
