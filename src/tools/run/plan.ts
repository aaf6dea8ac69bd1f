/**
 * Plans targets: every variant × every backend, with the reason when a backend cannot load a
 * variant's formats. Pure: the same plan drives Node and browser execution.
 */
import type { BackendId, EnvKind, ModelFormat } from '../../kernel/core/ids.ts';
import type { TargetSpec, VariantName } from '../../kernel/core/record.ts';

export interface PlannedTarget {
  spec: TargetSpec;
  /** Which of the variant's formats this backend loads. */
  format?: ModelFormat;
  /** Set when the target cannot run; it is recorded as skipped with this reason. */
  skipReason?: string;
  /**
   * The target is impossible by construction (no format of the variant loads on the backend, e.g.
   * a TF.js backend for an ONNX-only variant), known before anything runs: listed once as "not
   * applicable" in the plan and in report.json, never counted as a skip. Default false.
   */
  notApplicable?: boolean;
}

export interface PlanInput {
  model: string;
  variants: readonly { variant: VariantName; formats: readonly ModelFormat[]; skipReason?: string }[];
  backends: readonly { id: BackendId; environment: EnvKind; formats: readonly ModelFormat[] }[];
}

export function targetId(model: string, variant: VariantName, backend: BackendId, env: EnvKind): string {
  return `${model}:${variant}@${backend}${env === 'browser' ? '/browser' : ''}`;
}

export function planTargets(input: PlanInput): PlannedTarget[] {
  const out: PlannedTarget[] = [];
  for (const v of input.variants) {
    for (const b of input.backends) {
      const spec: TargetSpec = {
        id: targetId(input.model, v.variant, b.id, b.environment),
        model: input.model,
        variant: v.variant,
        backend: b.id,
        environment: b.environment,
      };
      if (v.skipReason) {
        out.push({ spec, skipReason: v.skipReason });
        continue;
      }
      const format = b.formats.find((f) => v.formats.includes(f));
      out.push(
        format
          ? { spec, format }
          : {
              spec,
              notApplicable: true,
              skipReason: `${b.id} loads ${b.formats.join('/')} models; the ${v.variant} variant exists only as ${v.formats.join('/') || 'nothing'}`,
            },
      );
    }
  }
  return out;
}

/**
 * The reference backend: fp32 on ort-node/cpu when the model has ONNX, else tfjs/cpu. In the page
 * (everything in the browser) it is ort-web/wasm for ONNX models.
 */
export function referenceBackend(formats: readonly ModelFormat[], env: EnvKind = 'node'): BackendId {
  if (!formats.includes('onnx')) return 'tfjs/cpu';
  return env === 'node' ? 'ort-node/cpu' : 'ort-web/wasm';
}
