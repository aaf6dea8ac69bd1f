/**
 * The one-line verdict of a localization and the notes under it, shared by the console, JSON and
 * HTML reports. Pure: no Node imports.
 */
import { fmtNum, fmtPct } from '../report/format.ts';
import type { LocalizeReport, NodeRow } from './types.ts';

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

/** Headline and notes for a finished report. */
export function headline(report: LocalizeReport): { text: string; notes: string[] } {
  const notes: string[] = [];
  const compared = report.rows.filter((r) => r.error).length;
  const unpaired = report.rows.filter((r) => !r.error);
  let text: string;
  if (report.firstDivergent !== undefined) {
    const r = report.rows[report.firstDivergent]!;
    const iso = report.isolations.find((i) => i.row === r.index);
    text = `first divergent node: ${rowLabel(r)} — ${rowErrorText(r, report)}` + (iso ? `; ${iso.verdict === 'failed' ? 'isolation failed' : iso.explanation.split(':')[0]}` : '');
  } else if (report.flagged) {
    text = `no node leaves tolerance, but ${report.hazards.length} node(s) are fp16 range hazards (|x| ≥ ${fmtNum(report.hazardThreshold)})`;
  } else {
    text = `no node leaves tolerance (${compared} tensors compared)`;
  }
  if (report.firstNonFinite !== undefined && report.firstNonFinite !== report.firstDivergent) {
    notes.push(`NaN/Inf first appears at ${rowLabel(report.rows[report.firstNonFinite]!)}`);
  }
  if (report.hazards.length) {
    const first = report.rows[report.hazards[0]!]!;
    notes.push(`${report.hazards.length} fp16 range hazard(s); first at ${rowLabel(first)} with |x| up to ${fmtNum(first.refMaxAbs)} (threshold ${fmtNum(report.hazardThreshold)}, float16 max 65504)`);
  }
  for (const iso of report.isolations) notes.push(`isolation of '${iso.node}' [${iso.nodes.join(', ')}]: ${iso.explanation}`);
  if (unpaired.length) {
    const shown = unpaired.slice(0, 3).map((r) => `${r.output} (${r.reason ?? 'unpaired'})`).join('; ');
    notes.push(`${unpaired.length} reference tensor(s) not compared: ${shown}${unpaired.length > 3 ? '; …' : ''}`);
  }
  if (report.marking) {
    notes.push(report.marking.note);
    const exact = Object.values(report.marking.unmarkedVsReference);
    if (report.target.precision !== 'fp32' && exact.length && exact.every((v) => v === 0)) {
      notes.push(`the unmarked ${report.target.precision} target reproduces the reference bit for bit on ${report.target.backend}: the runtime computes it in float32 (onnxruntime's CPU and wasm EPs run float16 nodes that lack float16 kernels in float32 and drop the Cast pairs between them), so its precision problems only show on backends with real ${report.target.precision} arithmetic (e.g. WebGPU) — the per-node rows and hazards show where`);
    }
  }
  notes.push(`reference at optimization level '${report.reference.graphOptimizationLevel}', target at '${report.target.graphOptimizationLevel}'`);
  return { text, notes };
}
