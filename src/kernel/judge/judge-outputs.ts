/**
 * The one judge of a target's outputs against the reference's, used by `run`, `merge`, the page,
 * `quantize`'s pre-write check, `localize`'s final outputs, replay and baselines. Every output gets
 * a scale-free tensor check; an output with a task role (declared or inferred, never silently) is
 * decided by its role gates, the tensor level only vetoing an outright collapse; an output without
 * one (`tensor`) is decided by the tensor check. Pure: no Node imports.
 */
import type { Tensor } from '../core/tensor.ts';
import { concatFloat, toFloatArray, type FlatOutput } from './float-data.ts';
import type { JudgeOutputsOptions, JudgeOutputsResult, OutputJudgement } from './judge-outputs-types.ts';
import { computeOutputMetrics, incomparableMetrics, toleranceReason } from './output-metrics.ts';
import { EXPECTED_NOISE } from './precision-noise.ts';
import { inferRole } from './role-infer.ts';
import { evaluateRoleGates, roleGatesFor, roleMetrics } from './role-metrics.ts';
import { validateRoleSpec, type ResolvedRole } from './role-spec.ts';
import { resolveTolerance } from './tolerance.ts';
import type { OutputMetrics } from './types.ts';

export type * from './judge-outputs-types.ts';

/** Outputs given as one tensor per sample, flattened for {@link judgeOutputs}. */
export function tensorsToFlat(outputs: Record<string, readonly Tensor[]>): Record<string, FlatOutput> {
  const out: Record<string, FlatOutput> = {};
  for (const [name, samples] of Object.entries(outputs))
    out[name] = { data: concatFloat(samples.map(toFloatArray)), sampleDims: samples.map((t) => [...t.dims]) };
  return out;
}

const fmt = (x: number) => (Number.isFinite(x) ? String(Number(x.toPrecision(3))) : String(x));

/**
 * Judges every reference output against the target's (see the file header).
 * @throws ParityError CONFIG_INVALID for a malformed declared role.
 */
export function judgeOutputs(o: JudgeOutputsOptions): JudgeOutputsResult {
  const outputs: Record<string, OutputJudgement> = {};
  const reasons: string[] = [];
  const roles = Object.fromEntries(Object.entries(o.reference).map(([name, ref]) => [name, resolveRole(name, ref, o.roles)]));
  // With a task role somewhere, the other outputs (states, auxiliary maps) matter through the task: only their collapse fails.
  const auxiliary = Object.values(roles).some((r) => r.role !== 'tensor');
  for (const [name, ref] of Object.entries(o.reference)) {
    const j = judgeOne(name, ref, o.target[name], o, roles[name]!, auxiliary);
    outputs[name] = j;
    if (!j.passed && j.reason) reasons.push(j.reason);
  }
  const decidedBy = Object.values(outputs).some((j) => j.decidedBy === 'task') ? 'task' : 'tensor';
  return { passed: reasons.length === 0, outputs, decidedBy, reasons };
}

/** The role an output is judged with: declared (validated), else inferred from the reference. */
export function resolveRole(name: string, ref: FlatOutput, declared: JudgeOutputsOptions['roles']): ResolvedRole {
  const d = declared?.[name];
  if (!d) return inferRole(ref);
  validateRoleSpec(d, `role of output '${name}'`);
  return { role: d.role, ...(d.options ? { options: d.options } : {}), source: d.source ?? 'config', ...(d.evidence ? { evidence: d.evidence } : {}) };
}

