/**
 * The bad-input corpus (issue 13): inputs a new user could give, one case per class of mistake.
 * Each must exit 2 with a typed one-line error that names what was wrong, print no stack, and
 * create or change no file. The cases run through the real CLI `main` in one child process
 * (test/helpers/cli-batch.ts); one also goes through bin/parity.js, to prove the real entry point.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeFailure } from '../src/node/cli/failure.ts';
import { ParityError } from '../src/kernel/core/errors.ts';
import { parseJsonArrays } from '../src/node/data/load-data-file.ts';
import { parity } from './helpers/cli.ts';
import { diffSnapshots, parityBatch, snapshot, type BatchResult } from './helpers/cli-batch.ts';
import { buildBadInputFixtures } from './helpers/bad-input-fixtures.ts';
import { buildSparseGraphFixtures } from './fixtures/tfjs-graph/bad-inputs.ts';

const { root, at, tiny, ints, records } = buildBadInputFixtures();
const sparse = buildSparseGraphFixtures(at);
const fast = ['--backends', 'ort-node/cpu', '--variants', 'fp32', '--samples', '2'];
const out = at('out');

interface Case {
  name: string;
  args: string[];
  code: string;
  message: RegExp;
  /** The run got as far as recording: a complete report in `out` is allowed, a partial one is not. */
  writesReport?: boolean;
}

