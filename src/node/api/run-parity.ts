/**
 * `runParity(config) → Report`: the programmatic parity run, and what `parity run` calls. Node
 * side of the one run core: resolves the config once, loads the models, checks everything that
 * can be checked before the first target runs, then runs the core with the Node registry, the
 * variant factory, and (optionally) a browser environment, streaming records to the out folder.
 * Node only.
 */
import { basename, dirname, resolve } from 'node:path';
import { createNodeRegistry } from '../runtimes/node-registry.ts';
import type { BackendRegistry } from '../../kernel/runtime/registry.ts';
import { DEFAULT_BROWSER_SAMPLES, resolveConfig, type ResolvedConfig } from '../../kernel/config/resolve.ts';
import type { ParityConfig } from '../../kernel/config/schema.ts';
import { ParityError } from '../../kernel/core/errors.ts';
import { NO_OVERRIDES, type InputOverrides } from '../../kernel/data/input-options.ts';
import { REPORT_FILES, writeReports, type WrittenReports } from '../report/write-all.ts';
import { createVariantBuilder } from '../variants/factory.ts';
import { bundledModelPaths } from '../run/bundled-models.ts';
import { environmentFacts } from '../run/environment-facts.ts';
import { loadModel } from '../run/load-model.ts';
import { loadWithVariantFiles } from '../variants/variant-files.ts';
import type { LoadedModel } from '../../tools/run/loaded-model.ts';
import { NODE_DATA_IO } from '../run/node-data-io.ts';
import { checkOutFolder, claimOutFolder } from '../run/out-folder.ts';
import { createRecordsWriter, type RecordsWriter } from '../run/records-writer.ts';
import { writeRunMeta } from '../run/run-meta.ts';
import { runCore, type RemoteEnvironment, type RunObserver, type RunResult } from '../../tools/run/run-core.ts';
import { describeShard, shardFilter, type Shard } from '../../tools/run/shard.ts';
import { applyBaseline } from '../../tools/baseline/apply-baseline.ts';
import type { ConfigFlags } from '../../kernel/config/flags.ts';
import { browserFromFlags } from '../browser/cli-browser.ts';
import { parseSavedReport } from '../../tools/baseline/compare-baseline.ts';

export interface RunParityOptions {
  /** Command-line flags over the config (`--backends`, `--samples`, `--gate`, `--browser`...), finished by resolveConfig. Default none. */
  flags?: ConfigFlags;
  /** Gates added to the config's (or the default) gates, as `--gate` does (same as `flags.gate`). Default none. */
  extraGates?: readonly string[];
  /** Run this model instead of the config's models (as `--model`). */
  model?: string;
  /** Real inputs for every model (as `--data`), overriding the config's `inputs.data`. */
  dataFile?: string;
  /** `--shape` / `--range` / `--value`, merged over each model's config inputs. Default none. */
  overrides?: InputOverrides;
  /** Write records.jsonl, run.json and the reports into the resolved `out` folder. Default: when `config.out` is set. */
  write?: boolean;
  /** Where browser targets run. Default: a headless Chromium launched here when the resolved config enables the browser, else none. */
  remote?: readonly RemoteEnvironment[];
  shard?: Shard;
  /** A saved report.json to compare every target with (`--baseline`); its regressions fail the verdict. Default none. */
  baseline?: { name: string; report: unknown };
  /** Default: a new Node registry. */
  registry?: BackendRegistry;
  observer?: RunObserver;
  /** Where relative model and data paths in the config resolve. Default: the cwd. */
  cwd?: string;
  /** Variant cache folder. Default: $PARITY_CACHE_DIR, else node_modules/.cache/infer-parity/variants. */
  cacheDir?: string;
}

export interface RunParityResult extends RunResult {
  config: ResolvedConfig;
  outDir: string;
  /** Report files written (when writing). */
  files?: WrittenReports & { records: string };
}

/**
 * Runs the suite and judges it; the verdict is `result.report.verdict` (its `exitCode` is what
 * `parity run` exits with).
 * @throws ParityError for input that makes the whole run impossible (bad config or gate, a missing
 *   model or data file, a report folder that is a file); a model that fails later is in `modelErrors`.
 */
export async function runParity(config: ParityConfig, options: RunParityOptions = {}): Promise<RunParityResult> {
  const flags = {
    ...options.flags,
    gate: [...(options.flags?.gate ?? []), ...(options.extraGates ?? [])],
    ...(options.remote?.length ? { browserTargets: true } : {}),
  };
  const resolved = resolveConfig(config, flags);
  if (options.baseline) parseSavedReport(options.baseline.report, options.baseline.name); // a bad baseline fails before anything runs
  if (!config.samples && !flags.samples && resolved.samples === DEFAULT_BROWSER_SAMPLES)
    options.observer?.log?.(`browser targets run: ${DEFAULT_BROWSER_SAMPLES} samples per model (set --samples for more)`);
  // A browser the resolved config asks for and the caller did not bring: launched here, closed at the end.
  const launched =
    options.remote || !resolved.browser.enabled
      ? undefined
      : browserFromFlags(
          { browser: resolved.browser.executablePath ?? true, ...(resolved.browser.wsEndpoint ? { wsEndpoint: resolved.browser.wsEndpoint } : {}) },
          options.observer?.log,
        );
  try {
    return await runResolved(config, resolved, { ...options, ...(launched ? { remote: [launched] } : {}) });
  } finally {
    await launched?.close();
  }
}

