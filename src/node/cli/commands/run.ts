/** `parity run`: the parity suite — every model × variant × backend against the reference. */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { loadConfig } from '../../config/load-config.ts';
import { VARIANT_NAMES } from '../../../kernel/core/record.ts';
import { ParityError } from '../../../kernel/core/errors.ts';
import { parseInputOverrides } from '../../../kernel/data/input-options.ts';
import { renderConsoleTable } from '../../report/console.ts';
import { createProgress } from '../../report/progress.ts';
import { foldCacheHits } from '../../report/fold-cache-hits.ts';
import { notApplicableLines } from '../../../kernel/render/view.ts';
import { runParity } from '../../api/run-parity.ts';
import { parseShard } from '../../../tools/run/shard.ts';
import { baselineToText } from '../../../tools/baseline/render.ts';
import type { ReportWithBaseline } from '../../../tools/baseline/compare-baseline.ts';
import { readJsonFile } from '../../pipeline/node-io.ts';
import { BROWSER_FLAGS_HELP } from '../../browser/cli-browser.ts';
import { addInputOptions, collect } from '../shared/options.ts';
import { parseVariantFlags } from '../../variants/variant-files.ts';
import { DEFAULT_SEED } from '../../../kernel/core/rng.ts';
import type { ConfigFlags } from '../../../kernel/config/flags.ts';
import type { RegisterCommand } from './types.ts';

interface RunFlags {
  config?: string;
  model?: string;
  backends?: string;
  variants?: string;
  samples?: string;
  seed?: string;
  out?: string;
  shape?: string[];
  range?: string[];
  value?: string[];
  data?: string;
  gate?: string[];
  browser?: string | boolean;
  wsEndpoint?: string;
  shard?: string;
  baseline?: string;
  cpuThrottle?: string;
  threads?: string;
  batch?: string;
  profile?: boolean;
  budgetMs?: string;
  /** `--task OUTPUT=ROLE[:k=v,...]`, repeatable. */
  task?: string[];
  /** `--atol [OUTPUT:]VALUE`, `--rtol [OUTPUT:]VALUE`: repeatable or comma-separated. */
  atol?: string[];
  rtol?: string[];
  /** `--variant NAME=FILE`, repeatable: a variant file made elsewhere, judged against the model. */
  variant?: string[];
  /** `--keep-outputs [all|reference|none|inline]`; the flag alone is `all`. */
  keepOutputs?: string | boolean;
  /** `--no-manifest`: run a bare model file even when a parity-model.json beside it names it. */
  manifest?: boolean;
}

