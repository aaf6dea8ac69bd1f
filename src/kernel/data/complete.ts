/**
 * Completes a data file: inputs the file does not hold are made from `--value`, `--range` or
 * `--shape` (a Silero `sr` scalar, a zero recurrent state), the same for every target, seeded.
 * An input that is missing and has none of those flags is an error naming the flag to add. Pure.
 */
import { ParityError } from '../core/errors.ts';
import type { TensorMap, TensorSpec } from '../core/tensor.ts';
import { isBatchedInput } from './batch-axis.ts';
import type { InputOverrides } from './input-options.ts';
import { synthesizeDataset } from './synthesize.ts';

/** How a data reader completes what a file lacks. */
export interface FillOptions {
  /** `--value` / `--range` / `--shape`: an input named here may be absent from the file. */
  overrides: InputOverrides;
  /** Seed for `--range` fills (the run's seed). */
  seed: number;
}

const hasOverride = (o: InputOverrides, name: string) => name in o.values || name in o.ranges || name in o.shapes;

/**
 * Inputs of `specs` absent from the file that cannot be filled: an error listing them and the flags.
 * @param where - the file (and line) for the message
 */
export function assertFillable(missing: readonly TensorSpec[], fill: FillOptions | undefined, where: string): void {
  const lacking = missing.filter((s) => !fill || !hasOverride(fill.overrides, s.name));
  if (!lacking.length) return;
  const names = lacking.map((s) => `'${s.name}'`).join(', ');
  const example = lacking.map((s) => `--value ${s.name}=0`).join(' ');
  throw new ParityError(
    'INPUT_DATA',
    `${where}: no data for input${lacking.length > 1 ? 's' : ''} ${names}; add ${lacking.length > 1 ? 'them' : 'it'} to the file or fill with ${example} (or --range NAME=lo,hi, --shape NAME=dims)`,
  );
}

/**
 * Adds to each sample the inputs it lacks, made from the overrides. A non-batched input (see
 * {@link isBatchedInput}) gets one tensor shared by every sample; a batched one a tensor per sample.
 * @throws ParityError INPUT_DATA when a missing input has no override.
 */
export function completeSamples(samples: TensorMap[], specs: readonly TensorSpec[], fill: FillOptions | undefined, where: string): TensorMap[] {
  const missing = specs.filter((s) => samples.some((m) => !m[s.name]));
  if (!missing.length) return samples;
  assertFillable(missing, fill, where);
  const o = fill!.overrides;
  const batched = missing.filter(isBatchedInput);
  const shared = missing.filter((s) => !isBatchedInput(s));
  const perSample = batched.length ? synthesizeDataset(batched, o, samples.length, fill!.seed).samples : [];
  const once = shared.length ? synthesizeDataset(shared, o, 1, fill!.seed).samples[0]! : {};
  return samples.map((m, i) => {
    const out: TensorMap = { ...m };
    for (const s of missing) if (!out[s.name]) out[s.name] = isBatchedInput(s) ? perSample[i]![s.name]! : once[s.name]!;
    return out;
  });
}
