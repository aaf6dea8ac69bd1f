/**
 * `localize()`: finds the node where a target (a variant and/or another backend) starts to diverge
 * from the reference. Run: both graphs with every node output marked, on identical inputs.
 * Judge: per reference node in topological order, the paired target tensor's error
 * (`rows.ts`). Then isolate the first divergent node (`isolate.ts`), rank the nodes by the error
 * they create (`rank.ts`: SQNR drop beyond the precision's noise, confirmed by isolation, tied to
 * variant facts), check what marking did, and judge the final outputs as `parity run` would.
 * Pure: takes any Backend, so the browser harness can call it too.
 *
 * ```ts
 * const report = await localize({
 *   reference: { model: fp32Bytes, backend: await registry.get('ort-node/cpu') },
 *   target: { model: fp16Bytes, backend: await registry.get('ort-web/wasm') },
 *   feeds: dataset.samples,
 * });
 * ```
 */
import type { ModelProto } from 'onnx-buf';
import { choices, ParityError } from '../../kernel/core/errors.ts';
import { FLOAT16_MAX } from '../../kernel/core/float16.ts';
import { OPTIMIZATION_LEVELS } from '../../kernel/core/ids.ts';
import { decodeModel } from '../../kernel/onnx/io.ts';
import { headline } from './headline.ts';
import { isolateRow } from './isolate.ts';
import { judgeFinalOutputs } from './final-outputs.ts';
import { checkMarking } from './marking.ts';
import { rankCulprits } from './rank.ts';
import { findQdq, planRows } from './pairing.ts';
import { nsrOf } from './culprits.ts';
import { finalNsr, finalSqnr } from './recovery.ts';
import { EXPECTED_NOISE } from '../../kernel/judge/precision-noise.ts';
import { tensorError } from './tensor-error.ts';
import { CALIBRATION_METADATA } from './types.ts';
import { buildVerdict } from '../../kernel/judge/verdict.ts';
import { detectPrecision, localizeTolerance } from './precision.ts';
import { firstRow, judgeRow } from './rows.ts';
import { runSide, type SideRun } from './run-side.ts';
import {
  DEFAULT_HAZARD_FRACTION,
  type Isolation,
  type LocalizeOptions,
  type LocalizeReport,
  type LocalizeSide,
  type OptLevel,
  type SideFacts,
} from './types.ts';

const OPT_LEVELS: readonly OptLevel[] = OPTIMIZATION_LEVELS;

function checkSide(side: LocalizeSide, role: string): void {
  if (!side.backend.formats.includes('onnx')) {
    throw new ParityError('USAGE', `${role} backend ${side.backend.id} does not load ONNX models; localize needs an ONNX backend (ort-node/cpu, ort-web/*)`);
  }
  if (side.graphOptimizationLevel && !OPT_LEVELS.includes(side.graphOptimizationLevel)) {
    throw new ParityError('USAGE', `${role} graph optimization level '${side.graphOptimizationLevel}' is not one of ${choices(OPT_LEVELS)}`);
  }
}

function facts(side: LocalizeSide, name: string, level: OptLevel, run: SideRun): SideFacts {
  return { model: name, backend: side.backend.id, graphOptimizationLevel: level, exposed: run.expose?.exposed.length ?? 0, skipped: run.expose?.skipped ?? [] };
}

const skippedMap = (run: SideRun) => new Map((run.expose?.skipped ?? []).map((s) => [s.name, s.reason]));

/**
 * Localizes the divergence of `options.target` from `options.reference`.
 * @throws ParityError `USAGE` (no feeds, non-ONNX backend, bad level, bad tolerance),
 *   `MODEL_INVALID` (bytes are not ONNX), `RUN_FAILED` (a side does not load or run).
 */