export const register: RegisterCommand = (program, setExit) => {
  addInputOptions(
    program
      .command('run')
      .description('run models × variants × backends, compare each with the reference, write reports; exit 0 pass, 1 gate failed, 2 bad input')
      .option('--config <file>', 'suite config (default: parity.config.{ts,mjs,js,json} in the cwd, else the bundled suite)')
      .option('--model <file>', "run this ONNX file, TF.js model.json or parity-model.json instead of the suite's models")
      .option('--backends <ids>', 'comma-separated backend ids (see `parity backends`)')
      .option(
        '--variants <names>',
        `comma-separated variants: ${VARIANT_NAMES.join(',')}, or names of variant files (default: every variant the model can have; with variant files, fp32 and the files)`,
      )
      .option('--samples <n>', 'samples per model (default: all of the bundled data, or 16 synthesized; 200 with --browser)')
      .option('--seed <n>', `seed for synthesized inputs and bootstrap CIs (default ${DEFAULT_SEED})`)
      .option('--out <dir>', 'report directory (default parity-report)'),
  )
    .option(
      '--data <file>',
      'real inputs: JSON, NPY or NPZ keyed by input name (label/labels for labels), or JSONL with one sample per line at its own dims; inputs it lacks are filled by --value/--range/--shape',
    )
    .option('--gate <expr>', 'extra gate, e.g. "top1Agreement >= 0.999" (repeatable)', collect)
    .option(
      '--keep-outputs [which]',
      'keep raw outputs in binary sidecars beside records.jsonl: all (the flag alone), reference, none, or inline (base64 in records.jsonl); default reference',
    )
    .option(
      '--variant <name=file>',
      'judge a variant file made elsewhere against the model, e.g. q4=model_q4.onnx (repeatable; precision inferred from its graph). A --model folder with model.onnx and model_<name>.onnx files brings its own',
      collect,
    )
    .option(
      '--task <output=role>',
      'what an output means, judged at the task level: OUTPUT=ROLE[:key=value,...], e.g. probs=ctc:blank=0 (roles classifier, binary, multilabel, ctc, tokens, embedding, regression, segmentation, score-map, tensor; options threshold, blank, axis, k; repeatable). Default: inferred per output, stated in the report',
      collect,
    )
    .option('--browser [chromium|path]', BROWSER_FLAGS_HELP.browser)
    .option('--ws-endpoint <url>', BROWSER_FLAGS_HELP.wsEndpoint)
    .option('--cpu-throttle <rates>', 'also run each browser target under these CPU slowdowns, e.g. 4 or 2,6 (Chromium CPU throttling; each rate a target)')
    .option(
      '--threads <counts>',
      'also run each thread-settable target (ort-node intra-op; ort-web and tfjs wasm in the browser) with these thread counts, e.g. 1,2,4',
    )
    .option('--batch <sizes>', 'also run each target with samples batched along the free batch dim, e.g. 8,32 (latency per batch and per sample)')
    .option('--profile', 'record per-op time per target (ORT session profiling, tf.profile): report.json targets[].profile.top')
    .option('--budget-ms <ms>', 'latency budget: gate p50Ms <= ms and name the targets meeting it')
    .option('--shard <i/n>', 'run shard i of n (targets dealt round-robin; every shard runs the reference); join with `parity merge`')
    .option(
      '--atol <[output:]value>',
      "absolute tolerance as in Polygraphy: every element |actual-ref| <= atol + rtol*|ref| (no outlier budget or SQNR floor); the other of atol/rtol defaults to 1e-5; OUTPUT:value for one output, which this check then decides (a bare value sets every output's tensor check; an output with a task role stays decided by it unless --task OUTPUT=tensor); repeatable",
      collect,
    )
    .option('--rtol <[output:]value>', 'relative tolerance, as --atol (e.g. --rtol 1e-3 or --rtol probs:1e-2)', collect)
    .option('--no-manifest', 'with --model FILE: ignore a parity-model.json beside FILE that names it (its data, labels and twin)')
    .option('--baseline <report.json>', 'compare every target with the same target of a saved report (noise-aware); regressions fail the run')
    .action(async (flags: RunFlags) => {
      const { config } = await loadConfig(flags.config);
      const overrides = parseInputOverrides(flags);
      const shard = flags.shard ? parseShard(flags.shard) : undefined;
      const progress = createProgress({ stream: process.stderr });
      // The variant factory's cache hits, one line per model instead of one per variant.
      const log = foldCacheHits((line) => progress.log(line));
      const manifest = flags.model && flags.manifest !== false ? manifestNaming(flags.model) : undefined;
      if (manifest) {
        progress.log(`--model ${flags.model}: using ${manifest} beside it (its data, labels and twin; --no-manifest runs the bare file)`);
        flags.model = manifest;
      }
      let result;
      try {
        result = await runParity(config, {
          write: true,
          flags: configFlags(flags),
          ...(flags.model ? { model: flags.model } : {}),
          ...(flags.data ? { dataFile: flags.data } : {}),
          overrides,
          ...(shard ? { shard } : {}),
          ...(flags.baseline ? { baseline: { name: flags.baseline, report: readJsonFile(flags.baseline, 'baseline report') } } : {}),
          observer: {
            planned: (targets, notApplicable = []) => {
              log.flush();
              progress.addTotal(targets.length - notApplicable.length);
              const lines = notApplicableLines(notApplicable.map(({ spec, reason }) => ({ ...spec, reason })));
              if (lines.length) progress.log(`not applicable (${notApplicable.length}, known before the run): ${lines.join('; ')}`);
            },
            // Not-applicable targets were listed in the plan line; they never run.
            record: (r) => (log.flush(), r.facts['notApplicable'] !== true && progress.tick(r)),
            log: (line) => log.log(line),
          },
        });
      } finally {
        log.flush();
        progress.done();
      }
      const { report, modelErrors, files } = result;
      // Nothing ran at all: the error is the whole answer (and nothing was written).
      if (!files) {
        if (modelErrors[0]) throw modelErrors[0].error;
        throw new ParityError('INTERNAL', 'the run recorded nothing');
      }
      process.stdout.write(renderConsoleTable(report, { color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR }) + '\n');
      process.stdout.write(`reports: ${Object.values(files).join(', ')}\n`);
      const withBaseline = report as Partial<ReportWithBaseline>;
      if (withBaseline.baseline) process.stdout.write(baselineToText(withBaseline.baseline));
      for (const { error } of modelErrors) process.stderr.write(`parity: error [${error.code}]: ${error.message}\n`);
      // The verdict decides: 2 when a model could not run, 1 when a gate or target failed, else 0.
      setExit(report.verdict.exitCode);
    });
};

/**
 * The parity-model.json in FILE's folder or the one above that names FILE as its `onnx` or `tfjs`
 * (a model's own data, labels and twin live there); undefined when none does.
 */
function manifestNaming(file: string): string | undefined {
  const abs = resolve(file);
  if (basename(abs) === 'parity-model.json') return undefined;
  for (const dir of [dirname(abs), dirname(dirname(abs))]) {
    const candidate = join(dir, 'parity-model.json');
    if (!existsSync(candidate)) continue;
    try {
      const m = JSON.parse(readFileSync(candidate, 'utf8')) as { onnx?: unknown; tfjs?: unknown };
      const named = [m.onnx, m.tfjs].filter((x): x is string => typeof x === 'string').map((x) => resolve(dir, x));
      if (named.includes(abs)) return relative(process.cwd(), candidate) || candidate;
    } catch {
      // A broken manifest beside the file is not this run's business: the bare file runs.
    }
  }
  return undefined;
}

/** The flags that change the config, for resolveConfig (src/kernel/config/flags.ts parses and checks them). */
function configFlags(f: RunFlags): ConfigFlags {
  const { backends, variants, samples, seed, out, cpuThrottle, threads, batch, profile, budgetMs, task, gate, browser, wsEndpoint, keepOutputs, atol, rtol } =
    f;
  const given = {
    backends,
    variants,
    samples,
    seed,
    out,
    cpuThrottle,
    threads,
    batch,
    profile,
    budgetMs,
    task,
    gate,
    browser,
    wsEndpoint,
    keepOutputs,
    atol,
    rtol,
  };
  return {
    ...Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)),
    ...(f.variant?.length ? { variantFiles: parseVariantFlags(f.variant, resolve) } : {}),
  };
}
