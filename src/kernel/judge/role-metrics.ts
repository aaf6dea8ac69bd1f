/**
 * One dispatcher from a role to its task metrics, and the evaluation of role gates on them.
 * Pure: no Node imports.
 */
import type { Precision } from '../core/record.ts';
import type { FlatOutput } from './float-data.ts';
import { compareOp } from './gates.ts';
import type { RoleGate, RoleMetrics } from './judge-outputs-types.ts';
import type { GateResult } from './types.ts';
import { binaryMetrics, classifierMetrics } from './role-decisions.ts';
import { DEFAULT_LABEL_GATES, DEFAULT_ROLE_GATES } from './role-default-gates.ts';
import { embeddingMetrics, regressionMetrics, scoreMapMetrics, segmentationMetrics } from './role-dense.ts';
import type { RoleName, RoleOptions } from './role-spec.ts';
import { ctcMetrics, tokensMetrics } from './role-sequence.ts';

/** Task metrics of `role` (undefined for `tensor`). */
export function roleMetrics(role: RoleName, ref: FlatOutput, tgt: FlatOutput, options: RoleOptions = {}, labels?: unknown): RoleMetrics | undefined {
  switch (role) {
    case 'classifier':
      return classifierMetrics(ref, tgt, options, labels);
    case 'binary':
    case 'multilabel':
      return binaryMetrics(ref, tgt, options, role, labels);
    case 'ctc':
      return ctcMetrics(ref, tgt, options, labels);
    case 'tokens':
      return tokensMetrics(ref, tgt, options);
    case 'embedding':
      return embeddingMetrics(ref, tgt, options);
    case 'regression':
      return regressionMetrics(ref, tgt, labels);
    case 'segmentation':
      return segmentationMetrics(ref, tgt, options);
    case 'score-map':
      return scoreMapMetrics(ref, tgt, options);
    case 'tensor':
      return undefined;
  }
}

/** The gates for a role at a precision: `custom` when given, else the defaults; label gates when label metrics exist. */
export function roleGatesFor(
  role: RoleName,
  precision: Precision,
  withLabels: boolean,
  custom?: Partial<Record<Precision, readonly RoleGate[]>>,
): readonly RoleGate[] {
  if (role === 'tensor') return [];
  const own = custom?.[precision] ?? DEFAULT_ROLE_GATES[role][precision];
  const fromLabels = withLabels ? (DEFAULT_LABEL_GATES[role]?.[precision] ?? []) : [];
  return [...own, ...(custom?.[precision] ? [] : fromLabels)];
}

/** Evaluates role gates on the metrics (label metrics included); an absent or NaN metric fails with a note. */
export function evaluateRoleGates(gates: readonly RoleGate[], task: RoleMetrics): GateResult[] {
  return gates.map((g) => {
    const value = task.metrics[g.metric] ?? task.labels?.[g.metric];
    const base = { metric: `${task.role}.${g.metric}`, op: g.op, threshold: g.threshold };
    if (value === undefined) return { ...base, value: null, passed: false, note: `metric ${g.metric} not computed for role ${task.role}` };
    const passed = compareOp(value, g.op, g.threshold);
    return Number.isNaN(value) ? { ...base, value, passed, note: 'value is NaN' } : { ...base, value, passed };
  });
}
