/**
 * `parity quantize MODEL --to TARGET`: writes a compressed variant of an ONNX model (fp16,
 * int8-weight, int8-dynamic, int8-static) or of a TF.js model.json (uint8, uint16, float16).
 * The result is checked on onnxruntime-node before it is written — it must load, run, and meet its
 * precision's gates against the original (SQNR, top-1 agreement; `--force` writes it anyway, exit 1
 * and nothing written otherwise) — and written atomically, so a failure never leaves a file behind.
 * A rewrite that changes nothing ("nothing to quantize: …") is an error, exit 2.
 *
 * `--keep-io-types` (the default) keeps an fp16 model's float32 inputs/outputs float32 with Casts
 * at the boundary, so it is a drop-in replacement; `--no-keep-io-types` makes them float16.
 */
import { basename, dirname, extname, join, relative, resolve } from 'node:path';
import { createNodeRegistry } from '../../runtimes/node-registry.ts';
import { ParityError, errorMessage } from '../../../kernel/core/errors.ts';
import { VARIANTS, type Precision } from '../../../kernel/core/record.ts';
import type { TensorMap } from '../../../kernel/core/tensor.ts';
import { synthesizeDataset } from '../../../kernel/data/synthesize.ts';
import { localize } from '../../../tools/localize/localize.ts';
import { takeSamples } from '../../../kernel/data/dataset.ts';
import { parseInputOverrides, type InputOverrides } from '../../../kernel/data/input-options.ts';
import { loadDataFile } from '../../data/load-data-file.ts';
import { decodeModel, encodeModel } from '../../../kernel/onnx/io.ts';
import { inspectModel } from '../../../kernel/onnx/inspect.ts';
import { inlineExternalData, readModelFile } from '../../onnx/read-file.ts';
import { writeFileAtomic } from '../../quantize/atomic-write.ts';
import { autoMixed } from '../../quantize/auto-mixed.ts';
import { checkFeedsFit } from '../../../tools/quantize/feeds-fit.ts';
import { formatQuantizeSummary } from '../../quantize/format.ts';
import { describeCheck, judgeQuality } from '../../quantize/quality.ts';
import { quantizeOnnx } from '../../quantize/quantize-onnx.ts';
import { parseMethod, parseTarget, QUANTIZE_TARGETS, type OnnxTarget, type QuantizeRecipe, type TfjsTarget } from '../../../tools/quantize/recipe.ts';
import { quantizeTfjsFile } from '../../quantize/tfjs-files.ts';
import { checkOutFile } from '../../report/out-path.ts';
import { EXIT } from '../../../kernel/core/exit-codes.ts';
import { addInputOptions } from '../shared/options.ts';
import type { RegisterCommand } from './types.ts';

interface QuantizeFlags {
  to: string;
  out?: string;
  perChannel?: boolean;
  symmetric?: boolean;
  calibration?: string;
  method?: string;
  percentile?: string;
  samples?: string;
  keepIoTypes?: boolean;
  excludeOps?: string;
  excludeNodes?: string;
  shape?: string[];
  range?: string[];
  value?: string[];
  json?: boolean;
  blockSize?: string;
  data?: string;
  force?: boolean;
  autoMixed?: boolean;
}

const list = (v: string | undefined) =>
  v
    ? v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : [];

function positive(flag: string, v: string | undefined, integer: boolean): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n)))
    throw new ParityError('USAGE', `--${flag} '${v}': expected a positive ${integer ? 'integer' : 'number'}`);
  return n;
}

