/** A planned target becomes either a skipped record or a job for executeTarget; shared by the CLI and the page. */
import { SCHEMA_VERSION, type RunRecord } from '../../kernel/core/record.ts';
import type { TargetJob } from './execute-target.ts';
import type { LoadedModel } from './loaded-model.ts';
import type { PlannedTarget } from './plan.ts';

export function skippedRecord(p: PlannedTarget): RunRecord {
  return {
    schemaVersion: SCHEMA_VERSION,
    target: p.spec,
    status: 'skipped',
    reason: p.skipReason ?? 'no loadable format',
    // Read by displayStatus (src/kernel/judge/verdict.ts): "not applicable", not a skip.
    facts: p.notApplicable ? { notApplicable: true } : {},
    startedAt: new Date().toISOString(),
  };
}

/** The job for a runnable planned target (`p.format` set), on the variant's model in that format. */
export function jobFor(
  p: PlannedTarget & { format: NonNullable<PlannedTarget['format']> },
  variant: LoadedModel,
  samples: TargetJob['samples'],
  opts: Pick<TargetJob, 'latency' | 'timeoutMs' | 'load' | 'facts' | 'profile'>,
): TargetJob {
  return {
    target: p.spec,
    model: p.format === 'onnx' ? variant.onnx! : variant.tfjs!,
    samples,
    ...(p.format === 'tfjs' && variant.twin ? { twin: variant.twin } : {}),
    latency: opts.latency,
    timeoutMs: opts.timeoutMs,
    ...(opts.load ? { load: opts.load } : {}),
    ...(opts.facts ? { facts: opts.facts } : {}),
    ...(opts.profile ? { profile: true } : {}),
  };
}
