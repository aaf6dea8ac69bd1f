/** Terminal summary of a quantization: sizes, coverage, what was rewritten or left alone, clamping, validation and gates. Browser-safe. */
import { fmtBytes } from '../../kernel/core/format-bytes.ts';
import { describeCoverage, type Coverage } from '../../tools/quantize/coverage.ts';
import { describeCheck, type QualityVerdict } from './quality.ts';
import type { RewriteReport } from '../../tools/quantize/recipe.ts';
import type { ValidationReport } from './validate.ts';
import type { Verdict } from '../../kernel/judge/verdict.ts';

const counts = (m: Record<string, number>) =>
  Object.entries(m)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([op, n]) => `${op} ${n}`)
    .join(', ') || 'nothing';

export interface QuantizeSummary {
  input: string;
  output: string;
  recipe: string;
  bytesBefore: number;
  bytesAfter: number;
  report: RewriteReport;
  calibration?: { samples: number; source: string; method: string; ms: number };
  validation?: ValidationReport;
  /** What the rewrite compressed. */
  coverage?: Coverage;
  /** The variant held to its precision's gates. */
  quality?: QualityVerdict;
  /** Did it pass: the one verdict shape of every command; `parity quantize` exits with its `exitCode`. */
  verdict?: Verdict<object>;
  /** Label for the validation runtime. Default `onnxruntime-node`. */
  validatedOn?: string;
  convertMs?: number;
}

/** Lists at most `max` items, then how many more. */
function capped<T>(items: readonly T[], max: number, line: (t: T) => string): string[] {
  const out = items.slice(0, max).map(line);
  if (items.length > max) out.push(`    … and ${items.length - max} more`);
  return out;
}

export function formatQuantizeSummary(s: QuantizeSummary): string {
  const r = s.report;
  const pct = s.bytesBefore ? ((100 * s.bytesAfter) / s.bytesBefore).toFixed(0) : '?';
  const lines = [
    `${s.input} → ${s.output}`,
    `  recipe:      ${s.recipe}`,
    `  size:        ${fmtBytes(s.bytesBefore)} → ${fmtBytes(s.bytesAfter)} (${pct}%)${s.convertMs !== undefined ? `, converted in ${s.convertMs.toFixed(0)} ms` : ''}`,
    `  rewritten:   ${counts(r.quantized)}`,
  ];
  if (s.coverage) lines.push(`  coverage:    ${describeCoverage(s.coverage)}`);
  if (r.leftAlone.length) {
    lines.push(`  left alone:  ${r.leftAlone.length} node(s)`);
    lines.push(...capped(r.leftAlone, 12, (n) => `    ${n.node} (${n.op}): ${n.reason}`));
  } else {
    lines.push('  left alone:  none');
  }
  if (r.clamped?.length) {
    const total = r.clamped.reduce((a, c) => a + c.count, 0);
    lines.push(`  clamped:     ${total} value(s) beyond ±65504 in ${r.clamped.length} tensor(s), set to ±65504:`);
    // TF.js reports name, count, the most extreme value and what it became.
    const extreme = (c: object) => {
      const { value, became } = c as { value?: number; became?: number };
      return typeof value === 'number' ? `, most extreme ${value.toPrecision(4)} → ${became}` : '';
    };
    lines.push(...capped(r.clamped, 12, (c) => `    ${c.tensor}: ${c.count}${extreme(c)}`));
  }
  for (const note of r.notes) lines.push(`  note:        ${note}`);
  if (s.calibration) {
    lines.push(`  calibration: ${s.calibration.method} over ${s.calibration.source} (${s.calibration.samples} samples, ${s.calibration.ms.toFixed(0)} ms)`);
  }
  if (s.validation) {
    const diffs = Object.entries(s.validation.maxAbsDiff)
      .map(([k, v]) => `${k} ${v.toExponential(2)}`)
      .join(', ');
    lines.push(`  validated:   loads and runs on ${s.validatedOn ?? 'onnxruntime-node'} (${s.validation.inputs}); max |Δ| vs original: ${diffs || 'n/a'}`);
    for (const c of s.quality?.checks ?? []) lines.push(`  ${c.ok ? 'gate ok:    ' : 'GATE FAILED:'} ${describeCheck(c, s.quality!.precision)}`);
    for (const [k, n] of Object.entries(s.validation.newNonFinite))
      lines.push(`  WARNING:     output '${k}' has ${n} NaN/Inf value(s) where the original is finite`);
  }
  if (s.verdict) {
    lines.push(`  verdict:     ${s.verdict.headline}`);
    for (const w of s.verdict.warnings) lines.push(`  WARNING:     ${w}`);
  }
  return lines.join('\n');
}