async function quantizeOnnxFile(model: string, to: OnnxTarget, f: QuantizeFlags, overrides: InputOverrides, setExit: (code: number) => void): Promise<void> {
  if (f.blockSize !== undefined && to !== 'int4-weight') throw new ParityError('USAGE', `--block-size applies to --to int4-weight, not ${to}`);
  const blockSize = positive('block-size', f.blockSize, true);
  if (f.method && !f.calibration) throw new ParityError('USAGE', '--method chooses how --calibration data sets activation ranges; pass --calibration FILE too');
  const percentile = positive('percentile', f.percentile, false);
  if (percentile !== undefined && percentile > 100) throw new ParityError('USAGE', `--percentile ${percentile}: expected a value in (0, 100]`);
  if (f.out) checkOutFile(f.out);
  const file = await readModelFile(model);
  const bytes = file.external.length ? encodeModel(await inlineExternalData(file)) : file.bytes;
  const out = resolve(f.out ?? join(dirname(file.path), `${basename(file.path, extname(file.path))}.${to}.onnx`));
  if (out === file.path) throw new ParityError('USAGE', `--out ${f.out} would overwrite the input model; choose another file`);
  let calibration;
  if (f.calibration) {
    const ds = loadDataFile(resolve(f.calibration), inspectModel(bytes, model).inputs);
    const n = positive('samples', f.samples, true);
    calibration = n ? takeSamples(ds, n).samples : ds.samples;
  }
  if (f.autoMixed && to !== 'fp16' && to !== 'int8-static')
    throw new ParityError('USAGE', `--auto-mixed searches which nodes to keep in float32 for --to fp16 or int8-static; it does not apply to ${to}`);
  const data = f.data ? loadDataFile(resolve(f.data), inspectModel(bytes, model).inputs).samples : undefined;
  if (data?.length) checkFeedsFit(decodeModel(bytes, model), data[0]!, `--data ${f.data}`);
  if (to === 'int8-static' && !calibration) {
    throw new ParityError(
      'USAGE',
      'int8-static needs calibration data: pass --calibration FILE (NPZ/JSON/NPY keyed by input name), optionally --method minmax|percentile|entropy',
    );
  }
  const recipe: QuantizeRecipe = {
    to,
    perChannel: Boolean(f.perChannel),
    symmetric: Boolean(f.symmetric),
    keepIoTypes: f.keepIoTypes ?? true,
    excludeOps: list(f.excludeOps),
    excludeNodes: list(f.excludeNodes),
    ...(f.method ? { method: parseMethod(f.method) } : {}),
    ...(percentile !== undefined ? { percentile } : {}),
    ...(blockSize !== undefined ? { blockSize } : {}),
  };
  const mixed = f.autoMixed
    ? await autoMixed({ bytes, recipe, overrides, ...(calibration ? { calibration } : {}), ...((data ?? calibration) ? { samples: data ?? calibration } : {}) })
    : undefined;
  if (mixed) recipe.excludeNodes = [...(recipe.excludeNodes ?? []), ...mixed.kept];
  const r = await quantizeOnnx({
    bytes,
    name: model,
    recipe,
    overrides,
    ...(calibration ? { calibration, calibrationSource: basename(f.calibration!) } : {}),
    ...(data ? { data, dataSource: basename(f.data!) } : {}),
  });
  const quality = judgeQuality(r.validation!, to);
  if (!quality.ok && !f.force) {
    const failed = quality.checks.filter((c) => !c.ok).map((c) => `  ${describeCheck(c, quality.precision)}`);
    const samples = data ?? calibration ?? synthesizeDataset(inspectModel(bytes, model).inputs, overrides, 8, 7).samples;
    const culprit = await culpritLine(bytes, r.bytes, samples, VARIANTS[to].precision);
    process.stderr.write(
      `parity: ${r.recipe} of ${model} breaks the ${quality.precision} gates on ${r.validation!.inputs} (${r.validation!.samples ?? 1} sample(s)); nothing written.\n` +
        `  worst: ${describeCheck(quality.worst!, quality.precision)}\n${failed.join('\n')}\n${culprit}\n` +
        `  keep nodes in float32 with --exclude-nodes / --exclude-ops${to === 'fp16' ? ' (or search for them with --auto-mixed)' : ''}; --force writes it anyway\n`,
    );
    setExit(EXIT.GATE_FAILED);
    return;
  }
  if (mixed) {
    for (const l of r.report.leftAlone)
      if (mixed.kept.includes(l.node)) l.reason = `kept float32 by --auto-mixed (needed to meet the ${quality.precision} gates)`;
    const cost = mixed.mixedBytes - mixed.plainBytes;
    r.report.notes.unshift(
      mixed.kept.length
        ? `auto-mixed: ${mixed.kept.length} node(s) kept in float32 (${mixed.kept.join(', ')}), ${cost >= 0 ? '+' : ''}${cost} bytes vs plain ${to}; ${mixed.trials} trial(s) in ${(mixed.ms / 1000).toFixed(1)} s`
        : `auto-mixed: plain ${to} meets the gates, no node kept in float32 (${mixed.trials} trial)`,
    );
  }
  writeFileAtomic(out, r.bytes);
  const summary = {
    input: model,
    output: relative(process.cwd(), out),
    recipe: r.recipe,
    bytesBefore: file.bytes.length,
    bytesAfter: r.bytesAfter,
    report: r.report,
    coverage: r.coverage,
    quality,
    convertMs: r.convertMs,
    ...(r.calibration ? { calibration: r.calibration } : {}),
    ...(r.validation ? { validation: r.validation } : {}),
  };
  process.stdout.write((f.json ? JSON.stringify(summary, null, 2) : formatQuantizeSummary(summary)) + '\n');
}

/** The localize ranking's top culprit between the original and the refused variant, as one line. */
async function culpritLine(original: Uint8Array, variant: Uint8Array, feeds: readonly TensorMap[], precision: Precision): Promise<string> {
  try {
    const backend = await createNodeRegistry().get('ort-node/cpu');
    const rep = await localize({
      reference: { model: original, backend },
      target: { model: variant, backend },
      feeds: feeds.slice(0, 4),
      precision,
      checkMarking: false,
      maxCulpritIsolations: 3,
    });
    const c = rep.culprits[0];
    if (!c)
      return '  culprit: localize confirmed no single node as the cause (isolated, each node is within its noise: the error comes from rounding upstream that later nodes amplify)';
    return `  culprit: node '${c.node}' (${c.op}) drops SQNR from ${c.inputSqnrDb.toFixed(1)} to ${c.outputSqnrDb.toFixed(1)} dB${c.cause ? ` — ${c.cause.text}` : ''} (localize ranking)`;
  } catch (e) {
    return `  culprit: localize could not rank the nodes: ${errorMessage(e)}`;
  }
}

