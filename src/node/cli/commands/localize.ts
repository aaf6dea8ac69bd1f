/**
 * `parity localize`: find the node where a variant and/or another backend starts to diverge from
 * the fp32 reference on ort-node/cpu. Prints the per-node table, writes localize.json and
 * localize.html (and with `--repro DIR` the top culprit alone). Exit 0 when the final outputs
 * pass (judged as `parity run` judges them: task role, else the scale-free tensor check); 1
 * otherwise — the headline names the culprit proven by recovery, or the smallest node set that
 * restores the gate (`--exclude-nodes ...` for `parity quantize`); 2 bad input.
 *
 * The reference runs with graph optimizations `disabled` by default: every node runs as written,
 * so each intermediate is that node's ONNX semantics and marking outputs cannot change what it
 * computes. The target runs at `all` by default, as deployed; marking outputs stops some of its
 * fusions, which is why the unmarked target is run too and any difference reported.
 *
 * With `--browser` the target side runs in headless Chromium through the harness page
 * (ort-web wasm / webgl / webgpu) while the reference stays in Node (see
 * src/node/browser/localize-browser.ts).
 */
import { basename, join, resolve } from 'node:path';
import { BROWSER_FLAGS_HELP, browserFromFlags } from '../../browser/cli-browser.ts';
import { isPageLocalizeBackend, PAGE_LOCALIZE_BACKENDS } from '../../../contract/localize-job.ts';
import { createNodeRegistry } from '../../runtimes/node-registry.ts';
import type { BackendRegistry } from '../../../kernel/runtime/registry.ts';
import { ParityError, choices, isParityError } from '../../../kernel/core/errors.ts';
import { OPTIMIZATION_LEVELS } from '../../../kernel/core/ids.ts';
import { parseInputOverrides } from '../../../kernel/data/input-options.ts';
import { explainSynthesisFailure } from '../../../kernel/data/synthesize.ts';
import { renderLocalizeJson } from '../../../tools/localize/json.ts';
import { localize } from '../../../tools/localize/localize.ts';
import { LOCALIZE_TARGETS, prepareLocalize, writeLocalizeReports, writeRepro } from '../../localize/node-io.ts';
import { localizeInBrowser } from '../../browser/localize-browser.ts';
import { renderLocalizeText } from '../../localize/render-text.ts';
import type { LocalizeReport, OptLevel, ReproMaterial } from '../../../tools/localize/types.ts';
import { EXIT } from '../../../kernel/core/exit-codes.ts';
import { parseTaskFlag } from '../../../kernel/judge/role-spec.ts';
import { addInputOptions } from '../shared/options.ts';
import { DEFAULT_SEED } from '../../../kernel/core/rng.ts';
import type { RegisterCommand } from './types.ts';

interface LocalizeFlags {
  model: string;
  variant?: string;
  to?: string;
  backend?: string;
  calibration?: string;
  data?: string;
  samples?: string;
  seed?: string;
  shape?: string[];
  range?: string[];
  value?: string[];
  out: string;
  atol?: string;
  rtol?: string;
  maxMismatch?: string;
  hazardFraction?: string;
  referenceOpt: string;
  targetOpt: string;
  isolate: boolean;
  unmarked: boolean;
  allRows?: boolean;
  json?: boolean;
  browser?: string | boolean;
  wsEndpoint?: string;
  repro?: string;
  task?: string[];
  maxIsolations?: string;
  accumulate: boolean;
  calibrationSource?: string;
}

const LEVELS: readonly OptLevel[] = OPTIMIZATION_LEVELS;

function num(flag: string, v: string | undefined, check: (n: number) => boolean, expected: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || !check(n)) throw new ParityError('USAGE', `--${flag} '${v}': expected ${expected}`);
  return n;
}

function level(flag: string, v: string): OptLevel {
  if ((LEVELS as readonly string[]).includes(v)) return v as OptLevel;
  throw new ParityError('USAGE', `--${flag} '${v}': expected one of ${choices(LEVELS)}`);
}

