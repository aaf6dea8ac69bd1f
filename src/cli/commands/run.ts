/** `parity run`: the parity suite — every model × variant × backend against the reference. */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { createNodeRegistry } from '../../backends/node-registry.ts';
import { exitCodeFor } from '../../compare/judge.ts';
import { loadConfig } from '../../config/load-config.ts';
import type { ParityConfig } from '../../config/schema.ts';
import { validateConfig } from '../../config/validate.ts';
import { DEFAULT_GATES } from '../../config/default-gates.ts';
import { createVariantBuilder } from '../../variants/factory.ts';
import { BACKEND_IDS } from '../../backends/types.ts';
import { didYouMean } from '../../config/did-you-mean.ts';
import { choices, ParityError } from '../../core/errors.ts';
import { parseInputOverrides } from '../../data/input-options.ts';
import { renderConsoleTable } from '../../report/console.ts';
import { createProgress } from '../../report/progress.ts';
import { writeReports } from '../../report/write-all.ts';
import { bundledModelPaths } from '../../run/bundled-models.ts';
import { loadModel } from '../../run/load-model.ts';
import { runSuite } from '../../run/run-suite.ts';
import { browserFromFlags, BROWSER_FLAGS_HELP } from '../../browser/cli-browser.ts';
import { writeRunMeta } from '../../browser/run-meta.ts';
import { parseShard } from '../../browser/shard.ts';
import { addInputOptions, collect } from '../options.ts';
import { EXIT } from '../exit-codes.ts';
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
}


export const register: RegisterCommand = (program, setExit) => {
  addInputOptions(
    program
    .command('run')
    .description('run models × variants × backends, compare each with the reference, write reports; exit 0 pass, 1 gate failed, 2 bad input')
    .option('--config <file>', 'suite config (default: parity.config.{ts,mjs,js,json} in the cwd, else the bundled suite)')
    .option('--model <file>', 'run this ONNX file, TF.js model.json or parity-model.json instead of the suite\'s models')
    .option('--backends <ids>', 'comma-separated backend ids (see `parity backends`)')
    .option('--variants <names>', 'comma-separated variants: fp32,fp16,int8-weight,int8-dynamic,int8-static,distilled')
    .option('--samples <n>', 'samples per model (default: all of the bundled data, or 16 synthesized)')
    .option('--seed <n>', 'seed for synthesized inputs and bootstrap CIs (default 7)')
    .option('--out <dir>', 'report directory (default parity-report)'),
  )
    .option('--data <file>', 'real inputs: JSON, NPY or NPZ keyed by input name (label/labels for labels)')
    .option('--gate <expr>', 'extra gate, e.g. "top1Agreement >= 0.999" (repeatable)', collect)
    .option('--browser [chromium|path]', BROWSER_FLAGS_HELP.browser)
    .option('--ws-endpoint <url>', BROWSER_FLAGS_HELP.wsEndpoint)
    .option('--shard <i/n>', 'run shard i of n (targets dealt round-robin; every shard runs the reference); join with `parity merge`')
    .action(async (flags: RunFlags, cmd: Command) => {
      const { config: fileConfig } = await loadConfig(flags.config);
      const config = mergeFlags(fileConfig, flags);
      const overrides = parseInputOverrides(flags);
      const modelRefs = flags.model ? [{ path: flags.model }] : (config.models ?? bundledModelPaths()).map((m) => (typeof m === 'string' ? { path: m } : m));
      if (modelRefs.length === 0) throw new ParityError('USAGE', 'no models to run: pass --model FILE or list models in parity.config.ts');
      const models = [];
      for (const m of modelRefs) {
        const inputs = 'inputs' in m ? m.inputs : undefined;
        const model = await loadModel(m.path, inputs ? mergeInputs(inputs, overrides) : overrides, 'name' in m ? m.name : undefined);
        const dataFile = flags.data ?? inputs?.data;
        models.push(dataFile ? { ...model, dataFile: resolve(dataFile) } : model);
      }
      const outDir = resolve(config.out ?? 'parity-report');
      const shard = flags.shard ? parseShard(flags.shard) : undefined;
      const progress = createProgress({ stream: process.stderr });
      const browser = browserFromFlags(flags, (line) => progress.log(line));
      let result;
      try {
        result = await runSuite({
          config,
          models,
          registry: createNodeRegistry(),
          outDir,
          ...(browser ? { remote: [browser] } : {}),
          ...(shard ? { shard } : {}),
          buildVariant: createVariantBuilder({ log: (line) => progress.log(line) }),
          observer: {
            planned: (n) => progress.addTotal(n),
            record: (r) => progress.tick(r),
            log: (line) => progress.log(line),
          },
        });
      } finally {
        progress.done();
        await browser?.close();
      }
      const { report, judge, plan, modelErrors } = result;
      // Nothing ran at all: the error is the whole answer.
      if (modelErrors.length === models.length && result.records.length === 0) throw modelErrors[0]!.error;
      writeRunMeta(outDir, { schemaVersion: 1, ...judge, plan, ...(shard ? { shard } : {}) });
      const paths = writeReports(report, outDir, process.env.GITHUB_STEP_SUMMARY ? { stepSummaryPath: process.env.GITHUB_STEP_SUMMARY } : {});
      process.stdout.write(renderConsoleTable(report, { color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR }) + '\n');
      process.stdout.write(`reports: ${Object.values(paths).join(', ')}, ${resolve(outDir, 'records.jsonl')}\n`);
      void cmd;
      for (const { error } of modelErrors) process.stderr.write(`parity: error [${error.code}]: ${error.message}\n`);
      // A model that could not run is an input problem (2) and outranks a failed gate (1).
      setExit(modelErrors.length ? EXIT.USAGE : exitCodeFor(report));
    });
};

function mergeFlags(config: ParityConfig, f: RunFlags): ParityConfig {
  const num = (name: string, v: string | undefined) => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new ParityError('USAGE', `--${name} '${v}': expected a non-negative integer`);
    return n;
  };
  const list = (v: string | undefined) => v?.split(',').map((s) => s.trim()).filter(Boolean);
  for (const id of list(f.backends) ?? []) {
    if (!(BACKEND_IDS as readonly string[]).includes(id)) {
      const hint = didYouMean(id, BACKEND_IDS);
      throw new ParityError('BACKEND_UNKNOWN', `--backends: unknown backend '${id}'${hint ? ` — did you mean '${hint}'?` : ''}; expected one of ${choices(BACKEND_IDS)}`);
    }
  }
  const merged = {
    ...config,
    ...(f.backends ? { backends: list(f.backends) } : {}),
    ...(f.variants ? { variants: list(f.variants) } : {}),
    ...(f.samples ? { samples: num('samples', f.samples) } : {}),
    ...(f.seed ? { seed: num('seed', f.seed) } : {}),
    ...(f.out ? { out: f.out } : {}),
    // --gate adds to the config's gates, or to the default gates when the config has none.
    gates: [...(config.gates ?? DEFAULT_GATES), ...(f.gate ?? [])],
  };
  return validateConfig(merged, 'the command line and config');
}

function mergeInputs(
  inputs: NonNullable<Exclude<NonNullable<ParityConfig['models']>[number], string>['inputs']>,
  cli: ReturnType<typeof parseInputOverrides>,
) {
  return {
    shapes: { ...inputs.shapes, ...cli.shapes },
    ranges: { ...inputs.ranges, ...cli.ranges },
    values: { ...inputs.values, ...cli.values },
  };
}