export async function localize(options: LocalizeOptions): Promise<LocalizeReport> {
  const log = options.log ?? (() => {});
  const timings: Record<string, number> = {};
  const clock = (key: string, t0: number) => (timings[key] = Math.round(performance.now() - t0));
  if (options.feeds.length === 0) throw new ParityError('USAGE', 'localize needs at least one sample of feeds');
  checkSide(options.reference, 'reference');
  checkSide(options.target, 'target');
  const refName = options.reference.name ?? 'reference.onnx';
  const tgtName = options.target.name ?? 'target.onnx';
  const refModel: ModelProto = decodeModel(options.reference.model, refName);
  const tgtModel: ModelProto = decodeModel(options.target.model, tgtName);
  const refLevel = options.reference.graphOptimizationLevel ?? 'disabled';
  const tgtLevel = options.target.graphOptimizationLevel ?? 'all';
  const precision = options.precision ?? detectPrecision(tgtModel);
  const tolerance = localizeTolerance(precision, options.tolerance);
  const maxMismatchFraction = options.maxMismatchFraction ?? 0;
  if (!(maxMismatchFraction >= 0 && maxMismatchFraction <= 1))
    throw new ParityError('USAGE', `max mismatch fraction ${maxMismatchFraction}: expected a number in [0, 1]`);
  const hazardFraction = options.hazardFraction ?? DEFAULT_HAZARD_FRACTION;
  if (!(hazardFraction > 0 && hazardFraction <= 1)) throw new ParityError('USAGE', `hazard fraction ${hazardFraction}: expected a number in (0, 1]`);
  const policy = { tolerance, maxMismatchFraction };

  const planned = planRows(refModel, tgtModel);
  let t0 = performance.now();
  log(`reference: ${refName} on ${options.reference.backend.id} (optimization ${refLevel}), ${options.feeds.length} sample(s)`);
  const reference = await runSide({
    role: 'reference',
    backend: options.reference.backend,
    name: refName,
    model: refModel,
    level: refLevel,
    feeds: options.feeds,
    expose: 'all',
  });
  clock('referenceMs', t0);
  t0 = performance.now();
  log(`target: ${tgtName} on ${options.target.backend.id} (optimization ${tgtLevel}, ${precision})`);
  const inputQdqPlan = refModel.graph!.input.flatMap((v) => {
    const q = findQdq(tgtModel.graph!, v.name);
    return q ? [{ input: v.name, ...q }] : [];
  });
  const wanted = new Set([...planned.flatMap((p) => [p.target ?? '', p.qdq?.tensor ?? '']), ...inputQdqPlan.map((q) => q.tensor)]);
  const target = await runSide({
    role: 'target',
    backend: options.target.backend,
    name: tgtName,
    model: tgtModel,
    level: tgtLevel,
    feeds: options.feeds,
    expose: 'all',
    keep: (n) => wanted.has(n),
  });
  clock('targetMs', t0);

  const rows = planned.map((p) =>
    judgeRow(p, {
      reference,
      target,
      policy,
      precision,
      hazardThreshold: hazardFraction * FLOAT16_MAX,
      skipped: { reference: skippedMap(reference), target: skippedMap(target) },
    }),
  );
  const firstDivergent = firstRow(rows, (r) => Boolean(r.error?.leaves));
  const firstNonFinite = firstRow(rows, (r) => (r.error?.newNonFinite ?? 0) > 0);

  const side = { model: tgtModel, backend: options.target.backend, name: tgtName, level: tgtLevel };
  const isolations: Isolation[] = [];
  if (options.isolate ?? true) {
    t0 = performance.now();
    for (const i of new Set([firstDivergent, firstNonFinite])) {
      if (i === undefined) continue;
      log(`isolating ${rows[i]!.node} (${rows[i]!.op})`);
      isolations.push(await isolateRow({ row: rows[i]!, rows, target: side, reference, targetRun: target, feeds: options.feeds, policy }));
    }
    clock('isolationMs', t0);
  }

  const inputQdq = inputQdqPlan.flatMap((q) => {
    const act = target.runs.map((r) => r[q.tensor]);
    if (act.some((t) => !t)) return [];
    const error = tensorError(
      options.feeds.map((f) => f[q.input]!),
      act.map((t) => t!),
      policy,
    );
    return [{ ...q, error, addedNsr: nsrOf(error.sqnrDb) }];
  });

  // The target as deployed (unmarked): the baseline of every recovery, and the final verdict.
  t0 = performance.now();
  log('target without marked outputs');
  let marking;
  let unmarked: SideRun;
  if (options.checkMarking ?? true) {
    const m = await checkMarking({
      target: options.target,
      name: tgtName,
      model: tgtModel,
      level: tgtLevel,
      feeds: options.feeds,
      marked: target,
      reference,
      policy,
    });
    marking = m.check;
    unmarked = m.plain;
  } else {
    unmarked = await runSide({
      role: 'target (unmarked)',
      backend: options.target.backend,
      name: tgtName,
      model: tgtModel,
      level: tgtLevel,
      feeds: options.feeds,
      expose: 'none',
    });
  }
  clock('markingMs', t0);
  const roles = options.roles ? { roles: options.roles } : {};
  const taskPasses = (run: SideRun) => judgeFinalOutputs({ reference, target: run, source: 'unmarked', precision, tolerance, ...roles }).every((o) => o.passed);
  // A fix must restore the task gate and the precision's SQNR floor on every float output (what
  // `parity quantize` checks before it writes), so the node set it finds passes there too.
  const floor = EXPECTED_NOISE[precision].minSqnrDb;
  const judge = (run: SideRun) => ({
    nsr: finalNsr(reference, run),
    passes: taskPasses(run) && reference.outputs.every((o) => !(finalSqnr(reference, run, o) < floor)),
  });
  const feedsSource = options.feedsSource ?? 'given feeds';

  t0 = performance.now();
  const ranked = await rankCulprits({
    reference: refModel,
    target: tgtModel,
    rows,
    precision,
    tolerance,
    referenceRun: reference,
    isolate: { rows, target: side, reference, targetRun: target, feeds: options.feeds, policy },
    done: isolations,
    recovery: {
      reference: { model: refModel, backend: options.reference.backend, run: reference },
      target: { model: tgtModel, backend: options.target.backend, name: tgtName, level: tgtLevel, run: target },
      rows,
      feeds: options.feeds,
      baseline: { nsr: finalNsr(reference, unmarked), passes: taskPasses(unmarked) },
      judge,
    },
    weigh: {
      reference: refModel,
      target: tgtModel,
      referenceRun: reference,
      feeds: options.feeds,
      feedsSource,
      calibration: options.calibrationSource ?? tgtModel.metadataProps.find((p) => p.key === CALIBRATION_METADATA)?.value ?? 'not recorded in the variant',
      backend: options.target.backend.id,
    },
    inputQdq,
    ...(options.accumulate !== undefined ? { accumulate: options.accumulate } : {}),
    log,
    ...(options.maxCulpritIsolations !== undefined ? { maxIsolations: options.maxCulpritIsolations } : {}),
  });
  clock('rankingMs', t0);
  if (ranked.repro) options.onRepro?.({ ...ranked.repro, backend: options.target.backend.id, graphOptimizationLevel: tgtLevel, precision });

  const finalOutputs = judgeFinalOutputs({ reference, target: unmarked, source: 'unmarked', precision, tolerance, ...roles });

  const report: LocalizeReport = {
    schemaVersion: 1,
    createdAt: new Date().toISOString(),
    reference: facts(options.reference, refName, refLevel, reference),
    target: { ...facts(options.target, tgtName, tgtLevel, target), precision },
    samples: options.feeds.length,
    feedsSource,
    tolerance,
    maxMismatchFraction,
    hazardThreshold: hazardFraction * FLOAT16_MAX,
    rows,
    ...(firstDivergent !== undefined ? { firstDivergent } : {}),
    ...(firstNonFinite !== undefined ? { firstNonFinite } : {}),
    hazards: rows.filter((r) => r.flags.includes('fp16-range')).map((r) => r.index),
    isolations: ranked.isolations,
    culprits: ranked.culprits,
    rejected: ranked.rejected,
    recoveries: ranked.recoveries,
    ...(ranked.accumulation ? { accumulation: ranked.accumulation } : {}),
    ...(inputQdq.length ? { inputQdq } : {}),
    finalOutputs,
    ...(marking ? { marking } : {}),
    flagged: finalOutputs.some((o) => !o.passed),
    verdict: buildVerdict({
      counts: { outputs: finalOutputs.length, failing: finalOutputs.filter((o) => !o.passed).length, culprits: ranked.culprits.length },
      summary: `${finalOutputs.filter((o) => o.passed).length} of ${finalOutputs.length} final output(s) pass ${precision}${ranked.culprits[0] ? `; culprit '${ranked.culprits[0].node}'` : ranked.accumulation?.passes ? `; fix ${ranked.accumulation.command}` : ''}`,
      failures: finalOutputs.filter((o) => !o.passed).map((o) => `${o.output}: ${o.failures.join('; ')}`),
    }),
    headline: '',
    notes: [],
    timings,
  };
  const { text, notes } = headline(report);
  report.headline = text;
  report.notes = notes;
  return report;
}
