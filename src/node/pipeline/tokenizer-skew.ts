/**
 * `parity skew --pipeline tokenizer.json --data texts.csv [--serving other.json] [--model M]`: raw texts
 * through the offline reference (native Rust tokenizers) and the serving tokenizer (Tokenizers.js),
 * compared id by id with named causes (src/tools/pipeline/skew/tokenizer-skew.ts). The decisions a
 * cause flips come from running the model on onnxruntime-node: `--model`, or by default the
 * parity-model.json beside the tokenizer.json (as the bundled text encoder ships). Node only.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import * as ort from 'onnxruntime-node';
import { ParityError } from '../../kernel/core/errors.ts';
import type { ModelManifest } from '../../kernel/core/manifest.ts';
import { compareTokenizers } from '../../tools/pipeline/skew/tokenizer-skew.ts';
import { tokenizerSkewToMarkdown } from '../../tools/pipeline/skew/tokenizer-render.ts';
import type { TokenizerSkewReport } from '../../tools/pipeline/skew/tokenizer-types.ts';
import type { TokenizedText } from '../../tools/pipeline/tokenizer/frame.ts';
import { jsTokenizer, textFeeds } from '../../tools/pipeline/tokenizer/js-tokenizer.ts';
import { isTokenizerJson, parseTokenizerJson, type TokenizerJson } from '../../tools/pipeline/tokenizer/tokenizer-json.ts';
import { nativeTokenizer } from './native-tokenizer.ts';
import { readCsvFile, writeReportFiles } from './node-io.ts';

export interface TokenizerSkewFileOptions {
  /** The training tokenizer.json (run by the native binding). */
  pipeline: string;
  /** CSV with a header and a text column. */
  data: string;
  /** The serving tokenizer.json (run by Tokenizers.js). Default: the same file as `pipeline`. */
  serving?: string;
  /** Text column. Default: the tokenizer.json's `text_column`, else `text`. */
  column?: string;
  /** Model whose decisions are counted (parity-model.json or .onnx). Default: a parity-model.json beside `pipeline`, if any. */
  model?: string;
  /** Default 0. */
  maxMismatchRate?: number;
  /** Write skew.json and skew.md here. Default: nothing written. */
  out?: string;
}

/** True when the file is a Hugging Face tokenizer.json (routes `parity skew`). */
export function isTokenizerFile(path: string): boolean {
  if (!existsSync(path)) return false;
  try {
    return isTokenizerJson(JSON.parse(readFileSync(path, 'utf8')));
  } catch {
    return false;
  }
}

function readTokenizer(path: string): TokenizerJson {
  if (!existsSync(path)) throw new ParityError('FILE_NOT_FOUND', `tokenizer '${path}' does not exist`);
  return parseTokenizerJson(readFileSync(path, 'utf8'), basename(path));
}

/** The ONNX file and classifier output of `--model` (or the manifest beside the tokenizer). */
function modelFor(o: TokenizerSkewFileOptions): { onnx: string; output?: string; name: string } | undefined {
  const path = o.model ? resolve(o.model) : join(dirname(resolve(o.pipeline)), 'parity-model.json');
  if (!existsSync(path)) {
    if (o.model) throw new ParityError('FILE_NOT_FOUND', `model '${o.model}' does not exist`);
    return undefined;
  }
  if (!path.endsWith('.json')) return { onnx: path, name: basename(path) };
  const m = JSON.parse(readFileSync(path, 'utf8')) as ModelManifest;
  if (!m.onnx) throw new ParityError('MODEL_INVALID', `${path}: skew runs the ONNX twin, and this manifest has no 'onnx'`);
  return { onnx: resolve(dirname(path), m.onnx), name: m.name, ...(m.classifierOutput ? { output: m.classifierOutput } : {}) };
}

async function decider(m: { onnx: string; output?: string; name: string }, padId: number) {
  const session = await ort.InferenceSession.create(m.onnx, { logSeverityLevel: 3 });
  const meta = session.inputMetadata.find((i) => i.name === 'input_ids');
  const len = meta && meta.isTensor ? Number(meta.shape[1]) : NaN;
  if (!Number.isInteger(len) || !session.inputNames.includes('attention_mask')) {
    throw new ParityError(
      'MODEL_UNSUPPORTED',
      `${m.name}: skew feeds 'input_ids' and 'attention_mask' [batch, length]; the model takes ${session.inputNames.join(', ')}`,
    );
  }
  const output = m.output ?? session.outputNames[0]!;
  return {
    model: m.name,
    async run(batch: readonly TokenizedText[]): Promise<number[]> {
      const out: number[] = [];
      for (let s = 0; s < batch.length; s += 64) {
        const chunk = batch.slice(s, s + 64);
        const { ids, mask } = textFeeds(chunk, len, padId);
        const res = await session.run({
          input_ids: new ort.Tensor('int64', ids, [chunk.length, len]),
          attention_mask: new ort.Tensor('int64', mask, [chunk.length, len]),
        });
        const p = res[output]!;
        const k = Number(p.dims[1]);
        const v = p.data as Float32Array;
        for (let r = 0; r < chunk.length; r++) {
          let best = 0;
          for (let c = 1; c < k; c++) if (v[r * k + c]! > v[r * k + best]!) best = c;
          out.push(best);
        }
      }
      return out;
    },
  };
}

export async function diagnoseTokenizerSkew(o: TokenizerSkewFileOptions): Promise<{ report: TokenizerSkewReport; json: string; files?: string[] }> {
  const refJson = readTokenizer(o.pipeline);
  const candJson = o.serving ? readTokenizer(o.serving) : refJson;
  const column = o.column ?? refJson.text_column ?? 'text';
  const table = readCsvFile(o.data);
  if (!table.columns.includes(column)) {
    throw new ParityError(
      'INPUT_DATA',
      `${basename(o.data)} has no column '${column}' (columns: ${table.columns.join(', ')}); name the text column with --column`,
    );
  }
  const texts = table.rows.map((r) => (r[column] === null || r[column] === undefined ? '' : String(r[column])));
  const model = modelFor(o);
  const report = await compareTokenizers({
    texts,
    reference: nativeTokenizer(refJson, basename(o.pipeline)),
    candidate: jsTokenizer(candJson, basename(o.serving ?? o.pipeline)),
    makeCandidate: (j) => jsTokenizer(j),
    mode: o.serving ? 'pipelines' : 'offline-vs-serving',
    textColumn: column,
    ...(model ? { decide: await decider(model, refJson.padding?.pad_id ?? 0) } : {}),
    ...(o.maxMismatchRate !== undefined ? { maxMismatchRate: o.maxMismatchRate } : {}),
  });
  const json = JSON.stringify(report, null, 2) + '\n';
  if (!o.out) return { report, json };
  return { report, json, files: writeReportFiles(resolve(o.out), { 'skew.json': json, 'skew.md': tokenizerSkewToMarkdown(report) }) };
}