function judgeOne(name: string, ref: FlatOutput, act: FlatOutput | undefined, o: JudgeOutputsOptions, role: ResolvedRole, auxiliary: boolean): OutputJudgement {
  const tolerance = resolveTolerance(o.policy, name, o.precision);
  const problem = !act ? `output '${name}' missing in target` : shapeProblem(ref, act);
  const tensor: OutputMetrics = problem
    ? incomparableMetrics(ref.data.length, tolerance, problem)
    : computeOutputMetrics({ reference: ref.data, actual: act!.data, tolerance });
  const floor = o.noiseFloor?.[name];
  if (floor && !problem) tensor.noiseFloor = floor;
  const floorText = floor ? ` (fp32 noise floor ${fmt(floor.sqnrDb)} dB)` : '';
  const collapseDb = EXPECTED_NOISE[o.precision].collapseSqnrDb;
  const collapse = problem
    ? problem
    : tensor.nonFiniteMismatches > 0
      ? `${tensor.nonFiniteMismatches} NaN/Inf mismatches`
      : tensor.sqnrChecked && !(tensor.sqnrDb >= collapseDb)
        ? `SQNR ${fmt(tensor.sqnrDb)} dB < collapse floor ${fmt(collapseDb)} dB`
        : undefined;

  if (role.role === 'tensor' && auxiliary && !problem) {
    // An output beside task outputs: its tensor check is reported, only a collapse fails it.
    return {
      role,
      tensor,
      ...(collapse ? { collapse } : {}),
      gates: [],
      passed: !collapse,
      decidedBy: 'tensor',
      decidingMetric: collapse
        ? `tensor collapse: ${collapse}${floorText}`
        : `auxiliary to the task outputs: only a collapse fails it (SQNR ${fmt(tensor.sqnrDb)} dB >= ${fmt(collapseDb)} dB${tensor.passed ? '' : `; tensor check: ${tensor.failures?.[0] ?? 'failed'}`})${floorText}`,
      ...(collapse ? { reason: `${name}: tensor collapse: ${collapse}${floorText}` } : {}),
    };
  }
  if (role.role === 'tensor' || problem) {
    const passed = !problem && tensor.passed;
    const decidingMetric =
      problem ??
      (tensor.failures?.[0] ??
        `sqnrDb ${fmt(tensor.sqnrDb)}${tensor.sqnrChecked ? ` >= ${fmt(tensor.tolerance.minSqnrDb ?? -Infinity)}` : ' (unchecked: degenerate reference)'}`) +
        floorText;
    return {
      role,
      tensor,
      ...(collapse ? { collapse } : {}),
      gates: [],
      passed,
      decidedBy: 'tensor',
      decidingMetric,
      ...(passed ? {} : { reason: problem ? `${name}: ${problem}` : `${toleranceReason(name, tensor)}` }),
    };
  }

  const task = roleMetrics(role.role, ref, act!, role.options, o.labels?.[name])!;
  const gates = evaluateRoleGates(roleGatesFor(role.role, o.precision, !!task.labels, o.roleGates?.[role.role]), task);
  const failed = gates.filter((g) => !g.passed);
  const show = (g: (typeof gates)[number]) =>
    `${g.metric} ${g.value === null ? 'absent' : fmt(g.value)} ${g.passed ? g.op : g.op === '>=' ? '<' : '>'} ${g.threshold}`;
  const passed = failed.length === 0 && !collapse;
  const tensorText = `tensor SQNR ${fmt(tensor.sqnrDb)} dB${floorText}`;
  const decidingMetric = failed.length ? failed.map(show).join(', ') : collapse ? `tensor collapse: ${collapse}` : gates.map(show).join(', ');
  const why = [...(failed.length ? [`${failed.map(show).join(', ')}`] : []), ...(collapse ? [`tensor collapse: ${collapse}`] : [])].join('; ');
  return {
    role,
    tensor,
    ...(collapse ? { collapse } : {}),
    task,
    gates,
    passed,
    decidedBy: failed.length === 0 && collapse ? 'tensor' : 'task',
    decidingMetric,
    ...(passed ? {} : { reason: `${name} (${role.role}): ${why}; ${tensorText}${task.examples?.length ? `; e.g. ${task.examples[0]}` : ''}` }),
  };
}

/** Why two outputs cannot be compared element by element, or undefined when they can. */
export function shapeProblem(ref: FlatOutput, act: FlatOutput): string | undefined {
  if (ref.sampleDims.length !== act.sampleDims.length) return `sample count differs: reference ${ref.sampleDims.length}, target ${act.sampleDims.length}`;
  for (let s = 0; s < ref.sampleDims.length; s++) {
    const a = ref.sampleDims[s]!;
    const b = act.sampleDims[s]!;
    if (a.length !== b.length || a.some((d, i) => d !== b[i])) return `shape mismatch at sample ${s}: reference [${a.join(',')}] vs target [${b.join(',')}]`;
  }
  if (ref.data.length !== act.data.length) return `size mismatch: reference has ${ref.data.length} elements, target ${act.data.length}`;
  return undefined;
}
