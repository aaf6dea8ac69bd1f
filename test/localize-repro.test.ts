/**
 * `parity localize --repro DIR`: the top culprit alone (repro.onnx + repro-data.json) with
 * repro.mjs and repro.html. The written repro.mjs is run in a child Node process on
 * onnxruntime-node and on onnxruntime-web (wasm EP in Node), and repro.html in headless Chromium;
 * each must print the divergence localize measured. A healthy variant writes nothing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openBrowser } from '../src/node/browser/launch.ts';
import { decodeTensor } from '../src/kernel/core/tensor-codec.ts';
import { parseLocalizeJson } from '../src/tools/localize/json.ts';
import { decodeModel, encodeModel } from '../src/kernel/onnx/io.ts';
import { parity } from './helpers/cli.ts';
import { convNet, naiveFp16 } from './fixtures/localize/conv-models.ts';
import { mlpModel } from './fixtures/localize/models.ts';

let dir: string;
let cli: ReturnType<typeof parity>;
const repro = () => join(dir, 'repro');

/** Runs the written repro.mjs from the project root (where onnxruntime-node/-web are installed). */
function node(...args: string[]) {
  const r = spawnSync(process.execPath, [join(repro(), 'repro.mjs'), ...args], { cwd: process.cwd(), encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const sqnrOf = (text: string) => Number(/max \|Δ\| ([-\d.e+]+), SQNR (-?[\d.]+) dB vs the fp32 reference/.exec(text)?.[2]);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'parity-repro-'));
  const ref = convNet({ bn1Variance: 1e7 });
  writeFileSync(join(dir, 'net.onnx'), encodeModel(ref));
  writeFileSync(join(dir, 'net.fp16.onnx'), naiveFp16(ref));
  writeFileSync(join(dir, 'mlp.onnx'), mlpModel());
  cli = parity([
    'localize',
    '--model',
    join(dir, 'net.onnx'),
    '--variant',
    join(dir, 'net.fp16.onnx'),
    '--samples',
    '2',
    '--out',
    join(dir, 'out'),
    '--repro',
    repro(),
  ]);
});

describe('parity localize --repro', () => {
  it('exits 1, names the culprit and writes the repro folder', () => {
    expect(cli.stderr).not.toMatch(/internal error/);
    expect(cli.code).toBe(1);
    expect(cli.stdout).toMatch(/culprit: 'bn1' \(BatchNormalization\)/);
    expect(cli.stderr).toMatch(/repro of 'bn1' \(BatchNormalization\) in .*repro\.onnx, repro-data\.json, repro\.mjs, repro\.html/);
    for (const f of ['repro.onnx', 'repro-data.json', 'repro.mjs', 'repro.html', 'package.json', 'README.md']) expect(existsSync(join(repro(), f))).toBe(true);
  });

  it('holds the node alone in float16 with the reference inputs and the fp32 expected output', () => {
    const model = decodeModel(readFileSync(join(repro(), 'repro.onnx')));
    expect(model.graph!.node.map((n) => n.opType)).toContain('BatchNormalization');
    expect(model.graph!.node.length).toBeLessThanOrEqual(3);
    const data = JSON.parse(readFileSync(join(repro(), 'repro-data.json'), 'utf8')) as {
      node: string;
      output: string;
      samples: { inputs: Record<string, never>; expected: never }[];
    };
    expect(data.node).toBe('bn1');
    expect(data.samples).toHaveLength(2);
    const [name, input] = Object.entries(data.samples[0]!.inputs)[0]!;
    expect(name).toBe('c1');
    expect(decodeTensor(input).dtype).toBe('float16');
    expect(decodeTensor(data.samples[0]!.expected)).toMatchObject({ dtype: 'float32', dims: [1, 8, 16, 16] });
  });

  it('repro.mjs reproduces the divergence on onnxruntime-node, as localize measured it alone', () => {
    const report = parseLocalizeJson(readFileSync(join(dir, 'out', 'localize.json'), 'utf8'));
    const r = node();
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/runtime: onnxruntime-node \(cpu, optimization all\)/);
    expect(r.out).toMatch(/repro: 'bn1' \(BatchNormalization\) alone, 2 sample\(s\), 4096 elements of b1/);
    expect(sqnrOf(r.out)).toBeCloseTo(report.culprits[0]!.isolatedSqnrDb!, 1);
    expect(sqnrOf(r.out)).toBeLessThan(0);
  });

  it('repro.mjs web runs it on onnxruntime-web (wasm EP in Node) with the same divergence', () => {
    const r = node('web');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/runtime: onnxruntime-web \(wasm/);
    expect(sqnrOf(r.out)).toBeLessThan(0);
  });

  it('repro.html loads onnxruntime-web through an import map next to it and prints the same numbers', () => {
    const html = readFileSync(join(repro(), 'repro.html'), 'utf8');
    expect(html).toContain('"onnxruntime-web": "./node_modules/onnxruntime-web/dist/ort.all.min.mjs"');
    expect(html).toMatch(/fetch\('repro\.onnx'\)/);
    expect(html).toContain('function measure(');
    expect(readFileSync(join(repro(), 'repro.mjs'), 'utf8')).toContain('function measure(');
  });

  it('repro.html runs in headless Chromium (onnxruntime-web wasm) and prints the divergence', async () => {
    const browser = await openBrowser();
    try {
      const page = await browser.newPage();
      // A static server for the folder, with onnxruntime-web where `npm install` would put it.
      await page.route('http://repro.test/**', async (route) => {
        const path = new URL(route.request().url()).pathname;
        const file = path.startsWith('/node_modules/') ? join(process.cwd(), path) : join(repro(), path);
        const type = file.endsWith('.wasm')
          ? 'application/wasm'
          : file.endsWith('.mjs')
            ? 'text/javascript'
            : file.endsWith('.html')
              ? 'text/html'
              : 'application/octet-stream';
        await route.fulfill(existsSync(file) ? { body: readFileSync(file), contentType: type } : { status: 404 });
      });
      await page.goto('http://repro.test/repro.html?ep=wasm');
      await page.waitForFunction(() => 'reproResult' in window, undefined, { timeout: 90_000 });
      const text = await page.locator('#out').innerText();
      expect(text).toMatch(/runtime: onnxruntime-web [\d.]+ \(wasm, optimization all\)/);
      expect(sqnrOf(text)).toBeLessThan(0);
    } finally {
      await browser.close();
    }
  });

  it('writes nothing for a healthy target (no culprit), exit 0', () => {
    const out = join(dir, 'healthy-repro');
    const r = parity(['localize', '--model', join(dir, 'mlp.onnx'), '--out', join(dir, 'same'), '--no-unmarked', '--repro', out]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/--repro: nothing written, no node creates error beyond/);
    expect(existsSync(out)).toBe(false);
  });
});