/** class → cases. Every class of issue 13 plus the bad inputs cli-run.test.ts already had. */
const CORPUS: Record<string, Case[]> = {
  'existing: model and flags': [
    { name: 'missing model file', args: ['run', '--model', at('nope.onnx'), '--out', out], code: 'FILE_NOT_FOUND', message: /nope\.onnx/ },
    { name: 'truncated ONNX', args: ['run', '--model', at('cut.onnx'), '--out', out], code: 'MODEL_INVALID', message: /cut\.onnx/ },
    { name: 'not ONNX at all', args: ['run', '--model', at('text.onnx'), '--out', out], code: 'MODEL_INVALID', message: /not an ONNX model/i },
    {
      name: 'unknown backend',
      args: ['run', '--model', tiny, '--backends', 'ort-node/cpu,tfjs/wsam', '--out', out],
      code: 'BACKEND_UNKNOWN',
      message: /did you mean 'tfjs\/wasm'/,
    },
    {
      name: 'config typo',
      args: ['run', '--model', tiny, '--config', at('typo.json'), '--out', out],
      code: 'CONFIG_INVALID',
      message: /'sampels' — did you mean 'samples'/,
    },
    { name: 'malformed --shape', args: ['run', '--model', tiny, '--shape', 'x=1,four', '--out', out], code: 'USAGE', message: /--shape 'x=1,four'/ },
    // The reference ran (and failed), so this one writes a whole report: every later case finds
    // `out` holding an earlier report, which it must leave byte-identical.
    {
      name: 'model fails on synthesized inputs',
      args: ['run', '--model', at('audio.onnx'), ...fast, '--out', out],
      code: 'INPUT_SYNTHESIS',
      message: /--shape audio=1,<sequence>/,
      writesReport: true,
    },
    {
      name: 'data dims do not match',
      args: ['run', '--model', tiny, ...fast, '--data', at('dims.json'), '--out', out],
      code: 'INPUT_DATA',
      message: /dims \[1,3\]; the model expects \[batch,4\]/,
    },
    {
      name: 'manifest whose onnx is not a file name',
      args: ['run', '--model', at('numman', 'parity-model.json'), '--out', out],
      code: 'MODEL_INVALID',
      message: /'onnx' must be a file name \(a non-empty string\), got 5/,
    },
    {
      name: 'manifest that is not JSON',
      args: ['run', '--model', at('badman', 'parity-model.json'), '--out', out],
      code: 'MODEL_INVALID',
      message: /parity-model\.json is not valid JSON/,
    },
  ],
  'stack traces: NPY claims 10^12 elements': [
    {
      name: 'NPY header claims 10^12 elements',
      args: ['run', '--model', tiny, ...fast, '--data', at('huge.npy'), '--out', out],
      code: 'INPUT_DATA',
      message: /huge\.npy: \.npy header claims shape \(1000000, 1000000\).*holds 16 after the header/,
    },
    {
      name: 'NPY body shorter than its shape',
      args: ['run', '--model', tiny, ...fast, '--data', at('short.npy'), '--out', out],
      code: 'INPUT_DATA',
      message: /short\.npy: .*32 bytes, but the file holds 12/,
    },
  ],
  'stack traces: --out names a file': [
    {
      name: 'run --out an existing file',
      args: ['run', '--model', tiny, ...fast, '--out', at('a-file')],
      code: 'USAGE',
      message: /--out .*a-file is a file; expected a folder/,
    },
    {
      name: 'quantize --out under a file',
      args: ['quantize', tiny, '--to', 'fp16', '--out', at('a-file', 'tiny.fp16.onnx')],
      code: 'USAGE',
      message: /a-file' is a file, so nothing can be created inside it/,
    },
    {
      name: 'quantize --out an existing folder',
      args: ['quantize', tiny, '--to', 'fp16', '--out', at('folder')],
      code: 'USAGE',
      message: /--out .*folder is a folder; expected the path of a file/,
    },
    {
      name: 'TF.js quantize --out under a file',
      args: ['quantize', at('tfjs-trailing', 'model.json'), '--to', 'uint8', '--out', at('a-file', 'model.json')],
      code: 'USAGE',
      message: /a-file' is a file/,
    },
  ],
  'stack traces: fitted pipeline without inputs': [
    {
      name: 'pipeline transform',
      args: ['pipeline', 'transform', '--pipeline', at('no-inputs.fitted.json'), '--data', records, '--out', at('features.csv')],
      code: 'CONFIG_INVALID',
      message: /'inputs' is missing/,
    },
    {
      name: 'drift',
      args: ['drift', '--pipeline', at('no-inputs.fitted.json'), '--reference', records, '--current', records, '--out', at('drift')],
      code: 'CONFIG_INVALID',
      message: /'inputs' is missing/,
    },
  ],
  'reads outside the model folder': [
    {
      name: 'TF.js weight path ../../etc/hostname',
      args: ['run', '--model', at('tfjs-escape', 'model.json'), '--backends', 'tfjs/cpu', '--variants', 'fp32', '--out', out],
      code: 'MODEL_UNSUPPORTED',
      message: /etc\/hostname', which points outside the model folder/,
    },
    {
      name: 'TF.js absolute weight path',
      args: ['run', '--model', at('tfjs-absolute', 'model.json'), '--backends', 'tfjs/cpu', '--out', out],
      code: 'MODEL_UNSUPPORTED',
      message: /'\/etc\/hostname', which is an absolute path/,
    },
    {
      name: 'TF.js shard symlinked out of the folder',
      args: ['run', '--model', at('tfjs-link', 'model.json'), '--backends', 'tfjs/cpu', '--out', out],
      code: 'MODEL_UNSUPPORTED',
      message: /'\.\/shard\.bin', which is a link to .*outside\.bin, outside the model folder/,
    },
    {
      name: 'TF.js quantize of an escaping model',
      args: ['quantize', at('tfjs-escape', 'model.json'), '--to', 'uint8', '--out', at('q', 'model.json')],
      code: 'MODEL_UNSUPPORTED',
      message: /points outside the model folder/,
    },
    {
      name: 'ONNX external data ../',
      args: ['run', '--model', at('ext-escape', 'model.onnx'), ...fast, '--out', out],
      code: 'MODEL_UNSUPPORTED',
      message: /tensor 'w' stores its data in '\.\.\/\.\.\/outside\.bin', which points outside/,
    },
    {
      name: 'ONNX external data symlinked out',
      args: ['inspect', at('ext-link', 'model.onnx')],
      code: 'MODEL_UNSUPPORTED',
      message: /'w\.bin', which is a link to/,
    },
  ],
  'silent acceptance': [
    {
      name: 'int64 input fed 1.5 in JSON',
      args: ['run', '--model', ints, ...fast, '--data', at('frac.json'), '--out', out],
      code: 'INPUT_DATA',
      message: /frac\.json: input 'ids' \(int64\), element 1: int64 needs whole numbers, got 1\.5/,
    },
    {
      name: 'int64 input --value 1.5',
      args: ['run', '--model', ints, ...fast, '--value', 'ids=1.5', '--out', out],
      code: 'USAGE',
      message: /--value ids=1\.5: input 'ids' is int64: int64 needs whole numbers, got 1\.5/,
    },
    {
      name: 'int64 --range with no whole number',
      args: ['run', '--model', ints, ...fast, '--range', 'ids=0.2,0.8', '--out', out],
      code: 'USAGE',
      message: /range holds no whole number/,
    },
    {
      name: 'JSON dims that disagree with the data',
      args: ['run', '--model', ints, ...fast, '--data', at('wide.json'), '--out', out],
      code: 'INPUT_DATA',
      message: /'ids' has dims \[2,3\] \(6 values\) but its data holds 3/,
    },
    {
      name: 'TF.js shard with 400 trailing bytes',
      args: ['run', '--model', at('tfjs-trailing', 'model.json'), '--backends', 'tfjs/cpu', '--out', out],
      code: 'MODEL_INVALID',
      message: /shard '\.\/weights\.bin' has 400 bytes past the end of the last weight \('probs\/bias'\)/,
    },
    {
      name: '--samples far beyond memory',
      args: ['run', '--model', tiny, '--backends', 'ort-node/cpu', '--variants', 'fp32', '--samples', '99999999999', '--out', out],
      code: 'USAGE',
      message: /99999999999 samples of x \[1,4\] would need 1490\.1 GiB of inputs/,
    },
    {
      name: '--shape x=0,4',
      args: ['run', '--model', tiny, ...fast, '--shape', 'x=0,4', '--out', out],
      code: 'USAGE',
      message: /--shape 'x=0,4': every dim must be a whole number >= 1/,
    },
    {
      name: 'JSON data with no rows',
      args: ['run', '--model', tiny, ...fast, '--data', at('empty.json'), '--out', out],
      code: 'INPUT_DATA',
      message: /input 'x' has dims \[0\], which hold no values/,
    },
    {
      name: 'NPY with zero rows',
      args: ['run', '--model', tiny, ...fast, '--data', at('zero.npy'), '--out', out],
      code: 'INPUT_DATA',
      message: /dims \[0,4\], which hold no values/,
    },
  ],
  'unhelpful messages': [
    {
      name: 'TF.js truncated shard',
      args: ['run', '--model', at('tfjs-truncated', 'model.json'), '--backends', 'tfjs/cpu', '--out', out],
      code: 'MODEL_INVALID',
      message: /weight 'probs\/kernel' \(float32 \[200,10\], 8000 bytes\).*'\.\/weights\.bin' \(9000 bytes\)/,
    },
    {
      name: 'TF.js manifest shape that does not match the shard',
      args: ['run', '--model', at('tfjs-misshaped', 'model.json'), '--backends', 'tfjs/cpu', '--out', out],
      code: 'MODEL_INVALID',
      message: /weight 'probs\/bias' \(float32 \[12\], 48 bytes\).*weights\.bin/,
    },
    {
      name: 'TF.js shard missing',
      args: ['run', '--model', at('tfjs-missing', 'model.json'), '--backends', 'tfjs/cpu', '--out', out],
      code: 'FILE_NOT_FOUND',
      message: /weight shard '\.\/group1-shard1of1\.bin' is missing/,
    },
    {
      name: 'inspect on a folder',
      args: ['inspect', at('folder')],
      code: 'USAGE',
      message: /folder' is a folder, not a model file; expected a path to an \.onnx file; it holds '.*folder\/tiny\.onnx'/,
    },
    {
      name: 'run --model on a folder',
      args: ['run', '--model', at('folder'), '--out', out],
      // A folder is a transformers.js-style variant folder since e7f9b80: it must hold model.onnx.
      code: 'MODEL_INVALID',
      message: /folder' holds no model\.onnx \(nor onnx\/model\.onnx\)/,
    },
    {
      name: 'quantize on a folder',
      args: ['quantize', at('folder'), '--to', 'fp16', '--out', at('q.onnx')],
      code: 'USAGE',
      message: /folder' is a folder, not a model file/,
    },
    {
      name: '--data on a folder',
      args: ['run', '--model', tiny, ...fast, '--data', at('data-folder'), '--out', out],
      code: 'USAGE',
      message: /data-folder' is a folder; expected a \.json, \.jsonl, \.npy or \.npz file/,
    },
  ],
  'TF.js graph models as packages ship them (issue 26)': [
    {
      name: 'sparse coordinates cannot be synthesized',
      args: ['run', '--model', sparse.model, '--backends', 'tfjs/cpu', '--variants', 'fp32', '--out', out],
      code: 'INPUT_SYNTHESIS',
      message: /input 'indices' holds sparse coordinates \(read by SparseToDense 'Encoder\/attention\/dense'\).*--data FILE/,
    },
    {
      name: 'quantize cannot check on synthesized sparse coordinates',
      args: ['quantize', sparse.model, '--to', 'float16', '--out', at('q16s', 'model.json')],
      code: 'INPUT_SYNTHESIS',
      message: /input 'indices' holds sparse coordinates .*--data FILE/,
    },
    {
      name: '--range beyond the ids the graph indexes',
      args: ['run', '--model', sparse.model, '--backends', 'tfjs/cpu', '--range', 'indices=0,0', '--range', 'values=0,5000', '--out', out],
      code: 'USAGE',
      message: /--range values=0,5000: input 'values' takes ids 0\.\.1499 \(GatherV2 'Encoder\/lookup' indexes 'Encoder\/embeddings' \[1500,32\]/,
    },
    {
      name: 'quantize a graph whose op tfjs lacks: typed, not INTERNAL',
      args: ['quantize', sparse.unknownOp, '--to', 'float16', '--data', sparse.jsonl, '--out', at('q16', 'model.json')],
      code: 'MODEL_UNSUPPORTED',
      message: /the original model does not run on subjects\.jsonl, sample 1, .*Unknown op 'TanhButNot'/,
    },
    {
      name: 'a topology that is neither a graph nor a Keras config',
      args: ['run', '--model', sparse.neither, '--backends', 'tfjs/cpu', '--out', out],
      code: 'MODEL_INVALID',
      message: /modelTopology is neither a graph \(no 'node' list\) nor a Keras layers config/,
    },
    {
      name: 'a data key of 100,000 characters is capped',
      args: ['run', '--model', tiny, ...fast, '--data', sparse.hugeKey, '--out', out],
      code: 'INPUT_DATA',
      message: /match no model input/,
    },
  ],
};

const cases = Object.entries(CORPUS).flatMap(([cls, list]) => list.map((c) => ({ ...c, cls })));
let results: BatchResult[] = [];

beforeAll(() => {
  results = parityBatch(
    cases.map((c) => ({ args: c.args })),
    { root },
  );
}, 240_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

const STACK = /\n\s+at .+[:(]/;

describe(`bad-input corpus (${cases.length} cases)`, () => {
  describe.each(Object.keys(CORPUS))('%s', (cls) => {
    it.each(cases.filter((c) => c.cls === cls).map((c) => [c.name, c] as const))('%s', (_, c) => {
      const r = results[cases.indexOf(c)]!;
      const seen = `${r.stderr}${r.stdout}`;
      expect(r.code, seen).toBe(2);
      expect(r.stderr, seen).toContain(`parity: error [${c.code}]: `);
      expect(r.stderr, seen).toMatch(c.message);
      expect(seen).not.toMatch(STACK);
      if (!c.writesReport) {
        expect(r.changed, 'files created or changed').toEqual([]);
        return;
      }
      expect(
        r.changed.every((f) => f === 'out' || f.startsWith('out/')),
        r.changed.join(', '),
      ).toBe(true);
      for (const f of ['run.json', 'report.json', 'summary.md']) expect(existsSync(join(out, f)), f).toBe(true);
      expect(readFileSync(join(out, 'records.jsonl'), 'utf8').trim().split('\n').length).toBeGreaterThan(0);
      expect(JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')).targets.length).toBeGreaterThan(0);
    });
  });
});

describe('every error line of the CLI', () => {
  it('is at most a few hundred characters over the whole corpus (messages quoting a topology or a value are capped)', () => {
    const long = results.flatMap((r, i) =>
      r.stderr
        .split('\n')
        .filter((l) => l.length > 600)
        .map((l) => `${cases[i]!.name}: ${l.length} chars`),
    );
    expect(long).toEqual([]);
    const huge = results[cases.findIndex((c) => c.name === 'a data key of 100,000 characters is capped')]!;
    expect(huge.stderr).toMatch(/… \([\d,]+ characters cut\) …k+' match no model input; inputs are 'x'/);
  });
});

/** One case through the real entry point too (each spawn costs several seconds; the batch proves the rest). */
describe('through bin/parity.js', () => {
  it.each([['NPY header claims 10^12 elements', ['run', '--model', tiny, ...fast, '--data', at('huge.npy'), '--out', out], 'INPUT_DATA']] as const)(
    '%s: exit 2, one line, nothing written',
    (_, args, code) => {
      const before = snapshot(root);
      const r = parity(args, { cwd: root });
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr.split(`parity: error [${code}]: `)).toHaveLength(2);
      expect(r.stderr + r.stdout).not.toMatch(STACK);
      expect(diffSnapshots(before, snapshot(root))).toEqual([]);
    },
  );
});

describe('values a typed array would change silently', () => {
  const specs = (dtype: 'int8' | 'bool' | 'uint8' | 'float32') => [{ name: 'v', dtype, dims: [null] }];
  const load = (dtype: 'int8' | 'bool' | 'uint8' | 'float32', v: number) => () => parseJsonArrays(JSON.stringify({ v: [v] }), specs(dtype), 'd.json');
  it.each([
    ['int8', 300, /int8 holds -128\.\.127, got 300/],
    ['uint8', -1, /uint8 holds 0\.\.255, got -1/],
    ['bool', 2, /bool holds 0\.\.1, got 2/],
    ['bool', 0.5, /bool needs whole numbers \(0 or 1\), got 0\.5/],
  ] as const)('%s fed %d is refused', (dtype, v, message) => {
    expect(load(dtype, v)).toThrow(message);
  });
  it('float16 JSON data is stored as half bits, not truncated', () => {
    const t = parseJsonArrays(JSON.stringify({ v: { dtype: 'float16', data: [0.5, -2] } }), specs('float32'), 'd.json').v!;
    expect(Array.from(t.data as Uint16Array)).toEqual([0x3800, 0xc000]);
    expect(load('float32', 1.5)).not.toThrow();
  });
});

describe('unexpected errors', () => {
  const bug = new TypeError("Cannot read properties of undefined (reading 'map')");
  it('print one [INTERNAL] line that says where the stack went, and exit 3', () => {
    const f = describeFailure(bug, ['run']);
    expect(f.exit).toBe(3);
    expect(f.text.trim().split('\n')).toHaveLength(1);
    expect(f.text).toMatch(
      /^parity: error \[INTERNAL\]: Cannot read properties of undefined \(reading 'map'\) — an internal error \(a bug in parity, not in your input\); the stack is in (\S+\.log)\n$/,
    );
    const log = /the stack is in (\S+\.log)/.exec(f.text)![1]!;
    expect(readFileSync(log, 'utf8')).toContain(bug.stack!.split('\n')[1]!.trim());
    rmSync(log);
  });
  it('print the stack with --debug or PARITY_DEBUG=1', () => {
    expect(describeFailure(bug, ['run', '--debug']).text).toMatch(STACK);
    process.env.PARITY_DEBUG = '1';
    try {
      expect(describeFailure(bug, ['run']).text).toMatch(STACK);
    } finally {
      delete process.env.PARITY_DEBUG;
    }
  });
  it('turn a file-system error about a path into a usage line', () => {
    const eexist = Object.assign(new Error("EEXIST: file already exists, mkdir '/tmp/x'"), { code: 'EEXIST', syscall: 'mkdir', path: '/tmp/x' });
    const f = describeFailure(eexist, ['run']);
    expect(f).toEqual({
      exit: 2,
      text: "parity: error [USAGE]: '/tmp/x' is a file; expected a folder (or a path where one can be created) (EEXIST from mkdir)\n",
    });
    expect(describeFailure(new ParityError('TIMEOUT', 'slow'), []).exit).toBe(3);
  });
});