export const register: RegisterCommand = (program, setExit) => {
  addInputOptions(
    program
      .command('localize')
      .description(
        "find the node whose fix recovers a variant's or backend's error against the fp32 reference (or the node set that restores the gate); exit 0 outputs pass, 1 otherwise, 2 bad input",
      )
      .requiredOption('--model <file>', 'the fp32 reference: an .onnx file or a parity-model.json')
      .option('--variant <file>', 'an ONNX variant of the model to localize (fp16, QDQ int8...)')
      .option('--to <variant>', `or build this variant on the fly: ${LOCALIZE_TARGETS.join(', ')}`)
      .option(
        '--backend <id>',
        `backend the target runs on: ort-node/cpu, ort-web/wasm; with --browser ${PAGE_LOCALIZE_BACKENDS.join(', ')} (default ort-node/cpu, with --browser ort-web/wasm)`,
      )
      .option('--calibration <file>', 'with --to int8-static: calibration inputs (NPZ/JSON/NPY keyed by input name)')
      .option('--data <file>', 'real inputs: JSON, NPY or NPZ keyed by input name')
      .option('--samples <n>', 'samples to run (default 8)')
      .option('--seed <n>', `seed for synthesized inputs (default ${DEFAULT_SEED})`),
  )
    .option('--out <dir>', 'where localize.json and localize.html go', 'parity-report')
    .option('--atol <x>', "per-node absolute tolerance (default: by the target's precision)")
    .option('--rtol <x>', "per-node relative tolerance (default: by the target's precision)")
    .option('--max-mismatch <frac>', 'fraction of elements allowed outside the tolerance per node (default 0)')
    .option('--hazard-fraction <f>', 'fp16 range hazard at |x| >= f * 65504 in the reference (default 0.5)')
    .option('--reference-opt <level>', 'graph optimization level of the reference: disabled, basic, extended, all', 'disabled')
    .option('--target-opt <level>', 'graph optimization level of the target', 'all')
    .option('--no-isolate', 'do not re-run the first divergent node alone')
    .option('--no-unmarked', 'do not run the unmarked target to check what marking outputs changed')
    .option('--all-rows', 'print every row (default: long runs of rows within tolerance are collapsed)')
    .option('--json', 'print localize.json to stdout instead of the table')
    .option(
      '--task <output=role[:k=v]>',
      'the task role of an output for the final gate (e.g. softmax=ctc:blank=0); repeatable; others are inferred',
      (v: string, a: string[] = []) => [...a, v],
    )
    .option('--max-isolations <n>', 'candidates proven by recovery, most added noise first (default 8)')
    .option('--no-accumulate', 'do not search the smallest node set that restores the gate when no single fix does')
    .option(
      '--calibration-source <words>',
      "name the calibration data of an int8-static --variant in QDQ-range causes (default: the variant's record, else 'not recorded')",
    )
    .option(
      '--repro <dir>',
      "write the top culprit alone into DIR: repro.onnx, its recorded inputs and the reference's expected output (repro-data.json), repro.mjs (Node) and repro.html (browser) that print the divergence",
    )
    .option(
      '--browser [chromium|path]',
      'run the target side in headless Chromium through the harness page (the reference stays on ort-node/cpu in Node); ' +
        "a value is `chromium` or a Chromium executable (default: $PARITY_CHROMIUM, /usr/bin/chromium, Playwright's browsers)",
    )
    .option('--ws-endpoint <url>', BROWSER_FLAGS_HELP.wsEndpoint)
    .action(async (f: LocalizeFlags) => {
      const overrides = parseInputOverrides(f);
      const samples = num('samples', f.samples, (n) => Number.isInteger(n) && n > 0, 'a positive integer');
      const seed = num('seed', f.seed, (n) => Number.isInteger(n) && n >= 0, 'a non-negative integer');
      const atol = num('atol', f.atol, (n) => n >= 0, 'a number >= 0');
      const rtol = num('rtol', f.rtol, (n) => n >= 0, 'a number >= 0');
      const maxMismatch = num('max-mismatch', f.maxMismatch, (n) => n >= 0 && n <= 1, 'a fraction in [0, 1]');
      const hazardFraction = num('hazard-fraction', f.hazardFraction, (n) => n > 0 && n <= 1, 'a fraction in (0, 1]');
      const maxIsolations = num('max-isolations', f.maxIsolations, (n) => Number.isInteger(n) && n > 0, 'a positive integer');
      const roles = f.task?.length
        ? Object.fromEntries(f.task.map((t) => parseTaskFlag(t)).map(({ output, spec }) => [output, { ...spec, source: 'cli' as const }]))
        : undefined;
      const refLevel = level('reference-opt', f.referenceOpt);
      const tgtLevel = level('target-opt', f.targetOpt);
      const registry: BackendRegistry = createNodeRegistry();
      const inBrowser = f.browser !== undefined || f.wsEndpoint !== undefined;
      if (inBrowser && f.repro)
        throw new ParityError(
          'USAGE',
          '--repro is not available with --browser yet: the one-node model is built in the page; run without --browser (ort-node/cpu or ort-web/wasm in Node) to write the repro',
        );
      const backendId = f.backend ?? (inBrowser ? 'ort-web/wasm' : 'ort-node/cpu');
      if (inBrowser && !isPageLocalizeBackend(backendId)) {
        throw new ParityError('USAGE', `--backend '${backendId}' with --browser: the harness page localizes on ${choices(PAGE_LOCALIZE_BACKENDS)}`);
      }
      if (!inBrowser && isPageLocalizeBackend(backendId) && !registry.has(backendId)) {
        throw new ParityError('USAGE', `--backend '${backendId}' runs only in the browser: add --browser (headless Chromium through the harness page)`);
      }
      if (!inBrowser) registry.assertKnown(backendId);
      const log = (line: string) => process.stderr.write(`localize: ${line}\n`);
      // Validates --browser / --ws-endpoint now; Chromium and the harness start on first use.
      const browser = inBrowser
        ? browserFromFlags({ ...(f.browser !== undefined ? { browser: f.browser } : {}), ...(f.wsEndpoint ? { wsEndpoint: f.wsEndpoint } : {}) }, log)
        : undefined;
      const prepared = await prepareLocalize({
        model: f.model,
        overrides,
        log,
        ...(f.variant ? { variant: f.variant } : {}),
        ...(f.to ? { to: f.to } : {}),
        ...(f.calibration ? { calibration: f.calibration } : {}),
        ...(f.data ? { data: f.data } : {}),
        ...(samples ? { samples } : {}),
        ...(seed !== undefined ? { seed } : {}),
      });
      const refBackend = await registry.get('ort-node/cpu');
      const precision = prepared.precision;
      const common = {
        feeds: prepared.feeds,
        feedsSource: prepared.feedsSource,
        ...(precision ? { precision } : {}),
        tolerance: { ...(atol !== undefined ? { atol } : {}), ...(rtol !== undefined ? { rtol } : {}) },
        ...(maxMismatch !== undefined ? { maxMismatchFraction: maxMismatch } : {}),
        ...(hazardFraction !== undefined ? { hazardFraction } : {}),
        isolate: f.isolate,
        checkMarking: f.unmarked,
        accumulate: f.accumulate,
        ...(maxIsolations ? { maxCulpritIsolations: maxIsolations } : {}),
        ...(roles ? { roles } : {}),
        ...(f.calibrationSource ? { calibrationSource: f.calibrationSource } : f.calibration ? { calibrationSource: basename(f.calibration) } : {}),
        log,
      };
      const reference = { model: prepared.reference.bytes, name: prepared.reference.name, backend: refBackend, graphOptimizationLevel: refLevel };
      const target = { model: prepared.target.bytes, name: prepared.target.name, graphOptimizationLevel: tgtLevel };
      let material: ReproMaterial | undefined;
      const run = async (): Promise<LocalizeReport> => {
        if (browser && isPageLocalizeBackend(backendId)) {
          try {
            return (await localizeInBrowser({ ...common, browser, reference, target: { ...target, backend: backendId } })).report;
          } finally {
            await browser.close();
          }
        }
        const tgtBackend = await registry.get(backendId);
        const available = await tgtBackend.probe();
        if (!available.ok) throw new ParityError('BACKEND_UNAVAILABLE', `backend ${backendId} is not available here: ${available.reason}`);
        return localize({
          ...common,
          reference,
          target: { ...target, backend: tgtBackend },
          ...(f.repro
            ? {
                onRepro: (m: ReproMaterial) => {
                  material = m;
                },
              }
            : {}),
        });
      };
      const report = await run().catch((e: unknown) => {
        // A reference that fails on synthesized inputs needs --shape/--value/--data, not a bug report.
        if (isParityError(e) && e.code === 'RUN_FAILED' && e.details['role'] === 'reference' && prepared.notes) {
          throw new ParityError('INPUT_SYNTHESIS', explainSynthesisFailure(prepared.notes, e.message));
        }
        throw e;
      });
      if (prepared.target.recipe) report.notes.push(`target built as ${prepared.target.recipe}`);
      const paths = writeLocalizeReports(report, resolve(f.out));
      if (f.json) process.stdout.write(renderLocalizeJson(report));
      else {
        process.stdout.write(renderLocalizeText(report, { color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR, allRows: Boolean(f.allRows) }));
        process.stdout.write(`reports: ${paths.json}, ${paths.html}\n`);
      }
      if (f.repro) {
        if (material) {
          const files = writeRepro(material, resolve(f.repro));
          process.stderr.write(
            `localize: repro of '${material.node}' (${material.op}) in ${resolve(f.repro)}: ${files.map((p) => basename(p)).join(', ')}; run: node ${join(f.repro, 'repro.mjs')}\n`,
          );
        } else {
          process.stderr.write(
            `localize: --repro: nothing written, ${report.culprits.length ? 'the top culprit could not be isolated' : "no node creates error beyond the precision's noise"}\n`,
          );
        }
      }
      setExit(report.verdict?.exitCode ?? (report.flagged ? EXIT.GATE_FAILED : EXIT.OK));
    });
};
