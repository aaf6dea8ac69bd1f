/**
 * The one-line verdict of a localization and the notes under it, shared by the console, JSON and
 * HTML reports. Pure: no Node imports.
 */
import { fmtDb, fmtNum, fmtPct } from '../../kernel/render/format.ts';
import { EXPECTED_NOISE } from '../../kernel/judge/precision-noise.ts';
import type { Culprit, LocalizeReport, NodeRow } from './types.ts';

/** `'conv2' (Conv) → conv2_out`. */
export function rowLabel(r: NodeRow): string {
  return `'${r.node}' (${r.op})${r.output !== r.node ? ` → ${r.output}` : ''}`;
}

/** How far a row is off, in words: max abs, mismatch share and the tolerance. */
export function rowErrorText(r: NodeRow, report: Pick<LocalizeReport, 'tolerance'>): string {
  const e = r.error;
  if (!e) return r.reason ?? 'not compared';
  if (e.reason) return e.reason;
  const tol = `atol ${fmtNum(report.tolerance.atol)} + rtol ${fmtNum(report.tolerance.rtol)}·|ref|`;
  const nonFinite = e.newNonFinite ? `, ${e.newNonFinite} NaN/Inf where the reference is finite` : '';
  return `maxAbs ${fmtNum(e.maxAbs)}, ${fmtPct(e.mismatchFraction)} of ${e.elements} elements outside ${tol}${nonFinite}`;
}

/** `'bn1' (BatchNormalization) → b1: SQNR 68 dB → −20.3 dB (drop 70.3 dB), created here; cause: …`. */
export function culpritText(c: Culprit, report: Pick<LocalizeReport, 'rows'>): string {
  const r = report.rows[c.row]!;
  const iso =
    c.isolation === 'failed'
      ? 'isolation failed (not confirmed)'
      : c.isolation === 'mixed'
        ? 'partly created here (confirmed alone)'
        : 'created here (confirmed alone)';
  const input = Number.isFinite(c.inputSqnrDb) ? `${fmtDb(c.inputSqnrDb)}` : 'exact inputs';
  return `${rowLabel(r)}: SQNR ${input} → ${fmtDb(c.outputSqnrDb)} (drop ${fmtDb(c.sqnrDropDb)}), ${iso}${c.cause ? `; cause: ${c.cause.text}` : ''}`;
}

function outputsText(report: LocalizeReport): string {
  return report.finalOutputs.map((o) => `${o.output} SQNR ${fmtDb(o.sqnrDb)}, maxAbs ${fmtNum(o.maxAbs)}`).join('; ');
}

/** Headline and notes for a finished report. */
export function headline(report: LocalizeReport): { text: string; notes: string[] } {
  const notes: string[] = [];
  const compared = report.rows.filter((r) => r.error).length;
  const unpaired = report.rows.filter((r) => !r.error);
  const precision = report.target.precision;
  const failing = report.finalOutputs.filter((o) => !o.passed);
  const noise = EXPECTED_NOISE[precision];
  let text: string;
  if (report.culprits.length) {
    text = `culprit: ${culpritText(report.culprits[0]!, report)}`;
    for (const c of report.culprits.slice(1, 4)) notes.push(`also creates error beyond ${precision} noise: ${culpritText(c, report)}`);
    if (report.culprits.length > 4) notes.push(`${report.culprits.length - 4} more culprit(s) in localize.json`);
  } else if (failing.length) {
    const worst = report.rows.filter((r) => r.sqnrDropDb !== undefined).sort((a, b) => b.sqnrDropDb! - a.sqnrDropDb!)[0];
    text =
      `final output(s) fail ${precision}: ${failing.map((o) => `${o.output} (${o.failures.join('; ') || 'failed'})`).join('; ')}; no single node creates error beyond ${precision} noise (SQNR drop > ${fmtDb(noise.maxNodeSqnrDropDb)}): it accumulates` +
      (worst
        ? `; the largest drop is at ${rowLabel(worst)} (${fmtDb(worst.sqnrDropDb!)}${report.rejected.some((x) => x.row === worst.index) ? ", but alone on the reference's inputs it stays within noise: amplified, not created" : ''})`
        : '');
  } else {
    text = `outputs pass ${precision} (${outputsText(report) || 'no float outputs'}) and no node creates error beyond ${precision} noise (${compared} tensors compared)`;
  }
  if (report.culprits.length && failing.length === 0 && report.finalOutputs.length) {
    notes.push(`the final outputs still pass ${precision} (${outputsText(report)}), but the culprit's error is beyond what ${precision} should add`);
  }
  if (report.firstDivergent !== undefined) {
    const r = report.rows[report.firstDivergent]!;
    const iso = report.isolations.find((i) => i.row === r.index);
    const isCulprit = report.culprits.some((c) => c.row === r.index);
    notes.push(
      `first node out of elementwise tolerance: ${rowLabel(r)} — ${rowErrorText(r, report)}` +
        (r.error && Number.isFinite(r.error.sqnrDb) ? `, SQNR ${fmtDb(r.error.sqnrDb)}` : '') +
        (isCulprit ? '' : ` (not a culprit: the SQNR it loses stays within ${precision} noise)`) +
        (iso ? `; alone: ${iso.verdict === 'failed' ? 'isolation failed' : iso.explanation.split(':')[0]}` : ''),
    );
  }
  if (report.rejected.length) {
    notes.push(
      `${report.rejected.length} node(s) drop SQNR beyond noise but make little error alone (inherited, amplified from upstream): ${report.rejected
        .slice(0, 3)
        .map((x) => `'${x.node}'`)
        .join(', ')}`,
    );
  }
  if (report.firstNonFinite !== undefined && report.firstNonFinite !== report.firstDivergent) {
    notes.push(`NaN/Inf first appears at ${rowLabel(report.rows[report.firstNonFinite]!)}`);
  }
  if (report.hazards.length) {
    const first = report.rows[report.hazards[0]!]!;
    notes.push(
      `${report.hazards.length} fp16 range hazard(s); first at ${rowLabel(first)} with |x| up to ${fmtNum(first.refMaxAbs)} (threshold ${fmtNum(report.hazardThreshold)}, float16 max 65504)`,
    );
  }
  for (const iso of report.isolations) notes.push(`isolation of '${iso.node}' [${iso.nodes.join(', ')}]: ${iso.explanation}`);
  if (unpaired.length) {
    const shown = unpaired
      .slice(0, 3)
      .map((r) => `${r.output} (${r.reason ?? 'unpaired'})`)
      .join('; ');
    notes.push(`${unpaired.length} reference tensor(s) not compared: ${shown}${unpaired.length > 3 ? '; …' : ''}`);
  }
  if (report.marking) {
    notes.push(report.marking.note);
    const exact = Object.values(report.marking.unmarkedVsReference);
    if (report.target.precision !== 'fp32' && exact.length && exact.every((v) => v === 0)) {
      notes.push(
        `the unmarked ${report.target.precision} target reproduces the reference bit for bit on ${report.target.backend}: the runtime computes it in float32 (onnxruntime's CPU and wasm EPs run float16 nodes that lack float16 kernels in float32 and drop the Cast pairs between them), so its precision problems only show on backends with real ${report.target.precision} arithmetic (e.g. WebGPU) — the per-node rows and hazards show where`,
      );
    }
  }
  notes.push(`reference at optimization level '${report.reference.graphOptimizationLevel}', target at '${report.target.graphOptimizationLevel}'`);
  return { text, notes };
}