async function quantizeTfjs(model: string, to: TfjsTarget, f: QuantizeFlags, overrides: InputOverrides): Promise<void> {
  const onnxOnly = ['perChannel', 'symmetric', 'calibration', 'method', 'excludeOps', 'excludeNodes'].filter((k) => f[k as keyof QuantizeFlags] !== undefined);
  if (onnxOnly.length)
    throw new ParityError(
      'USAGE',
      `TF.js weight quantization takes no ${onnxOnly.map((k) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`).join(', ')}`,
    );
  const abs = resolve(model);
  const out = checkOutFile(f.out ?? join(`${dirname(abs)}-${to}`, 'model.json'));
  const r = await quantizeTfjsFile(abs, out, to, overrides);
  const summary = {
    input: model,
    output: relative(process.cwd(), out),
    recipe: `TF.js ${to} weight quantization (sizes are weight bytes)`,
    bytesBefore: r.report.bytesBefore,
    bytesAfter: r.report.bytesAfter,
    report: {
      quantized: { weights: r.report.quantized.length },
      leftAlone: r.report.leftAlone.map((w) => ({ node: w.name, op: 'weight', reason: w.reason })),
      notes: [`wrote ${r.written.length} file(s)`],
      clamped: r.report.clamped,
    },
    validation: { inputs: 'synthesized from the signature (seed 7)', maxAbsDiff: r.maxAbsDiff, newNonFinite: {}, ms: 0 },
    validatedOn: 'tfjs (cpu)',
  };
  process.stdout.write((f.json ? JSON.stringify(summary, null, 2) : formatQuantizeSummary(summary)) + '\n');
}

export const register: RegisterCommand = (program, setExit) => {
  const targets = Object.keys(QUANTIZE_TARGETS).join('|');
  addInputOptions(
    program
      .command('quantize')
      .description('write an fp16 / int8 variant of an ONNX model (or a uint8/uint16/float16 TF.js model), validated before it is written')
      .argument('<model>', 'an .onnx file, or a TF.js model.json')
      .requiredOption('--to <target>', `${targets} (ONNX: fp16, int8-*, int4-weight; TF.js: uint8, uint16, float16)`)
      .option('--out <file>', 'output file (default: MODEL.<target>.onnx beside the input; TF.js: <folder>-<target>/model.json)')
      .option('--per-channel', 'int8: one scale per output channel (default: per tensor)')
      .option('--symmetric', 'int8: symmetric ranges, zero point 0 (default: asymmetric)')
      .option('--calibration <file>', 'int8-static: calibration inputs, NPZ/JSON/NPY keyed by input name')
      .option('--method <method>', 'int8-static: minmax | percentile | entropy (default minmax)')
      .option('--percentile <p>', 'int8-static with --method percentile: percentile kept in range (default 99.999)')
      .option('--samples <n>', 'use the first N calibration samples (default: all)')
      .option(
        '--data <file>',
        'inputs the variant is checked on before it is written, NPZ/JSON/NPY (default: the calibration data, else 8 synthesized samples)',
      )
      .option('--force', "write the variant even when it breaks its precision's gates (SQNR, top-1 agreement)")
      .option(
        '--auto-mixed',
        'fp16, int8-static: search (bisection over node segments) for a small set of nodes to keep in float32 so the variant meets its gates on --data / --calibration / synthesized inputs',
      )
      .option('--block-size <n>', 'int4-weight: weights per block along K, 16|32|64|128|256 (default 32)')
      .option('--keep-io-types', 'fp16: keep float32 model inputs/outputs, Casts at the boundary (default)')
      .option('--no-keep-io-types', 'fp16: make float32 model inputs/outputs float16 too')
      .option('--exclude-ops <ops>', 'comma-separated op types to leave in float32')
      .option('--exclude-nodes <names>', 'comma-separated node names (or first output names) to leave in float32'),
    'an input of the validation run',
  )
    .option('--json', 'print the summary as JSON')
    .action(async (model: string, f: QuantizeFlags) => {
      const target = parseTarget(f.to);
      const overrides = parseInputOverrides(f);
      const isTfjs = extname(model).toLowerCase() === '.json';
      if (isTfjs) {
        const to = target === 'fp16' ? 'float16' : target;
        if (QUANTIZE_TARGETS[to].format !== 'tfjs')
          throw new ParityError('USAGE', `--to ${target} applies to ONNX models; for a TF.js model.json use --to uint8, uint16 or float16`);
        return quantizeTfjs(model, to as TfjsTarget, f, overrides);
      }
      if (QUANTIZE_TARGETS[target].format !== 'onnx')
        throw new ParityError(
          'USAGE',
          `--to ${target} applies to TF.js model.json files; for ONNX use --to fp16, int8-weight, int8-dynamic, int8-static or int4-weight`,
        );
      await quantizeOnnxFile(model, target as OnnxTarget, f, overrides, setExit);
    });
};