async function runResolved(config: ParityConfig, resolved: ResolvedConfig, options: RunParityOptions): Promise<RunParityResult> {
  const cwd = options.cwd ?? process.cwd();
  const outDir = resolve(cwd, resolved.out);
  const write = options.write ?? config.out !== undefined;
  if (write) checkOutFolder(outDir);
  const models = await loadModels(config, resolved, options, cwd);
  const registry = options.registry ?? createNodeRegistry();
  const shard = options.shard;
  let writer: RecordsWriter | undefined;
  const references = new Set<string>();
  let latestMeta: Parameters<typeof writeRunMeta>[1] | undefined;
  const claim = () => {
    if (writer || !write) return;
    const removed = claimOutFolder(outDir);
    if (removed.length) options.observer?.log?.(`${outDir}: replacing the earlier run's ${removed.join(', ')}`);
    writer = createRecordsWriter(resolve(outDir, REPORT_FILES.records), {
      keepOutputs: resolved.keepOutputs,
      // Records keep handles to their outputs on disk, not the outputs: memory stays per target.
      release: true,
      isReference: (r) => references.has(r.target.id),
    });
  };
  let result: RunResult;
  try {
    result = await runCore({
      config: resolved,
      models,
      local: { kind: 'node', registry },
      ...(options.remote ? { remote: options.remote } : {}),
      io: NODE_DATA_IO,
      buildVariant: createVariantBuilder({
        validator: () => registry.get('ort-node/cpu'),
        ...(options.cacheDir ? { cacheDir: options.cacheDir } : {}),
        ...(options.observer?.log ? { log: options.observer.log } : {}),
      }),
      loadStudent: (model, ref) => loadModel(resolve(dirname(model.path), ref)),
      ...(shard ? { keep: shardFilter(shard) } : {}),
      environment: { ...environmentFacts(), ...(shard ? { shard: describeShard(shard) } : {}) },
      observer: {
        ...options.observer,
        judgeInputs(inputs, plan) {
          for (const id of Object.values(inputs.references)) references.add(id);
          // run.json goes down before the model's first record, so a killed run can be merged.
          claim();
          latestMeta = { schemaVersion: 1, ...inputs, plan: [...plan], ...(shard ? { shard } : {}) };
          if (write) writeRunMeta(outDir, latestMeta);
          options.observer?.judgeInputs?.(inputs, plan);
        },
        record(r, live) {
          writer?.write(r);
          options.observer?.record?.(r, live);
        },
      },
    });
  } finally {
    writer?.close();
  }
  if (options.baseline) {
    result = {
      ...result,
      report: applyBaseline(result.report, options.baseline.report, {
        name: options.baseline.name,
        modelFailures: result.modelErrors.map(({ model, error }) => ({ model, code: error.code, message: error.message })),
      }),
    };
  }
  if (!write || !writer) return { ...result, config: resolved, outDir };
  writeRunMeta(outDir, { schemaVersion: 1, ...result.judge, plan: result.plan, ...(shard ? { shard } : {}) });
  const files = writeReports(result.report, outDir, process.env.GITHUB_STEP_SUMMARY ? { stepSummaryPath: process.env.GITHUB_STEP_SUMMARY } : {});
  return { ...result, config: resolved, outDir, files: { ...files, records: resolve(outDir, REPORT_FILES.records) } };
}

/** The models to run: `--model`, else the config's, else the bundled suite; each with its inputs. */
async function loadModels(config: ParityConfig, resolved: ResolvedConfig, options: RunParityOptions, cwd: string): Promise<LoadedModel[]> {
  const refs = options.model ? [{ path: options.model }] : (config.models ?? bundledModelPaths()).map((m) => (typeof m === 'string' ? { path: m } : m));
  if (refs.length === 0) throw new ParityError('USAGE', 'no models to run: pass --model FILE or list models in parity.config.ts');
  const cli = options.overrides ?? NO_OVERRIDES;
  const models: LoadedModel[] = [];
  for (const m of refs) {
    const inputs = 'inputs' in m ? m.inputs : undefined;
    const overrides = inputs
      ? { shapes: { ...inputs.shapes, ...cli.shapes }, ranges: { ...inputs.ranges, ...cli.ranges }, values: { ...inputs.values, ...cli.values } }
      : cli;
    // A folder of variant files (transformers.js naming) or `variantFiles` / `--variant NAME=FILE` beside the model.
    const files = Object.fromEntries(Object.entries(resolved.variantFiles).map(([n, f]) => [n, resolve(cwd, f)]));
    const model = await loadWithVariantFiles(resolve(cwd, m.path), overrides, files, 'name' in m ? m.name : undefined);
    for (const [n, v] of Object.entries(model.shipped ?? {}))
      options.observer?.log?.(`${model.name}: variant '${n}' = ${basename(v.path)}: ${v.precision} (like ${v.like}), inferred from it: ${v.evidence}`);
    const dataFile = options.dataFile ?? inputs?.data;
    models.push(dataFile ? { ...model, dataFile: resolve(cwd, dataFile) } : model);
  }
  return models;
}
